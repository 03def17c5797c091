import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchChromium } from '../support/browser';
import { scratchDir } from '../support/scratch';

/**
 * The mixer in real Chromium: test/e2e/mixer-page.tsx (the real useMixer, MixerPanel and
 * useScreenCapture) built with vite and served on 127.0.0.1, on Chromium's fake microphone (a
 * beep). The program track is measured with an AnalyserNode of the test's own on that track.
 */

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function servePage(): Promise<{ url: string; server: Server }> {
  const out = scratchDir('e2e-mixer');
  const root = join(out, 'src');
  mkdirSync(root);
  const entry = resolve('test/e2e/mixer-page.tsx').replaceAll('\\', '/');
  writeFileSync(join(root, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>mixer</title></head><body><div id="root"></div><script type="module" src="/@fs${entry}"></script></body></html>`);
  const dist = join(out, 'dist');
  await build({ configFile: false, root, logLevel: 'warn', plugins: [react()], build: { outDir: dist, emptyOutDir: true, target: 'chrome130', minify: false } });
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** The loudest sample (dBFS) on the page's program track over `ms`, measured by a separate AudioContext. */
function programPeakDb(page: Page, ms: number): Promise<number> {
  return page.evaluate(async (ms) => {
    const track = window.mixerPage.program!;
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      analyser.getFloatTimeDomainData(samples);
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      await new Promise((wake) => setTimeout(wake, 20));
    }
    await context.close();
    return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  }, ms);
}

/** The highest current peak (not the hold) a meter showed over `ms`, sampled from its data attribute. */
async function meterPeakDb(page: Page, name: 'mic' | 'screen' | 'master', ms: number): Promise<number> {
  let highest = -Infinity;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    highest = Math.max(highest, Number(await page.getByTestId(`meter-${name}`).getAttribute('data-peak-db')));
    await page.waitForTimeout(40);
  }
  return highest;
}

describe('the audio mixer in Chromium (fake microphone)', () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let server: Server;

  beforeAll(async () => {
    const served = await servePage();
    server = served.server;
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    problems = collectConsoleErrors(page);
    await page.goto(served.url);
    await page.getByTestId('mixer-panel').waitFor();
    // A click is the user gesture that lets the mixer's AudioContext run.
    await page.mouse.click(5, 5);
    await page.waitForFunction(() => window.mixerPage.program?.readyState === 'live');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  it('meters move above −60 dBFS with the beep, on the microphone and on the master, and the program track carries it', async () => {
    await expect.poll(() => page.getByTestId('mixer-strip-mic').textContent()).not.toContain('No source');
    expect(await meterPeakDb(page, 'mic', 2500)).toBeGreaterThan(-60);
    expect(await meterPeakDb(page, 'master', 2500)).toBeGreaterThan(-60);
    // The meters are role="meter" in dBFS.
    const meter = page.getByRole('meter', { name: 'Microphone level' });
    await expect(meter.getAttribute('aria-valuemin')).resolves.toBe('-60');
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 5000 }).toBeGreaterThan(-60);
    // Peak hold: the marker stays at the loudest recent peak, above the current RMS.
    const held = Number(await page.getByTestId('meter-mic').getAttribute('data-hold-db'));
    expect(held).toBeGreaterThan(-60);
    expect(await page.getByTestId('meter-mic-peak').textContent()).toMatch(/^Peak [+−]?\d+\.\d$/);
    // No screen is shared: its meter stays silent.
    expect(await meterPeakDb(page, 'screen', 500)).toBeLessThanOrEqual(-100);
    expect(await programPeakDb(page, 2500)).toBeGreaterThan(-60);
  });

  it('the gain slider lowers what the program carries by its dB', async () => {
    const unity = await programPeakDb(page, 2500);
    const slider = page.getByRole('slider', { name: 'Microphone gain' });
    await slider.fill('-20');
    await expect(page.getByTestId('mixer-strip-mic').textContent()).resolves.toContain('−20.0 dB');
    const lowered = await programPeakDb(page, 2500);
    expect(unity - lowered).toBeGreaterThan(17);
    expect(unity - lowered).toBeLessThan(23);
    await slider.fill('0');
  });

  it('mute drops the channel and the master to silence, and the program track with them; unmute brings it back', async () => {
    const program = await page.evaluate(() => window.mixerPage.program!.id);
    const mute = page.getByRole('button', { name: 'Mute Microphone' });
    await mute.click();
    await expect(mute.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.waitForTimeout(200);
    expect(await meterPeakDb(page, 'mic', 2500)).toBeLessThanOrEqual(-100);
    expect(await meterPeakDb(page, 'master', 500)).toBeLessThanOrEqual(-100);
    expect(await programPeakDb(page, 2500)).toBeLessThan(-90);
    await expect(page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuetext')).resolves.toBe('silence');

    await mute.click();
    expect(await meterPeakDb(page, 'master', 2500)).toBeGreaterThan(-60);
    // Master mute silences the program too, whatever the channels do.
    await page.getByRole('button', { name: 'Mute Master' }).click();
    expect(await programPeakDb(page, 2500)).toBeLessThan(-90);
    await page.getByRole('button', { name: 'Mute Master' }).click();
    // Still the same program track.
    expect(await page.evaluate(() => window.mixerPage.program!.id)).toBe(program);
  });

  it('keeps one program track while the microphone is unplugged and plugged back', async () => {
    const before = await page.evaluate(() => window.mixerPage.program!.id);
    await page.evaluate(() => window.mixerPage.setMicPlugged(false));
    await expect.poll(() => page.getByTestId('mixer-strip-mic').textContent()).toContain('No source');
    await page.waitForTimeout(200);
    expect(await programPeakDb(page, 2000)).toBeLessThan(-90);
    await page.evaluate(() => window.mixerPage.setMicPlugged(true));
    expect(await programPeakDb(page, 2500)).toBeGreaterThan(-60);
    expect(await page.evaluate(() => window.mixerPage.program!.id)).toBe(before);
    expect(await page.evaluate(() => window.mixerPage.program!.readyState)).toBe('live');
  });

  it('shares a screen with the browser picker where main has none, and stops', async () => {
    const share = page.getByTestId('screen-share');
    await page.getByRole('button', { name: 'Share screen' }).click();
    await expect.poll(() => share.getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    const video = await page.evaluate(() => {
      const track = window.mixerPage.screen?.getVideoTracks()[0];
      return track ? { state: track.readyState, frameRate: track.getSettings().frameRate } : null;
    });
    expect(video?.state).toBe('live');
    await page.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => share.getAttribute('data-state')).toBe('idle');
    expect(await page.evaluate(() => window.mixerPage.screen)).toBeNull();
    expect(problems).toEqual([]);
  });
});
