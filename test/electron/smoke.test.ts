/**
 * Smoke test of the real desktop app: Electron from node_modules on the built `out/`, driven by
 * Playwright's Electron support, with Chromium's fake camera. Run with `npm run test:electron`
 * after `npm run build`, on a machine that can run Electron (release.yml: ubuntu under xvfb).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: ElectronApplication;
let page: Page;
let userData = '';

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'onair-electron-'));
  app = await _electron.launch({
    cwd: resolve('.'),
    args: ['.', `--user-data-dir=${userData}`, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    env: { ...process.env, ONAIR_DISABLE_UPDATES: '1', ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60_000,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('OnAir Studio in real Electron', () => {
  it('opens one window on the studio page', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('app://studio/index.html');
    expect(await page.title()).toBe('OnAir Studio');
    const isVisible = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible());
    expect(isVisible).toBe(true);
  });

  it('exposes window.onair through the preload, and nothing of Node', async () => {
    const facts = await page.evaluate(() => ({
      onair: typeof window.onair,
      frozen: Object.isFrozen(window.onair),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(facts).toEqual({ onair: 'object', frozen: true, require: 'undefined', process: 'undefined' });
    const info = await page.evaluate(() => window.onair.app.info());
    expect(info).toMatchObject({ ok: true, value: { name: 'OnAir Studio', shell: 'electron' } });
  });

  it('starts in Local mode from the first-run screen', async () => {
    await page.getByRole('button', { name: 'Start in Local mode' }).click();
    await page.getByRole('button', { name: 'Go live' }).waitFor();
  });

  it('shows the camera preview from the fake device', async () => {
    const video = page.getByTestId('camera-preview');
    await video.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]');
      return !!element && element.videoWidth > 0 && element.currentTime > 0.2;
    });
    const tracks = await video.evaluate((element: HTMLVideoElement) =>
      (element.srcObject as MediaStream).getVideoTracks().map((track) => ({ kind: track.kind, state: track.readyState })),
    );
    expect(tracks).toEqual([{ kind: 'video', state: 'live' }]);
  });

  it('goes live in local mode, plays the broadcast in the preview player, and stops', async () => {
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByTestId('live-badge').waitFor({ timeout: 30_000 });
    // The last step completes when the preview player shows the broadcast's first frame.
    await page.locator('[data-testid="go-live-steps"] li[data-step="first-frame"][data-state="done"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop broadcast' }).click();
    await page.getByRole('button', { name: 'Go live' }).waitFor({ timeout: 30_000 });
    const status = await page.evaluate(() => window.onair.broadcast.status());
    expect(status).toMatchObject({ ok: true, value: { state: 'idle' } });
  });
});
