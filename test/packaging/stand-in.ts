/**
 * Builds what the offline packaging test needs instead of a real Electron download:
 * stand-in Electron distributions (Linux folder, macOS Electron.app) carrying Electron's fuse wire,
 * and a throw-away project folder holding a copy of the repo's packaging inputs, so electron-builder
 * never writes into the shared working tree.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of @electron/fuses' FuseV1Options. */
export const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
/** Electron's shipped defaults ('1' on, '0' off): every fuse we care about starts on its insecure side. */
export const ELECTRON_DEFAULT_WIRE = '10110001';

const REPO = resolve('.');
const ELECTRON_VERSION: string = JSON.parse(readFileSync(join(REPO, 'node_modules/electron/package.json'), 'utf8')).version;

/** A shell script followed by the fuse wire: sentinel, wire version 1, wire length, one byte per fuse. */
function fakeBinary(name: string): Buffer {
  return Buffer.concat([
    Buffer.from(`#!/bin/sh\n# stand-in for ${name}\nexit 0\n# `),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE),
    Buffer.from('\n'),
  ]);
}

function writeExecutable(path: string, content: Buffer | string) {
  writeFileSync(path, content);
  chmodSync(path, 0o755);
}

export function makeLinuxElectron(dir: string) {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  writeExecutable(join(dir, 'electron'), fakeBinary('electron'));
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'locales/en-US.pak'), 'stand-in');
}

const plist = (entries: Record<string, string>) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
${Object.entries(entries)
  .map(([key, value]) => `  <key>${key}</key>\n  <string>${value}</string>`)
  .join('\n')}
</dict>
</plist>
`;

export function makeMacElectron(dir: string) {
  const contents = join(dir, 'Electron.app/Contents');
  for (const sub of ['MacOS', 'Resources/en.lproj', 'Frameworks/Electron Framework.framework']) mkdirSync(join(contents, sub), { recursive: true });
  writeFileSync(
    join(contents, 'Info.plist'),
    plist({
      CFBundleExecutable: 'Electron',
      CFBundleIdentifier: 'com.github.Electron',
      CFBundleName: 'Electron',
      CFBundleDisplayName: 'Electron',
      CFBundleIconFile: 'electron.icns',
      CFBundlePackageType: 'APPL',
      CFBundleVersion: ELECTRON_VERSION,
    }),
  );
  writeExecutable(join(contents, 'MacOS/Electron'), '#!/bin/sh\nexit 0\n');
  writeFileSync(join(contents, 'Resources/electron.icns'), 'stand-in');
  writeFileSync(join(contents, 'Resources/en.lproj/locale.pak'), 'stand-in');
  // On macOS the fuse wire lives in the framework binary, not in the app executable.
  writeExecutable(join(contents, 'Frameworks/Electron Framework.framework/Electron Framework'), fakeBinary('Electron Framework'));
  for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) {
    const helper = join(contents, `Frameworks/Electron Helper${suffix}.app/Contents`);
    mkdirSync(join(helper, 'MacOS'), { recursive: true });
    writeFileSync(
      join(helper, 'Info.plist'),
      plist({ CFBundleExecutable: `Electron Helper${suffix}`, CFBundleIdentifier: 'com.github.Electron.helper', CFBundlePackageType: 'APPL' }),
    );
    writeExecutable(join(helper, `MacOS/Electron Helper${suffix}`), '#!/bin/sh\nexit 0\n');
  }
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
}

/**
 * Packages the repo itself, as a release does: a copy with a symlinked node_modules makes
 * `npm list` (electron-builder's dependency collector) see every package as an external link and
 * drop production dependencies. The repo's own src/, test/, docs/ and scripts/ are what `files`
 * must keep out. Stand-in ffmpeg binaries go where the release workflow puts the real ones
 * (build/ffmpeg is git-ignored) unless a real one is there; `cleanup` removes only what was added.
 */
export function prepareRepoProject(): { dir: string; cleanup: () => void } {
  const added: string[] = [];
  for (const target of ['linux-x64', 'mac-x64']) {
    const folder = join(REPO, 'build/ffmpeg', target);
    if (existsSync(join(folder, 'ffmpeg'))) continue;
    mkdirSync(folder, { recursive: true });
    writeExecutable(join(folder, 'ffmpeg'), `#!/bin/sh\necho "stand-in ffmpeg ${target}"\n`);
    added.push(folder);
  }
  return { dir: REPO, cleanup: () => added.forEach((folder) => rmSync(folder, { recursive: true, force: true })) };
}

export interface BuilderRun {
  code: number;
  output: string;
  ms: number;
}

/** Runs the repo's electron-builder with signing and publishing off. */
export function runElectronBuilder(projectDir: string, args: string[]): Promise<BuilderRun> {
  const cli = join(REPO, 'node_modules/electron-builder/cli.js');
  const env: NodeJS.ProcessEnv = { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_OFFLINE: 'true' };
  for (const secret of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'GH_TOKEN', 'GITHUB_TOKEN']) delete env[secret];
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [
        cli,
        '--projectDir',
        projectDir,
        '--publish',
        'never',
        // No git remote here: name the GitHub repository so app-update.yml is written as in a release.
        '-c.publish.owner=onair-studio',
        '-c.publish.repo=onair-studio',
        ...args,
      ],
      { cwd: projectDir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}`, ms: Date.now() - started }),
    );
  });
}

/** Reads the fuse wire after the sentinel: { fuseName: '0' | '1' | 'r' }. */
export function readFuses(binaryPath: string): Record<string, string> {
  const bytes = readFileSync(binaryPath);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`no fuse sentinel in ${binaryPath}`);
  const version = bytes[at + FUSE_SENTINEL.length];
  const length = bytes[at + FUSE_SENTINEL.length + 1]!;
  if (version !== 1) throw new Error(`fuse wire version ${version}`);
  const wire = bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + length).toString('latin1');
  return Object.fromEntries(FUSE_NAMES.slice(0, length).map((name, i) => [name, wire[i]!]));
}
