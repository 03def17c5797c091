import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script without types
import { FFMPEG_STATIC, ffmpegAssets, PINNED_SHA256, PLATFORMS } from '../../scripts/ffmpeg-release.mjs';

const run = promisify(execFile);
/** The exact ffmpeg-static tarball the table was made from (npm's integrity of 5.3.0). */
const PACKAGE_INTEGRITY = 'sha512-H+K6sW6TiIX6VGend0KQwthe+kaceeH/luE8dIZyOP35ik7ahYojDuqlTV1bOrtEwl01sy2HFNGQfi5IDJvotg==';

const scratch = mkdtempSync(join(tmpdir(), 'onair-ffmpeg-static-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let installJs = '';
interface Manifest {
  version: string;
  'ffmpeg-static': { 'binary-release-tag': string; 'executable-base-name': string };
}
let manifest: Manifest;

/** The URL install.js builds for a platform and arch: its own template literals, evaluated. */
function installJsUrl(name: 'downloadUrl' | 'licenseUrl', platform: string, arch: string): string {
  const template = (variable: string) => {
    const match = new RegExp(`const ${variable} = \`([^\`]+)\``).exec(installJs);
    if (!match) throw new Error(`install.js has no ${variable} template`);
    return match[1] ?? '';
  };
  const downloads = /'(https:\/\/[^']+\/releases\/download)'/.exec(installJs)?.[1];
  const vars: Record<string, string> = {
    downloadsUrl: downloads ?? 'missing',
    release: manifest['ffmpeg-static']['binary-release-tag'],
    executableBaseName: manifest['ffmpeg-static']['executable-base-name'],
    platform,
    arch,
  };
  vars.baseUrl = template('baseUrl').replace(/\$\{(\w+)\}/g, (_, v: string) => vars[v] ?? `<${v}>`);
  return template(name).replace(/\$\{(\w+)\}/g, (_, v: string) => vars[v] ?? `<${v}>`);
}

beforeAll(async () => {
  // The package's own files, from the npm registry (or npm's cache), checked against the pinned integrity.
  const { stdout } = await run('npm', ['pack', `${FFMPEG_STATIC.package}@${FFMPEG_STATIC.version}`, '--json', '--pack-destination', scratch], { cwd: scratch });
  const [packed] = JSON.parse(stdout) as [{ filename: string; integrity: string }];
  expect(packed.integrity).toBe(PACKAGE_INTEGRITY);
  await run('tar', ['xzf', join(scratch, packed.filename), '-C', scratch]);
  installJs = readFileSync(join(scratch, 'package', 'install.js'), 'utf8');
  manifest = JSON.parse(readFileSync(join(scratch, 'package', 'package.json'), 'utf8')) as Manifest;
}, 120_000);

describe('the ffmpeg the installers bundle (scripts/ffmpeg-release.mjs)', () => {
  it('uses the release tag of the ffmpeg-static version it names', () => {
    expect(manifest.version).toBe(FFMPEG_STATIC.version);
    expect(FFMPEG_STATIC.releaseTag).toBe(manifest['ffmpeg-static']['binary-release-tag']);
  });

  it.each([
    ['mac', 'x64'],
    ['mac', 'arm64'],
    ['win', 'x64'],
    ['linux', 'x64'],
    ['linux', 'arm64'],
  ])('--os %s --arch %s: the binary and licence URLs are the ones install.js builds, and the binary is pinned', (os, arch) => {
    const assets = ffmpegAssets(os, arch);
    const platform = PLATFORMS[os as keyof typeof PLATFORMS];
    expect(assets.binaryUrl).toBe(installJsUrl('downloadUrl', platform, arch));
    expect(assets.licenseUrl).toBe(installJsUrl('licenseUrl', platform, arch));
    expect(assets.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Windows on Arm gets the pinned x64 build; unknown targets are refused', () => {
    expect(ffmpegAssets('win', 'arm64')).toEqual(ffmpegAssets('win', 'x64'));
    expect(() => ffmpegAssets('bsd', 'x64')).toThrow(/no ffmpeg build/);
    expect(Object.values(PINNED_SHA256 as Record<string, string>).every((sha) => /^[0-9a-f]{64}$/.test(sha))).toBe(true);
  });

  it('fetch-ffmpeg.mjs downloads exactly those assets (dry run, no network)', async () => {
    for (const [os, arch] of [['mac', 'arm64'], ['win', 'arm64']] as const) {
      const { stdout } = await run(process.execPath, [resolve('scripts/fetch-ffmpeg.mjs'), '--os', os, '--arch', arch, '--dry-run']);
      expect(JSON.parse(stdout)).toEqual(ffmpegAssets(os, arch));
    }
    await expect(run(process.execPath, [resolve('scripts/fetch-ffmpeg.mjs'), '--os', 'mac', '--arch', 'ia32', '--dry-run'])).rejects.toMatchObject({ code: 2 });
  });
});
