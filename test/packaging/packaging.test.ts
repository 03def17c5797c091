/**
 * Offline packaging test: electron-builder `--linux dir` and `--mac dir` with the repo's
 * electron-builder.yml and stand-in Electron distributions, then a look inside what came out.
 * Windows NSIS, DMG, signing and notarising need real binaries and run only in release.yml.
 */
import { getRawHeader, extractAll, listPackage } from '@electron/asar';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, ipcChannel } from '../../src/shared/contract';
import { bootMainBundle, SECURE_WEB_PREFERENCES } from '../support/boot-main';
import { state } from '../support/fake-electron';
import { ELECTRON_DEFAULT_WIRE, FUSE_NAMES, makeLinuxElectron, makeMacElectron, prepareRepoProject, readFuses, runElectronBuilder, type BuilderRun } from './stand-in';

vi.mock('electron', async () => {
  const fake = await import('../support/fake-electron');
  return { ...fake.electronModule, default: fake.electronModule };
});

const REPO = resolve('.');
const yaml: { load(text: string): any } = createRequire(join(REPO, 'node_modules/electron-builder/package.json'))('js-yaml');
const config = yaml.load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/** Declared by runtime packages but only ever used for types; excluded in electron-builder.yml. */
const TYPE_ONLY = (name: string) => name === 'typescript' || name === 'undici-types' || name.startsWith('@types/');
/** Tooling that must never ship, whatever depends on what. */
const NEVER_SHIPPED = ['electron', 'electron-builder', 'app-builder-lib', 'electron-vite', 'vite', 'vitest', 'typescript', 'eslint', 'playwright-core', '@doyensec/electronegativity', 'png2icons', '@electron/asar', '@electron/fuses'];
const MAX_ASAR_BYTES = 60 * 1024 * 1024;

let root = '';
let linux: BuilderRun;
let mac: BuilderRun;
let linuxApp = '';
let macApp = '';
let asarFiles: string[] = [];
let extracted = '';
let cleanupProject = () => {};

beforeAll(async () => {
  expect(existsSync(join(REPO, 'out/main/index.js')), 'run `npm run build` first').toBe(true);
  root = mkdtempSync(join(tmpdir(), 'onair-packaging-'));
  const repo = prepareRepoProject();
  cleanupProject = repo.cleanup;
  const project = repo.dir;
  makeLinuxElectron(join(root, 'electron-linux'));
  makeMacElectron(join(root, 'electron-mac'));
  // One after the other: each run already keeps two cores busy.
  linux = await runElectronBuilder(project, ['--linux', 'dir', '--x64', `-c.electronDist=${join(root, 'electron-linux')}`, `-c.directories.output=${join(root, 'dist')}`]);
  mac = await runElectronBuilder(project, [
    '--mac',
    'dir',
    '--x64',
    `-c.electronDist=${join(root, 'electron-mac')}`,
    `-c.directories.output=${join(root, 'dist')}`,
    '-c.mac.identity=null',
    '-c.mac.notarize=false',
  ]);
  linuxApp = join(root, 'dist/linux-unpacked');
  macApp = join(root, 'dist/mac/OnAir Studio.app');
  if (linux.code === 0) {
    asarFiles = listPackage(join(linuxApp, 'resources/app.asar'), { isPack: false }).map((path) => path.split(sep).join('/'));
    extracted = join(root, 'extracted');
    extractAll(join(linuxApp, 'resources/app.asar'), extracted);
  }
  console.info(`[packaging] linux --dir ${linux.ms} ms, mac --dir ${mac.ms} ms, app.asar ${statSafe(join(linuxApp, 'resources/app.asar'))} bytes`);
});

afterAll(() => {
  cleanupProject();
  if (root) rmSync(root, { recursive: true, force: true });
});

function statSafe(path: string) {
  return existsSync(path) ? statSync(path).size : -1;
}

describe('electron-builder --dir with a stand-in Electron', () => {
  it('packages for Linux and macOS without errors', () => {
    expect(linux.code, linux.output).toBe(0);
    expect(mac.code, mac.output).toBe(0);
    expect(existsSync(join(linuxApp, 'onair-studio'))).toBe(true);
    expect(existsSync(join(macApp, 'Contents/MacOS/OnAir Studio'))).toBe(true);
  });

  it('app.asar holds the built app, package.json and the runtime dependencies', () => {
    for (const path of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(asarFiles).toContain(path);
    expect(asarFiles.some((path) => path.startsWith('/out/renderer/assets/') && path.endsWith('.js'))).toBe(true);
    for (const name of Object.keys(pkg.dependencies)) expect(asarFiles, name).toContain(`/node_modules/${name}/package.json`);
    const packaged = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8'));
    expect(packaged.main).toBe('out/main/index.js');
    expect(packaged.type).toBe('module');
    // Not unpacked next to the archive: the app loads only from app.asar (see the fuse).
    expect(existsSync(join(linuxApp, 'resources/app'))).toBe(false);
  });

  it('app.asar holds nothing that does not run: no sources, tests, maps, harness or dev tooling', () => {
    const forbidden = asarFiles.filter(
      (path) =>
        /^\/(src|test|tests|docs|scripts|build|\.github|node_modules\/\.bin)(\/|$)/.test(path) ||
        /\.(map|ts|tsx)$/.test(path) ||
        path === '/out/main/harness.js' ||
        /^\/(electron-builder\.yml|tsconfig\.json|vitest\.config\.ts|electron\.vite\.config\.ts|package-lock\.json)$/.test(path),
    );
    expect(forbidden).toEqual([]);
    for (const name of NEVER_SHIPPED) {
      expect(asarFiles.filter((path) => path.includes(`/node_modules/${name}/`)), name).toEqual([]);
    }
    expect(asarFiles.filter((path) => path.includes('/node_modules/@types/'))).toEqual([]);
    // A devDependency may only be there because a runtime package depends on it (ajv: fastify, conf).
    const declared = new Set<string>();
    for (const path of asarFiles.filter((p) => p.endsWith('/package.json') && p.includes('/node_modules/'))) {
      const manifest = JSON.parse(readFileSync(join(extracted, path), 'utf8'));
      for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies })) declared.add(name);
    }
    for (const name of Object.keys(pkg.devDependencies)) {
      if (asarFiles.includes(`/node_modules/${name}/package.json`)) expect(declared.has(name), `devDependency ${name} is packaged but no runtime package needs it`).toBe(true);
    }
    expect(statSync(join(linuxApp, 'resources/app.asar')).size).toBeLessThan(MAX_ASAR_BYTES);
  });

  it('every import of the packaged main and preload, and every runtime dependency, resolves inside the package', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const problems: string[] = [];
    const findPackage = (fromDir: string, name: string): string | null => {
      for (let dir = fromDir; dir.startsWith(extracted); dir = dirname(dir)) {
        const candidate = join(dir, 'node_modules', name, 'package.json');
        if (existsSync(candidate)) return candidate;
        if (dir === extracted) break;
      }
      return null;
    };
    const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const specifiersOf = (code: string) =>
      [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)].map((match) => match[1]!);

    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
    const mainFiles = walk(join(extracted, 'out/main')).filter((file) => /\.(c|m)?js$/.test(file));
    const bare = new Set<string>();
    for (const file of mainFiles) {
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          if (!existsSync(resolve(dirname(file), specifier))) problems.push(`${relative(extracted, file)}: ${specifier} is missing`);
        } else if (!builtins.has(specifier) && specifier !== 'electron') {
          bare.add(packageName(specifier));
          if (!findPackage(dirname(file), packageName(specifier))) problems.push(`${relative(extracted, file)}: ${specifier} does not resolve inside the package`);
        }
      }
    }
    // What the main process loads today; more may come, none may go missing.
    expect([...bare]).toEqual(expect.arrayContaining(['zod', 'electron-store', 'electron-updater']));
    // A sandboxed preload can require nothing but electron.
    const preloadRequires = specifiersOf(readFileSync(join(extracted, 'out/preload/index.cjs'), 'utf8'));
    expect(preloadRequires.filter((specifier) => specifier !== 'electron')).toEqual([]);
    // Every dependency every packaged package declares is packaged where Node will find it.
    const manifests = walk(join(extracted, 'node_modules')).filter((file) => file.endsWith(`${sep}package.json`) && basenameIsPackageRoot(file));
    for (const manifestPath of manifests) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
      for (const name of Object.keys(manifest.dependencies ?? {})) {
        if (optional.has(name) || TYPE_ONLY(name)) continue;
        if (!findPackage(dirname(manifestPath), name)) problems.push(`${relative(extracted, manifestPath)}: dependency ${name} is not packaged`);
      }
    }
    expect(manifests.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('flips the fuses as configured, on Linux and in the macOS framework', () => {
    const expected: Record<string, string> = {
      runAsNode: '0',
      enableCookieEncryption: '1',
      enableNodeOptionsEnvironmentVariable: '0',
      enableNodeCliInspectArguments: '0',
      enableEmbeddedAsarIntegrityValidation: '1',
      onlyLoadAppFromAsar: '1',
      loadBrowserProcessSpecificV8Snapshot: ELECTRON_DEFAULT_WIRE[6]!,
      grantFileProtocolExtraPrivileges: '0',
    };
    // The yml says the same (so this test follows the config only where it stays secure).
    for (const [name, value] of Object.entries(config.electronFuses as Record<string, boolean>)) expect(value ? '1' : '0', name).toBe(expected[name]);
    expect(Object.keys(config.electronFuses).length).toBe(7);
    expect(readFuses(join(linuxApp, 'onair-studio'))).toEqual(expected);
    expect(readFuses(join(macApp, 'Contents/Frameworks/Electron Framework.framework/Electron Framework'))).toEqual(expected);
    expect(FUSE_NAMES.length).toBe(ELECTRON_DEFAULT_WIRE.length);
  });

  it('writes the macOS Info.plist with the camera and microphone strings, ja and en', () => {
    const infoPlist = readFileSync(join(macApp, 'Contents/Info.plist'), 'utf8');
    const plistValue = (key: string) => infoPlist.match(new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`))?.[1];
    expect(plistValue('CFBundleIdentifier')).toBe(config.appId);
    expect(plistValue('CFBundleDisplayName')).toBe('OnAir Studio');
    expect(plistValue('NSCameraUsageDescription')).toMatch(/camera/i);
    expect(plistValue('NSMicrophoneUsageDescription')).toMatch(/microphone/i);
    expect(infoPlist).toMatch(/<key>CFBundleLocalizations<\/key>\s*<array>\s*<string>en<\/string>\s*<string>ja<\/string>\s*<\/array>/);
    for (const [lang, camera, microphone] of [
      ['ja', 'カメラ', 'マイク'],
      ['en', 'camera', 'microphone'],
    ] as const) {
      const strings = readFileSync(join(macApp, `Contents/Resources/${lang}.lproj/InfoPlist.strings`), 'utf8');
      expect(strings).toMatch(new RegExp(`"NSCameraUsageDescription" = "[^"]*${camera}[^"]*";`));
      expect(strings).toMatch(new RegExp(`"NSMicrophoneUsageDescription" = "[^"]*${microphone}[^"]*";`));
    }
    // ASAR integrity: the plist pins the SHA-256 of app.asar's header (checked by the fuse at launch).
    const asarPath = join(macApp, 'Contents/Resources/app.asar');
    const headerHash = createHash('sha256').update(getRawHeader(asarPath).headerString).digest('hex');
    expect(infoPlist).toMatch(new RegExp(`<key>Resources/app.asar</key>\\s*<dict>\\s*<key>algorithm</key>\\s*<string>SHA256</string>\\s*<key>hash</key>\\s*<string>${headerHash}</string>`));
    expect(existsSync(join(macApp, 'Contents/Resources/icon.icns'))).toBe(true);
  });

  it('bundles ffmpeg for the platform next to app.asar, never inside it, and writes the update feed', () => {
    expect(readFileSync(join(linuxApp, 'resources/ffmpeg/ffmpeg'), 'utf8')).toContain('stand-in ffmpeg linux-x64');
    expect(statSync(join(linuxApp, 'resources/ffmpeg/ffmpeg')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(macApp, 'Contents/Resources/ffmpeg/ffmpeg'), 'utf8')).toContain('stand-in ffmpeg mac-x64');
    expect(asarFiles.filter((path) => /ffmpeg|\.lproj/.test(path) && !path.includes('/node_modules/'))).toEqual([]);
    const feed = yaml.load(readFileSync(join(linuxApp, 'resources/app-update.yml'), 'utf8'));
    expect(feed).toMatchObject({ provider: 'github', owner: 'onair-studio', repo: 'onair-studio' });
  });
});

describe('the packaged main, extracted from app.asar, booted against a fake electron', () => {
  it('registers every contract channel and opens a secure window, loading only packaged files', async () => {
    // Nothing above the extracted package could lend it a module.
    for (let dir = dirname(extracted); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
    const userData = mkdtempSync(join(root, 'user-data-'));
    await bootMainBundle(join(extracted, 'out/main/index.js'), { userData });

    expect(state.calls.slice(0, 2)).toEqual(['app.enableSandbox', 'app.requestSingleInstanceLock']);
    expect([...state.ipcHandlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcChannel).sort());
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject(SECURE_WEB_PREFERENCES);
    expect(prefs.preload).toBe(join(extracted, 'out/preload/index.cjs'));
    expect(state.windows[0]!.webContents.getURL()).toBe('app://studio/index.html');
    // The renderer comes from the package, with the CSP.
    const response = await state.protocolHandlers.get('app')!(new Request('app://studio/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync(join(extracted, 'out/renderer/index.html'), 'utf8'));
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    // A call through the registered handler reaches the packaged core.
    const reply = await state.ipcHandlers.get(ipcChannel('settings.get'))!({ senderFrame: { url: 'app://studio/index.html' } });
    expect(reply.ok).toBe(true);
  });
});

/** node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, not a nested helper file. */
function basenameIsPackageRoot(file: string) {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  const rest = parts.slice(at + 1);
  return rest.length === 2 || (rest.length === 3 && rest[0]!.startsWith('@'));
}
