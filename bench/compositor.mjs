#!/usr/bin/env node
/* global window, document, Worker, MediaStreamTrackProcessor */
/**
 * `npm run bench:compositor` — the program compositor's frame time and dropped frames (not a test).
 *
 * Builds the compositor on a page of its own (bench/compositor-page.mjs: vite, the same module
 * and workers as the app), opens it in headless Debian Chromium without GPU and composes 1080p30
 * from Chromium's fake camera (1280×720, 30 fps) + Chromium's fake screen capture
 * (getDisplayMedia, 1920×1080, 30 fps) + two overlays (a text lower third and a PNG image with
 * alpha). The output track is consumed in a worker (as an encoder would take it), counting the
 * frames that arrive. Prints one JSON object: per engine, frame time median / p95 / max over the
 * window, frames drawn vs expected (seconds × fps), dropped, frames that reached the consumer,
 * and the browser's CPU (all Chromium processes, /proc).
 *
 * Options: --seconds <n> (measurement window, default 20), --engine main|worker|main,worker
 * (default both), --load (the page's main thread runs a long task of --load-busy-ms, default 25,
 * every --load-every-ms, default 100: a heavy UI re-rendering ten times a second),
 * --width/--height/--fps (default 1920/1080/30), --chromium <path>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumCpuSeconds, loadAverage } from './bench-kit.mjs';
import { serveCompositorPage } from './compositor-page.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    engine: { type: 'string', default: 'main,worker' },
    load: { type: 'boolean', default: false },
    'load-busy-ms': { type: 'string', default: '25' },
    'load-every-ms': { type: 'string', default: '100' },
    width: { type: 'string', default: '1920' },
    height: { type: 'string', default: '1080' },
    fps: { type: 'string', default: '30' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const SECONDS = Number(values.seconds);
const OUTPUT = { width: Number(values.width), height: Number(values.height), fps: Number(values.fps) };
const ENGINES = values.engine.split(',');
const WARMUP_MS = 3000;

/** In the page: sources, the scene, the compositor and a consumer worker; `window.__bench` reads the counts. */
async function startComposing({ engine, width, height, fps, seconds, load, busyMs, everyMs }) {
  const { Compositor } = window.onairCompositor;
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } });
  const screen = await navigator.mediaDevices.getDisplayMedia({ video: { width: 1920, height: 1080, frameRate: 30 } });
  // A 480×270 PNG with alpha (a logo-like badge).
  const art = document.createElement('canvas');
  art.width = 480;
  art.height = 270;
  const g = art.getContext('2d');
  g.fillStyle = 'rgba(255, 196, 0, 0.85)';
  g.beginPath();
  g.arc(240, 135, 120, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#102030';
  g.font = 'bold 72px sans-serif';
  g.textAlign = 'center';
  g.fillText('LIVE', 240, 160);
  const none = { left: 0, top: 0, right: 0, bottom: 0 };
  const scene = {
    id: 'bench',
    name: 'Bench',
    items: [
      { id: 'screen', name: 'Screen', kind: 'screen', rect: { x: 0, y: 0, w: 1, h: 1 }, crop: none, visible: true },
      { id: 'cam', name: 'Camera', kind: 'camera', rect: { x: 0.73, y: 0.72, w: 0.25, h: 0.25 }, crop: none, visible: true },
      { id: 'lower-third', name: 'Lower third', kind: 'text', text: 'Jane Doe — Streaming 101 / 配信入門', color: '#ffffff', size: 0.05, background: '#1d2b53', align: 'left', bold: true, rect: { x: 0.03, y: 0.8, w: 0.6, h: 0.1 }, crop: none, visible: true },
      { id: 'logo', name: 'Logo', kind: 'image', src: art.toDataURL('image/png'), rect: { x: 0.85, y: 0.03, w: 0.12, h: 0.12 }, crop: none, visible: true },
    ],
  };
  const compositor = new Compositor({ width, height, fps, engine, statsWindow: seconds * fps });
  compositor.setSources({ camera, screen });
  compositor.setProgram(scene, { kind: 'cut', durationMs: 0 });
  // The consumer: a worker that takes every output frame and closes it (as the encoder would).
  const consumer = new Worker(
    URL.createObjectURL(
      new Blob(
        [
          `let frames = 0; onmessage = async (e) => { if (e.data === 'count') return postMessage(frames); const reader = e.data.getReader(); for (;;) { const { value, done } = await reader.read(); if (done) break; frames++; value.close(); } };`,
        ],
        { type: 'text/javascript' },
      ),
    ),
  );
  const { readable } = new MediaStreamTrackProcessor({ track: compositor.track.clone() });
  consumer.postMessage(readable, [readable]);
  const consumed = () => new Promise((resolve) => { consumer.onmessage = (e) => resolve(e.data); consumer.postMessage('count'); });
  if (load) {
    // Long tasks on the page's main thread (a heavy UI).
    setInterval(() => {
      const end = performance.now() + busyMs;
      while (performance.now() < end);
    }, everyMs);
  }
  window.__bench = { compositor, consumed };
}

async function runEngine(browser, url, engine) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/favicon|404/.test(m.text()) && errors.push(m.text()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => !!window.onairCompositor);
    await page.evaluate(startComposing, { engine, ...OUTPUT, seconds: SECONDS, load: values.load, busyMs: Number(values['load-busy-ms']), everyMs: Number(values['load-every-ms']) });
    await page.waitForTimeout(WARMUP_MS);
    const snapshot = () => page.evaluate(async () => ({ stats: window.__bench.compositor.stats(), consumed: await window.__bench.consumed(), at: performance.now() }));
    const start = await snapshot();
    const cpuStart = { browser: chromiumCpuSeconds(process.pid), at: performance.now() };
    await page.waitForTimeout(SECONDS * 1000);
    const end = await snapshot();
    const wall = (performance.now() - cpuStart.at) / 1000;
    const cpu = chromiumCpuSeconds(process.pid) - cpuStart.browser;
    const windowSeconds = (end.at - start.at) / 1000;
    const drawn = end.stats.framesDrawn - start.stats.framesDrawn;
    return {
      engine,
      windowSeconds: Number(windowSeconds.toFixed(2)),
      // Over the last seconds × fps frames drawn (the window).
      frameMs: end.stats.frameMs,
      framesExpected: Math.round(windowSeconds * OUTPUT.fps),
      framesDrawn: drawn,
      framesDropped: end.stats.framesDropped - start.stats.framesDropped,
      framesConsumed: end.consumed - start.consumed,
      outputFps: Number((drawn / windowSeconds).toFixed(2)),
      browserCpuShareOfOneCore: Number((cpu / wall).toFixed(3)),
      pageErrors: errors,
    };
  } finally {
    await context.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'onair-bench-compositor-'));
  const served = await serveCompositorPage(dir);
  const browser = await chromium.launch({
    executablePath: values.chromium,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream=fps=30', '--use-fake-ui-for-media-stream', '--auto-select-desktop-capture-source=Entire screen',
    ],
  });
  try {
    const loadAtStart = loadAverage();
    const results = [];
    for (const engine of ENGINES) {
      results.push(await runEngine(browser, served.url, engine));
      process.stderr.write(`${engine} done\n`);
    }
    console.log(
      JSON.stringify(
        {
          command: `npm run bench:compositor -- --seconds ${SECONDS} --engine ${ENGINES.join(',')}${values.load ? ` --load --load-busy-ms ${values['load-busy-ms']} --load-every-ms ${values['load-every-ms']}` : ''}`,
          output: OUTPUT,
          sources: 'fake camera 1280x720@30 (Chromium --use-fake-device-for-media-stream), fake screen 1920x1080@30 (getDisplayMedia, Chromium fake capture), text lower third, 480x270 PNG with alpha',
          mainThreadLoad: values.load ? `a ${values['load-busy-ms']} ms long task every ${values['load-every-ms']} ms` : 'none',
          loadAverage1m: { atStart: loadAtStart, atEnd: loadAverage() },
          results,
          targets: { frameMsMedian: 4, framesDropped: 0 },
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
