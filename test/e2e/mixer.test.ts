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

/**
 * A probe on the page's program track: an AudioWorklet of the test's own (its own AudioContext)
 * that sees every sample. `window.programProbe(seconds)` resolves with the loudest sample (dBFS)
 * over the next `seconds` of audio, counted in frames the worklet processed — the media clock, so
 * a busy machine makes the measurement late, never short. Chromium's fake microphone beeps for
 * 20 ms every 500 ms, so a window of a second or more always holds a beep if one is coming through.
 */
async function installProgramProbe(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const worklet = `registerProcessor('peak-probe', class extends AudioWorkletProcessor {
      constructor() { super(); this.peak = 0; this.frames = 0; this.want = 0; this.port.onmessage = (e) => { this.peak = 0; this.frames = 0; this.want = e.data; }; }
      process(inputs) {
        const channels = inputs[0] || [];
        if (this.want > 0) {
          for (const channel of channels) for (let i = 0; i < channel.length; i++) this.peak = Math.max(this.peak, Math.abs(channel[i]));
          this.frames += channels[0] ? channels[0].length : 128;
          if (this.frames >= this.want) { this.want = 0; this.port.postMessage(this.peak); }
        }
        return true;
      }
    });`;
    const context = new AudioContext();
    await context.resume();
    await context.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: 'text/javascript' })));
    const probe = new AudioWorkletNode(context, 'peak-probe');
    context.createMediaStreamSource(new MediaStream([window.mixerPage.program!])).connect(probe);
    const box = window as unknown as { programProbe: (seconds: number) => Promise<number> };
    box.programProbe = (seconds) =>
      new Promise((done) => {
        probe.port.onmessage = (event: MessageEvent<number>) => done(event.data > 0 ? 20 * Math.log10(event.data) : -Infinity);
        probe.port.postMessage(Math.round(seconds * context.sampleRate));
      });
  });
}

/** The loudest sample (dBFS) on the program track over the next `seconds` of audio (the probe above). */
const programPeakDb = (page: Page, seconds: number) =>
  page.evaluate((s) => (window as unknown as { programProbe: (seconds: number) => Promise<number> }).programProbe(s), seconds);

/** The meter's current peak (dBFS), as its data attribute shows it now. */
const meterNowDb = async (page: Page, name: 'mic' | 'screen' | 'master') => Number(await page.getByTestId(`meter-${name}`).getAttribute('data-peak-db'));

/** The highest current peak (not the hold) a meter showed while sampled for `ms` (an upper bound check: a busy machine only samples less). */
async function meterPeakDb(page: Page, name: 'mic' | 'screen' | 'master', ms: number): Promise<number> {
  let highest = -Infinity;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    highest = Math.max(highest, await meterNowDb(page, name));
    await page.waitForTimeout(40);
  }
  return highest;
}

/** Conditions are waited for, not timed: on a busy machine the meters and the graph may take a while to follow a click. */
const SETTLE = { timeout: 20_000, interval: 100 };

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
    await installProgramProbe(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  it('meters move above −60 dBFS with the beep, on the microphone and on the master, and the program track carries it', async () => {
    await expect.poll(() => page.getByTestId('mixer-strip-mic').textContent()).not.toContain('No source');
    await expect.poll(() => meterNowDb(page, 'mic'), SETTLE).toBeGreaterThan(-60);
    await expect.poll(() => meterNowDb(page, 'master'), SETTLE).toBeGreaterThan(-60);
    // The meters are role="meter" in dBFS.
    const meter = page.getByRole('meter', { name: 'Microphone level' });
    await expect(meter.getAttribute('aria-valuemin')).resolves.toBe('-60');
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), SETTLE).toBeGreaterThan(-60);
    // Peak hold: the marker stays at the loudest recent peak, above the current RMS.
    await expect.poll(async () => Number(await page.getByTestId('meter-mic').getAttribute('data-hold-db')), SETTLE).toBeGreaterThan(-60);
    expect(await page.getByTestId('meter-mic-peak').textContent()).toMatch(/^Peak [+−]?\d+\.\d$/);
    // No screen is shared: its meter stays silent.
    expect(await meterPeakDb(page, 'screen', 500)).toBeLessThanOrEqual(-100);
    expect(await programPeakDb(page, 1.5)).toBeGreaterThan(-60);
  });

  it('the gain slider lowers what the program carries by its dB', async () => {
    const unity = await programPeakDb(page, 2);
    expect(unity).toBeGreaterThan(-60);
    const slider = page.getByRole('slider', { name: 'Microphone gain' });
    await slider.fill('-20');
    await expect(page.getByTestId('mixer-strip-mic').textContent()).resolves.toContain('−20.0 dB');
    // Once the graph has applied the gain (waited for), two seconds of audio are 20 dB lower.
    await expect.poll(async () => unity - (await programPeakDb(page, 1)), SETTLE).toBeGreaterThan(17);
    const lowered = await programPeakDb(page, 2);
    expect(unity - lowered).toBeGreaterThan(17);
    expect(unity - lowered).toBeLessThan(23);
    await slider.fill('0');
    await expect.poll(async () => unity - (await programPeakDb(page, 1)), SETTLE).toBeLessThan(3);
  });

  it('mute drops the channel and the master to silence, and the program track with them; unmute brings it back', async () => {
    const program = await page.evaluate(() => window.mixerPage.program!.id);
    const mute = page.getByRole('button', { name: 'Mute Microphone' });
    await mute.click();
    await expect(mute.getAttribute('aria-pressed')).resolves.toBe('true');
    // The meters follow the mute (waited for), then stay silent.
    await expect.poll(() => meterNowDb(page, 'mic'), SETTLE).toBeLessThanOrEqual(-100);
    await expect.poll(() => meterNowDb(page, 'master'), SETTLE).toBeLessThanOrEqual(-100);
    expect(await meterPeakDb(page, 'mic', 1500)).toBeLessThanOrEqual(-100);
    expect(await meterPeakDb(page, 'master', 500)).toBeLessThanOrEqual(-100);
    // The program track: silent once the mute has reached it, for two seconds of audio (four beeps' time).
    await expect.poll(() => programPeakDb(page, 0.6), SETTLE).toBeLessThan(-90);
    expect(await programPeakDb(page, 2)).toBeLessThan(-90);
    await expect(page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuetext')).resolves.toBe('silence');

    await mute.click();
    await expect.poll(() => meterNowDb(page, 'master'), SETTLE).toBeGreaterThan(-60);
    await expect.poll(() => programPeakDb(page, 1), SETTLE).toBeGreaterThan(-60);
    // Master mute silences the program too, whatever the channels do.
    await page.getByRole('button', { name: 'Mute Master' }).click();
    await expect.poll(() => programPeakDb(page, 0.6), SETTLE).toBeLessThan(-90);
    expect(await programPeakDb(page, 2)).toBeLessThan(-90);
    await page.getByRole('button', { name: 'Mute Master' }).click();
    await expect.poll(() => programPeakDb(page, 1), SETTLE).toBeGreaterThan(-60);
    // Still the same program track.
    expect(await page.evaluate(() => window.mixerPage.program!.id)).toBe(program);
  });

  it('keeps one program track while the microphone is unplugged and plugged back', async () => {
    const before = await page.evaluate(() => window.mixerPage.program!.id);
    await page.evaluate(() => window.mixerPage.setMicPlugged(false));
    await expect.poll(() => page.getByTestId('mixer-strip-mic').textContent()).toContain('No source');
    await expect.poll(() => programPeakDb(page, 0.6), SETTLE).toBeLessThan(-90);
    expect(await programPeakDb(page, 2)).toBeLessThan(-90);
    await page.evaluate(() => window.mixerPage.setMicPlugged(true));
    await expect.poll(() => programPeakDb(page, 1), SETTLE).toBeGreaterThan(-60);
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
