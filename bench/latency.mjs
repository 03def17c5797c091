#!/usr/bin/env node
/* global document, window */
/**
 * `npm run bench:latency` — glass-to-glass latency of the local media path (not a test).
 *
 * Runs the built studio (`out/main/harness.js`, so `npm run build` first) in headless Chromium
 * with a timestamp-coded canvas as the camera: every frame carries the wall clock (ms) as a
 * 48-bit black/white code. The studio goes live through its own UI; the frames the preview
 * player (@twilio/live-player-sdk) presents are decoded back, and the latency of each is
 * `presentation time − encoded time`. Prints one JSON object. The coded camera and its decoder are
 * in `clock-code.mjs` (shared with `rtmp.mjs`), the harness, browser and /proc CPU in `bench-kit.mjs`.
 *
 * Each run also counts frames at every stage of the path, over the same measurement window:
 * drawn on the source canvas → captured from it (MediaStreamTrackProcessor on a clone of the
 * track) → encoded (MediaRecorder: video samples in its MP4 fragments; WebCodecs: the frames its
 * worker reports put out, `data-frames-out`, updated once a second) → in the HLS segments
 * (ffprobe of the segment files, copied while they exist) → presented by the preview's video
 * element (requestVideoFrameCallback calls, and the compositor's `presentedFrames`) → dropped
 * per `getVideoPlaybackQuality()`. CPU is measured per process from /proc over the window.
 *
 * With `--runs n` (default 3) the runs are made one after another (fresh harness and browser
 * each) and every figure is reported as median / min / max over the runs: CPU figures on a
 * shared 2-core machine are noisy, a single run is not a measurement.
 *
 * Options: --seconds <n> (measurement after the first frame, default 35), --runs <n> (default 3),
 * --chromium <path>, --encoder auto|webcodecs-hardware|webcodecs-software|mediarecorder (the program encoder, set in Settings
 * before Go live; default mediarecorder, the studio's default). The browser's CPU (all Chromium processes: capture,
 * encoder, player) is reported as browserCpuShareOfOneCore.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumCpuSeconds, cpuSeconds, ffmpegProcesses, launchBrowser, loadAverage, openStudio, percentile, spread, startHarness, stopHarness } from './bench-kit.mjs';
import { CLOCK_CODE, installCodedCamera } from './clock-code.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '35' },
    runs: { type: 'string', default: '3' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    encoder: { type: 'string', default: 'auto' },
  },
});
const SECONDS = Number(values.seconds);
const RUNS = Math.max(1, Number(values.runs));
/** The packaging ffmpeg: the one whose arguments name this run's data folder. */
const ffmpegOf = (dataDir) => ffmpegProcesses((args) => args.some((a) => a.startsWith(dataDir)))[0] ?? null;

/**
 * Runs in the page after the coded camera (`clock-code.mjs`): counts the encoder's video output
 * in `window.__stages` (MediaRecorder's fragment samples, or WebCodecs' chunks).
 */
function installEncoderCounters() {
  const stages = window.__stages;
  Object.assign(stages, { encodedVideoSamples: 0, recorderChunks: 0 });

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

  // WebCodecs' frames are counted by the encoder itself (its worker, where a wrapper on the page's
  // VideoEncoder never saw them): the snapshot reads its report (`data-frames-out`).
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
  const browser = await launchBrowser(values.chromium);
  const collector = segmentCollector(dataDir, segmentsDir);
  try {
    const { page, consoleErrors } = await openStudio(browser, url, [[installCodedCamera, CLOCK_CODE], [installEncoderCounters]]);
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
        // The WebCodecs encoder's own count of video frames put out (its report, once a second); MediaRecorder's are counted above.
        const framesOut = Number(document.querySelector('[data-testid="program-feed"]')?.getAttribute('data-frames-out') ?? 0);
        return {
          ...window.__stages,
          encodedVideoSamples: window.__stages.encodedVideoSamples + framesOut,
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
    await stopHarness(child);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(segmentsDir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await runOnce());
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  console.log(
    JSON.stringify(
      {
        command: `npm run bench:latency -- --runs ${RUNS} --seconds ${SECONDS} --encoder ${values.encoder}`,
        runs: RUNS,
        loadAverage1mAtEnd: loadAverage(),
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
