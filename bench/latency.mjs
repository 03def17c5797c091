#!/usr/bin/env node
/* global document, window, AudioContext, MediaStream */
/**
 * `npm run bench:latency` — glass-to-glass latency of the local media path (not a test).
 *
 * Runs the built studio (`out/main/harness.js`, so `npm run build` first) in headless Chromium
 * with a timestamp-coded canvas as the camera: every frame carries the wall clock (ms) as a
 * 48-bit black/white code. The studio goes live through its own UI; the frames the preview
 * player (@twilio/live-player-sdk) presents are decoded back, and the latency of each is
 * `presentation time − encoded time`. Prints one JSON object.
 *
 * Options: --seconds <n> (measurement after the first frame, default 35), --chromium <path>.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '35' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const SECONDS = Number(values.seconds);
const CLK_TCK = 100;

function startHarness(dataDir) {
  const child = spawn(process.execPath, [resolve('out/main/harness.js'), '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stderr.on('data', (d) => output.push(String(d)));
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`harness did not start:\n${output.join('')}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}:\n${output.join('')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line);
      if (message.event === 'ready') {
        clearTimeout(timer);
        resolveReady({ child, url: message.url });
      }
    });
  });
}

/** CPU seconds (user + system) of a process, from /proc (Linux). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function ffmpegOf(dataDir) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/ffmpeg$/.test(args[0]) && args.some((a) => a.startsWith(dataDir))) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Runs in the page before the app: the camera is a canvas that shows the clock as a code. */
function installCodedCamera() {
  const W = 1280;
  const H = 720;
  const BITS = 48;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  const cell = W / 16;
  const draw = () => {
    const now = Date.now();
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, W, H);
    for (let bit = 0; bit < BITS; bit++) {
      const on = Math.floor(now / 2 ** bit) % 2 === 1;
      ctx.fillStyle = on ? '#fff' : '#000';
      ctx.fillRect((bit % 16) * cell, Math.floor(bit / 16) * cell, cell, cell);
    }
    ctx.fillStyle = '#fff';
    ctx.font = '64px sans-serif';
    ctx.fillText(String(now), 40, H - 60);
  };
  draw();
  setInterval(draw, 1000 / 60);
  let video = null;
  const audio = () => {
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    gain.gain.value = 0.05;
    const destination = context.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    return destination.stream;
  };
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (constraints.video) {
      video ??= canvas.captureStream(30);
      return new MediaStream(video.getVideoTracks().map((t) => t.clone()));
    }
    return audio();
  };
  window.__decode = (frame) => {
    const sample = document.createElement('canvas');
    sample.width = W;
    sample.height = H;
    const c = sample.getContext('2d', { willReadFrequently: true });
    c.drawImage(frame, 0, 0, W, H);
    let value = 0;
    for (let bit = 0; bit < BITS; bit++) {
      const x = Math.floor((bit % 16) * cell + cell / 2);
      const y = Math.floor(Math.floor(bit / 16) * cell + cell / 2);
      const [r, g, b] = c.getImageData(x, y, 1, 1).data;
      if ((r + g + b) / 3 > 128) value += 2 ** bit;
    }
    return value;
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'onair-bench-'));
  const { child, url } = await startHarness(dataDir);
  const browser = await chromium.launch({
    executablePath: values.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    await context.addInitScript(installCodedCamera);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
    const firstRun = page.getByRole('button', { name: 'Start in Local mode' });
    if (await firstRun.isVisible().catch(() => false)) await firstRun.click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
    const goLive = page.getByRole('button', { name: 'Go live' });
    await goLive.waitFor();
    await page.waitForFunction(() => !document.querySelector('.go-live')?.disabled);

    // Watch the preview player's presented frames from the moment of the click.
    await page.evaluate(() => {
      window.__bench = { clickAt: 0, firstFrameAt: 0, samples: [] };
      const hook = () => {
        const video = document.querySelector('[data-testid="preview-video"]');
        if (!video) return void setTimeout(hook, 5);
        const onFrame = (_now, meta) => {
          if (video.videoWidth > 0) {
            const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
            if (!window.__bench.firstFrameAt) window.__bench.firstFrameAt = shownAt;
            const encoded = window.__decode(video);
            window.__bench.samples.push({ shownAt, latency: shownAt - encoded });
          }
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      };
      hook();
      document.querySelector('.go-live').addEventListener('click', () => (window.__bench.clickAt = Date.now()), { capture: true, once: true });
    });
    await goLive.click();
    await page.waitForFunction(() => window.__bench.firstFrameAt > 0, undefined, { timeout: 30_000 });
    const ffmpeg = ffmpegOf(dataDir);
    const cpuStart = { ffmpeg: ffmpeg ? cpuSeconds(ffmpeg) : 0, harness: cpuSeconds(child.pid), at: performance.now() };
    await page.waitForTimeout(SECONDS * 1000);
    const cpuEnd = { ffmpeg: ffmpeg ? cpuSeconds(ffmpeg) : 0, harness: cpuSeconds(child.pid), at: performance.now() };
    const wall = (cpuEnd.at - cpuStart.at) / 1000;
    const bench = await page.evaluate(() => ({ ...window.__bench, reconnects: document.querySelector('[data-testid="preview-player"]')?.getAttribute('data-state') }));
    const plausible = bench.samples.filter((s) => s.latency > 0 && s.latency < 60_000);
    const settled = plausible.filter((s) => s.shownAt >= bench.firstFrameAt + 2_000).map((s) => s.latency).sort((a, b) => a - b);
    const all = plausible.map((s) => s.latency).sort((a, b) => a - b);
    const result = {
      command: 'npm run bench:latency',
      seconds: Math.round(wall),
      framesPresented: bench.samples.length,
      framesDecoded: plausible.length,
      glassToGlassMs: {
        median: Math.round(percentile(settled, 50)),
        p90: Math.round(percentile(settled, 90)),
        min: Math.round(settled[0]),
        max: Math.round(settled.at(-1)),
        note: 'frames presented from 2 s after the first frame on',
      },
      glassToGlassAllMs: { median: Math.round(percentile(all, 50)), p90: Math.round(percentile(all, 90)) },
      clickToFirstFrameMs: Math.round(bench.firstFrameAt - bench.clickAt),
      packagingCpuShareOfOneCore: ffmpeg ? Number(((cpuEnd.ffmpeg - cpuStart.ffmpeg) / wall).toFixed(4)) : null,
      studioMainCpuShareOfOneCore: Number(((cpuEnd.harness - cpuStart.harness) / wall).toFixed(4)),
      playerStateAtEnd: bench.reconnects,
      targets: { glassToGlassMedianMs: 1000, clickToFirstFrameMs: 1500, packagingCpuShare: 0.05 },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
