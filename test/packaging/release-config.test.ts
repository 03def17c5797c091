/**
 * The release machinery that only GitHub can run (workflows, signing, installers) checked here as far
 * as it can be: the YAML parses, the jobs do what the README promises, every script they call exists,
 * and the icons and entitlements electron-builder.yml points at are real.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve('.');
const yaml: { load(text: string): any } = createRequire(join(REPO, 'node_modules/electron-builder/package.json'))('js-yaml');
const load = (path: string) => yaml.load(readFileSync(join(REPO, path), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/** Every `run:` line of a workflow, joined. */
const runsOf = (workflow: any) =>
  Object.values(workflow.jobs as Record<string, any>)
    .flatMap((job) => job.steps.map((step: any) => step.run ?? ''))
    .join('\n');

describe('GitHub workflows', () => {
  const files = readdirSync(join(REPO, '.github/workflows'));

  it('are valid YAML with jobs whose steps all run or use something', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
    for (const file of files) {
      const workflow = load(`.github/workflows/${file}`);
      expect(workflow.name, file).toEqual(expect.any(String));
      // js-yaml reads the `on:` key as the string "on" (YAML 1.2 core schema).
      expect(workflow.on, file).toBeTruthy();
      for (const [id, job] of Object.entries<any>(workflow.jobs)) {
        expect(job['runs-on'], `${file}:${id}`).toBeTruthy();
        expect(job.steps.length, `${file}:${id}`).toBeGreaterThan(0);
        for (const step of job.steps) {
          expect(Boolean(step.run) !== Boolean(step.uses), `${file}:${id} step ${JSON.stringify(step)}`).toBe(true);
          if (step.uses) expect(step.uses, `${file}:${id}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
        }
      }
    }
  });

  it('every `npm run` / `node scripts/...` they call exists', () => {
    for (const file of files) {
      const runs = runsOf(load(`.github/workflows/${file}`));
      for (const [, script] of runs.matchAll(/npm run ([\w:-]+)/g)) expect(pkg.scripts, `${file}: npm run ${script}`).toHaveProperty([script!]);
      for (const [, path] of runs.matchAll(/node (scripts\/[\w.-]+)/g)) expect(existsSync(join(REPO, path!)), `${file}: ${path}`).toBe(true);
    }
  });

  it('ci.yml runs the README test command on Debian with chromium, ffmpeg and CJK fonts, then the security gate', () => {
    const ci = load('.github/workflows/ci.yml');
    const runs = runsOf(ci);
    expect(ci.on).toHaveProperty('pull_request');
    expect(ci.jobs.test.container).toMatch(/bookworm/);
    expect(runs).toMatch(/apt-get install[^\n]*chromium[^\n]*ffmpeg[^\n]*fonts-noto-cjk/);
    const order = ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test', 'npm run security'].map((command) => runs.indexOf(command));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('release.yml builds Windows and macOS installers on tags, signs from secrets, smoke-tests real Electron', () => {
    const release = load('.github/workflows/release.yml');
    expect(release.on.push.tags).toEqual(['v*']);
    expect(release.permissions).toEqual({ contents: 'write' });
    const { installers, smoke } = release.jobs;
    expect(installers.needs).toBe('smoke');
    expect(installers.strategy.matrix.include.map((entry: any) => entry.os).sort()).toEqual(['macos-latest', 'windows-latest']);
    const build = installers.steps.find((step: any) => /electron-builder/.test(step.run ?? ''));
    for (const secret of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) {
      expect(build.env[secret]).toBe(`\${{ secrets.${secret} }}`);
    }
    expect(build.env.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    const installerRuns = runsOf({ jobs: { installers } });
    // ffmpeg must be in build/ffmpeg before electron-builder runs.
    expect(installerRuns.indexOf('fetch-ffmpeg.mjs --os ${{ matrix.platform }} --arch x64')).toBeGreaterThan(-1);
    expect(installerRuns.indexOf('fetch-ffmpeg.mjs')).toBeLessThan(installerRuns.indexOf('electron-builder'));
    expect(smoke['runs-on']).toBe('ubuntu-latest');
    expect(runsOf({ jobs: { smoke } })).toMatch(/xvfb-run .*npm run test:electron/);
  });

  it('release.yml publishes the static guest page to GitHub Pages, with Pages rights in that job only', () => {
    const release = load('.github/workflows/release.yml');
    const job = release.jobs['guest-page'];
    expect(job.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    expect(job.environment.name).toBe('github-pages');
    const steps: any[] = job.steps;
    const at = (match: (step: any) => boolean) => steps.findIndex(match);
    const build = at((step) => step.run === 'npm run build:guest-page');
    const upload = at((step) => /^actions\/upload-pages-artifact@/.test(step.uses ?? ''));
    const deploy = at((step) => /^actions\/deploy-pages@/.test(step.uses ?? ''));
    expect(build).toBeGreaterThan(-1);
    expect(steps[upload].with.path).toBe('out/guest-page');
    expect([build < upload, upload < deploy]).toEqual([true, true]);
    expect(pkg.scripts['build:guest-page']).toMatch(/scripts\/guest-page-build\.mjs out\/guest-page/);
  });

  it('the smoke test stays out of npm test', () => {
    const vitestConfig = readFileSync(join(REPO, 'vitest.config.ts'), 'utf8');
    expect(vitestConfig).not.toContain('test/electron');
    expect(readFileSync(join(REPO, 'vitest.electron.config.ts'), 'utf8')).toContain("include: ['test/electron/**/*.test.ts']");
  });
});

describe('electron-builder.yml and build resources', () => {
  const config = load('electron-builder.yml');

  it('targets NSIS x64+arm64 per user with a folder choice and shortcuts, and universal DMG + zip', () => {
    expect(config.productName).toBe('OnAir Studio');
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, createDesktopShortcut: true, createStartMenuShortcut: true });
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: 'universal' },
      { target: 'zip', arch: 'universal' },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.publish).toMatchObject({ provider: 'github' });
  });

  it('points at real icons made from the one source image', () => {
    const png = readFileSync(join(REPO, 'build/icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    const icns = readFileSync(join(REPO, config.mac.icon));
    expect(icns.subarray(0, 4).toString()).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const ico = readFileSync(join(REPO, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    expect(readFileSync(join(REPO, 'build/icon.svg'), 'utf8')).toContain('<svg');
  });

  it('grants the hardened runtime camera, microphone, network client and JIT, and nothing else', () => {
    const plist = readFileSync(join(REPO, config.mac.entitlements), 'utf8');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]).sort();
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.device.audio-input',
      'com.apple.security.device.camera',
      'com.apple.security.network.client',
    ]);
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
  });
});
