#!/usr/bin/env node
/* global document, window, AudioContext, MediaStream, MediaStreamTrackProcessor */
/**
 * `npm run bench:latency` — glass-to-glass latency of the local media path (not a test).
 *
 * Runs the built studio (`out/main/harness.js`, so `npm run build` first) in headless Chromium
 * with a timestamp-coded canvas as the camera: every frame carries the wall clock (ms) as a
 * 48-bit black/white code. The studio goes live through its own UI; the frames the preview
 * player (@twilio/live-player-sdk) presents are decoded back, and the latency of each is
 * `presentation time − encoded time`. Prints one JSON object.
 *
 * Each run also counts frames at every stage of the path, over the same measurement window:
 * drawn on the source canvas → captured from it (MediaStreamTrackProcessor on a clone of the
 * track) → encoded by MediaRecorder (video samples in its MP4 fragments) → in the HLS segments
 * (ffprobe of the segment files, copied while they exist) → presented by the preview's video
 * element (requestVideoFrameCallback calls, and the compositor's `presentedFrames`) → dropped
 * per `getVideoPlaybackQuality()`. CPU is measured per process from /proc over the window.
 *
 * With `--runs n` (default 3) the runs are made one after another (fresh harness and browser
 * each) and every figure is reported as median / min / max over the runs: CPU figures on a
 * shared 2-core machine are noisy, a single run is not a measurement.
 *
 * Options: --seconds <n> (measurement after the first frame, default 35), --runs <n> (default 3),
 * --chromium <path>, --encoder webcodecs|mediarecorder (the program encoder, set in Settings
 * before Go live; default mediarecorder, the studio's default). The browser's CPU (all Chromium processes: capture,
 * encoder, player) is reported as browserCpuShareOfOneCore.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '35' },
    runs: { type: 'string', default: '3' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    encoder: { type: 'string', default: 'mediarecorder' },
  },
});
const SECONDS = Number(values.seconds);
const RUNS = Math.max(1, Number(values.runs));
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

/** CPU seconds of the Chromium processes below `pid` (this bench's browser: its browser, renderer, GPU and utility processes). */
function chromiumCpuSeconds(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const inTree = (p) => {
    for (let at = p; at > 1; at = parents.get(at)) if (at === pid) return true;
    return false;
  };
  let total = 0;
  for (const p of parents.keys()) {
    if (p === pid || !inTree(p)) continue;
    try {
      if (!/chrom/i.test(readFileSync(`/proc/${p}/comm`, 'utf8'))) continue;
      total += cpuSeconds(p);
    } catch {
      // gone
    }
  }
  return total;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/**
 * Runs in the page before the app: the camera is a canvas that shows the clock as a code, and
 * the stages of the path are counted (`window.__stages`).
 */
function installCodedCamera() {
  const W = 1280;
  const H = 720;
  const BITS = 48;
  const COLS = 16;
  const ROWS = BITS / COLS;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  const cell = W / COLS;
  const stages = { drawn: 0, captured: 0, encodedVideoSamples: 0, recorderChunks: 0 };
  window.__stages = stages;
  const draw = () => {
    const now = Date.now();
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, W, H);
    for (let bit = 0; bit < BITS; bit++) {
      const on = Math.floor(now / 2 ** bit) % 2 === 1;
      ctx.fillStyle = on ? '#fff' : '#000';
      ctx.fillRect((bit % COLS) * cell, Math.floor(bit / COLS) * cell, cell, cell);
    }
    ctx.fillStyle = '#fff';
    ctx.font = '64px sans-serif';
    ctx.fillText(String(now), 40, H - 60);
    stages.drawn += 1;
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
  // Frames the capture delivers: read from a clone of the canvas track (each frame closed at once).
  const countCaptured = (track) => {
    if (typeof MediaStreamTrackProcessor === 'undefined') return;
    const reader = new MediaStreamTrackProcessor({ track: track.clone() }).readable.getReader();
    const pump = () =>
      reader.read().then(({ value, done }) => {
        if (done) return;
        stages.captured += 1;
        value.close();
        pump();
      });
    pump();
  };
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (constraints.video) {
      if (!video) {
        video = canvas.captureStream(30);
        countCaptured(video.getVideoTracks()[0]);
      }
      return new MediaStream(video.getVideoTracks().map((t) => t.clone()));
    }
    return audio();
  };

  // Video samples in MediaRecorder's fragmented MP4: the video track's id from `moov`, then the
  // sample count of each `trun` of that track in every `moof`.
  let videoTrackId = null;
  const boxes = (view, start, end, visit) => {
    for (let at = start; at + 8 <= end; ) {
      const size = view.getUint32(at);
      const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));
      if (size < 8 || at + size > end) return;
      visit(type, at + 8, at + size);
      at += size;
    }
  };
  const countSamples = (buffer) => {
    const view = new DataView(buffer);
    boxes(view, 0, view.byteLength, (type, start, end) => {
      if (type === 'moov') {
        boxes(view, start, end, (t, s, e) => {
          if (t !== 'trak') return;
          let id = null;
          let handler = null;
          boxes(view, s, e, (tt, ss, ee) => {
            if (tt === 'tkhd') id = view.getUint8(ss) === 1 ? view.getUint32(ss + 20) : view.getUint32(ss + 12);
            if (tt === 'mdia') boxes(view, ss, ee, (m, ms) => m === 'hdlr' && (handler = String.fromCharCode(...new Uint8Array(buffer, ms + 8, 4))));
          });
          if (handler === 'vide') videoTrackId = id;
        });
      }
      if (type === 'moof') {
        boxes(view, start, end, (t, s, e) => {
          if (t !== 'traf') return;
          let id = null;
          let samples = 0;
          boxes(view, s, e, (tt, ss) => {
            if (tt === 'tfhd') id = view.getUint32(ss + 4);
            if (tt === 'trun') samples += view.getUint32(ss + 4);
          });
          if (id !== null && id === videoTrackId) stages.encodedVideoSamples += samples;
        });
      }
    });
  };
  const Recorder = window.MediaRecorder;
  window.MediaRecorder = class CountingRecorder extends Recorder {
    constructor(...args) {
      super(...args);
      // Chunks are parsed in order (the init segment with `moov` comes first).
      let chain = Promise.resolve();
      this.addEventListener('dataavailable', (event) => {
        stages.recorderChunks += 1;
        chain = chain.then(() => event.data.arrayBuffer()).then(countSamples, () => {});
      });
    }
  };

  // Video chunks out of WebCodecs (the program encoder), counted like MediaRecorder's samples.
  if (window.VideoEncoder) {
    const Encoder = window.VideoEncoder;
    window.VideoEncoder = class CountingEncoder extends Encoder {
      constructor(init) {
        super({ ...init, output: (chunk, meta) => { stages.encodedVideoSamples += 1; init.output(chunk, meta); } });
      }
    };
  }

  // Decodes the clock code from a presented frame: the code's cells scaled down to one pixel each
  // (a 16×3 image, one read) — cheap enough not to steal the page's time from the capture.
  const sample = document.createElement('canvas');
  sample.width = COLS;
  sample.height = ROWS;
  const c = sample.getContext('2d', { willReadFrequently: true });
  window.__decode = (frame) => {
    const sx = frame.videoWidth / W;
    const sy = frame.videoHeight / H;
    c.drawImage(frame, 0, 0, W * sx, ROWS * cell * sy, 0, 0, COLS, ROWS);
    const data = c.getImageData(0, 0, COLS, ROWS).data;
    let value = 0;
    for (let bit = 0; bit < BITS; bit++) {
      const i = bit * 4;
      if ((data[i] + data[i + 1] + data[i + 2]) / 3 > 128) value += 2 ** bit;
    }
    return value;
  };
}

/** Finished segments (the next one exists, or the stream ended) copied out of the harness's HLS folder while they exist. */
function segmentCollector(dataDir, into) {
  mkdirSync(into, { recursive: true });
  const copied = new Set();
  const sweep = (all) => {
    const root = join(dataDir, 'local-cloud', 'hls');
    if (!existsSync(root)) return;
    for (const session of readdirSync(root)) {
      const dir = join(root, session);
      let names;
      try {
        names = readdirSync(dir).filter((n) => /^s\d+\.ts$/.test(n)).sort();
      } catch {
        continue;
      }
      names.forEach((name, i) => {
        if (copied.has(name) || (!all && i === names.length - 1)) return;
        try {
          copyFileSync(join(dir, name), join(into, name));
          copied.add(name);
        } catch {
          // pruned meanwhile
        }
      });
    }
  };
  const timer = setInterval(() => sweep(false), 200);
  return {
    stop: () => {
      clearInterval(timer);
      sweep(true);
    },
  };
}

/** Video frames in the copied segments (ffprobe packet count) and the media time they span. */
function framesInSegments(dir) {
  let frames = 0;
  let first = Infinity;
  let last = -Infinity;
  const names = readdirSync(dir).filter((n) => n.endsWith('.ts')).sort();
  for (const name of names) {
    const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', join(dir, name)], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const t = Number(line.split(',')[0]);
      if (!line.trim() || !Number.isFinite(t)) continue;
      frames += 1;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
  }
  const span = last - first;
  return { segments: names.length, frames, mediaSeconds: Number(span.toFixed(2)), fps: span > 0 ? Number(((frames - 1) / span).toFixed(2)) : null };
}

async function runOnce() {
  const dataDir = mkdtempSync(join(tmpdir(), 'onair-bench-'));
  const segmentsDir = mkdtempSync(join(tmpdir(), 'onair-bench-segments-'));
  const { child, url } = await startHarness(dataDir);
  const browser = await chromium.launch({
    executablePath: values.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  const collector = segmentCollector(dataDir, segmentsDir);
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    await context.addInitScript(installCodedCamera);
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(url);
    await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
    const firstRun = page.getByRole('button', { name: 'Start in Local mode' });
    if (await firstRun.isVisible().catch(() => false)) await firstRun.click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
    await page.evaluate((programEncoder) => window.onair.settings.update({ programEncoder }), values.encoder);
    const goLive = page.getByRole('button', { name: 'Go live' });
    await goLive.waitFor();
    await page.waitForFunction(() => !document.querySelector('.go-live')?.disabled);

    // Watch the preview player's presented frames from the moment of the click.
    await page.evaluate(() => {
      window.__bench = { clickAt: 0, firstFrameAt: 0, samples: [], callbacks: 0, presentedFrames: 0 };
      const hook = () => {
        const video = document.querySelector('[data-testid="preview-video"]');
        if (!video) return void setTimeout(hook, 5);
        window.__previewVideo = video;
        const onFrame = (_now, meta) => {
          if (video.videoWidth > 0) {
            const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
            if (!window.__bench.firstFrameAt) window.__bench.firstFrameAt = shownAt;
            const encoded = window.__decode(video);
            window.__bench.samples.push({ shownAt, latency: shownAt - encoded });
            window.__bench.callbacks += 1;
            window.__bench.presentedFrames = meta.presentedFrames;
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
    // Every stage at the start and at the end of the same window.
    const snapshot = () =>
      page.evaluate(() => {
        const q = window.__previewVideo?.getVideoPlaybackQuality?.();
        return {
          ...window.__stages,
          callbacks: window.__bench.callbacks,
          presentedFrames: window.__bench.presentedFrames,
          qualityTotal: q?.totalVideoFrames ?? 0,
          qualityDropped: q?.droppedVideoFrames ?? 0,
          currentTime: window.__previewVideo?.currentTime ?? 0,
          at: Date.now(),
        };
      });
    const ffmpeg = ffmpegOf(dataDir);
    const cpuStart = { ffmpeg: ffmpeg ? cpuSeconds(ffmpeg) : 0, harness: cpuSeconds(child.pid), browser: chromiumCpuSeconds(process.pid), at: performance.now() };
    const stagesStart = await snapshot();
    await page.waitForTimeout(SECONDS * 1000);
    const stagesEnd = await snapshot();
    const cpuEnd = { ffmpeg: ffmpeg ? cpuSeconds(ffmpeg) : 0, harness: cpuSeconds(child.pid), browser: chromiumCpuSeconds(process.pid), at: performance.now() };
    const wall = (cpuEnd.at - cpuStart.at) / 1000;
    const bench = await page.evaluate(() => ({
      ...window.__bench,
      state: document.querySelector('[data-testid="preview-player"]')?.getAttribute('data-state'),
      encoder: document.querySelector('[data-testid="program-feed"]')?.getAttribute('data-encoder'),
    }));
    const window_ = (stagesEnd.at - stagesStart.at) / 1000;
    const stage = (key) => {
      const count = stagesEnd[key] - stagesStart[key];
      return { count, fps: Number((count / window_).toFixed(2)) };
    };
    collector.stop();
    const plausible = bench.samples.filter((s) => s.latency > 0 && s.latency < 60_000);
    const settled = plausible.filter((s) => s.shownAt >= bench.firstFrameAt + 2_000).map((s) => s.latency).sort((a, b) => a - b);
    const all = plausible.map((s) => s.latency).sort((a, b) => a - b);
    return {
      seconds: Math.round(wall),
      // Frames the compositor presented in the window (rVFC callbacks coalesce under load, so
      // their count is lower: it is only the number of latency samples).
      framesPresented: stagesEnd.presentedFrames - stagesStart.presentedFrames,
      latencySamples: bench.samples.length,
      latencySamplesDecoded: plausible.length,
      glassToGlassMs: {
        median: Math.round(percentile(settled, 50)),
        p90: Math.round(percentile(settled, 90)),
        min: Math.round(settled[0]),
        max: Math.round(settled.at(-1)),
      },
      glassToGlassAllMs: { median: Math.round(percentile(all, 50)), p90: Math.round(percentile(all, 90)) },
      clickToFirstFrameMs: Math.round(bench.firstFrameAt - bench.clickAt),
      packagingCpuShareOfOneCore: ffmpeg ? Number(((cpuEnd.ffmpeg - cpuStart.ffmpeg) / wall).toFixed(4)) : null,
      studioMainCpuShareOfOneCore: Number(((cpuEnd.harness - cpuStart.harness) / wall).toFixed(4)),
      browserCpuShareOfOneCore: Number(((cpuEnd.browser - cpuStart.browser) / wall).toFixed(4)),
      encoder: bench.encoder,
      stages: {
        windowSeconds: Number(window_.toFixed(1)),
        drawn: stage('drawn'),
        captured: stage('captured'),
        encoded: stage('encodedVideoSamples'),
        inSegments: framesInSegments(segmentsDir),
        presentedCallbacks: stage('callbacks'),
        presentedByCompositor: stage('presentedFrames'),
        playbackQuality: { total: stagesEnd.qualityTotal - stagesStart.qualityTotal, dropped: stagesEnd.qualityDropped - stagesStart.qualityDropped },
        // Media time the preview advanced per second of the window (1 = real time, no stall).
        playbackSpeed: Number(((stagesEnd.currentTime - stagesStart.currentTime) / window_).toFixed(3)),
      },
      consoleErrors: consoleErrors.length,
      playerStateAtEnd: bench.state,
    };
  } finally {
    collector.stop();
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(segmentsDir, { recursive: true, force: true });
  }
}

/** Every numeric leaf of the per-run results as { median, min, max } over the runs. */
function spread(results) {
  const at = (object, path) => path.reduce((o, k) => (o == null ? o : o[k]), object);
  const walk = (template, path) => {
    if (typeof template === 'number') {
      const xs = results.map((r) => at(r, path)).filter((x) => typeof x === 'number').sort((a, b) => a - b);
      const median = xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
      const round = (x) => Number(x.toFixed(4));
      return { median: round(median), min: round(xs[0]), max: round(xs.at(-1)) };
    }
    if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, walk(v, [...path, k])]));
    return results.map((r) => at(r, path));
  };
  return walk(results[0], []);
}

async function main() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await runOnce());
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  const [cpuInfo] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  console.log(
    JSON.stringify(
      {
        command: `npm run bench:latency -- --runs ${RUNS} --seconds ${SECONDS} --encoder ${values.encoder}`,
        runs: RUNS,
        loadAverage1mAtEnd: Number(cpuInfo),
        summary: spread(runs),
        perRun: runs,
        targets: { glassToGlassMedianMs: 1000, clickToFirstFrameMs: 1500, packagingCpuShare: 0.05 },
        note: 'medians over runs; glass-to-glass from frames presented 2 s after the first frame on; CPU shares from /proc per process over the window (noisy on a shared 2-core machine)',
      },
      null,
      2,
    ),
  );
}

await main();
