#!/usr/bin/env node
/* global document, window */
/**
 * `npm run bench:rtmp` — the studio's RTMP destinations measured against a real local ingest
 * (not a test). Needs `npm run build` (the harness) and Debian nginx + libnginx-mod-rtmp (the
 * test ingest, `test/support/nginx-rtmp.ts`, loaded through vite's module runner).
 *
 * Per run (a fresh ingest, harness and browser each):
 * 1. The camera is the timestamp-coded canvas of `clock-code.mjs` (the wall clock in ms as a 48-bit
 *    code). Three Custom destinations on the ingest, only the first on; Go live through the UI.
 * 2. **Latency, capture → ingest**: this process pulls the first destination's stream from nginx
 *    with ffmpeg (`-fflags nobuffer -flags low_delay`, one decoding thread, `-flush_packets 1`),
 *    each decoded frame cut down to the code's 48 cells (one gray byte each) on a rawvideo pipe;
 *    latency = the time the frame's bytes arrive here (`Date.now()`) − the time the canvas drew
 *    the code (`Date.now()` in the page). Both read the same system clock (CLOCK_REALTIME) on this
 *    machine, so no offset is estimated; the pull's own decode is inside the figure, and the
 *    canvas (drawn 60×/s, captured 30×/s) adds up to one draw interval (≤ 17 ms) of age.
 *    **Split**: right after that window, where the time goes — drawn → program frame on the page
 *    (this bench's probe), then the studio's own stages (`src/shared/latency.ts`: the encoder's
 *    report, `data-latency`, and main's `media.latency`), and the rest (FLV, RTMP, nginx, the pull)
 *    as end-to-end less their sum (`latencySplitMs`: each stage's median and p90).
 * 3. **CPU** over the same window with 1 destination on, then again with 3 on (the other two turned
 *    on while live): per process from /proc — the studio's main, its ffmpeg children (the RTMP
 *    outputs, the shared audio stage, the preview's packager) and every Chromium process
 *    (capture, encoder, preview player). Per extra destination = (studio total with 3 − with 1) / 2.
 *    Before Go live the browser is measured once with only the camera preview, so its live share
 *    minus that is what the program encoder, the feed and the preview player cost.
 * 4. **Ingest back → publishing**: nginx is SIGKILLed, restarted on the same ports after
 *    `--outage-ms`; from the moment it listens again: until the stat XML shows the first and all
 *    three destinations publishing, and until frames flow (the first frame decoded by a pull that
 *    retries every 100 ms).
 *
 * Prints one JSON object: every run, and every figure as median / min / max over `--runs`.
 * Options: --runs <n> (3), --seconds <n> (each CPU/latency window, 20), --outage-ms <n> (1000),
 * --encoder auto|webcodecs-hardware|webcodecs-software|mediarecorder (Settings → Output → Encoder before Go live; default: the
 * studio's), --chromium <path>.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';
import { chromiumCpuSeconds, cpuSeconds, descendants, launchBrowser, loadAverage, median, openStudio, percentile, processTable, restartingProcess, sleep, spread, startHarness, stopHarness, until } from './bench-kit.mjs';
import { CLOCK_CODE, clockCellsBytes, clockCellsFilter, decodeClockCells, installCodedCamera, installProgramTap } from './clock-code.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    'outage-ms': { type: 'string', default: '1000' },
    encoder: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const SECONDS = Number(values.seconds);
const OUTAGE_MS = Number(values['outage-ms']);
const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const DESTINATIONS = 3;

const { module: nginxRtmp } = await runnerImport(resolve('test/support/nginx-rtmp.ts'), { configFile: false, logLevel: 'silent' });

/**
 * Pulls `url` from the ingest like a low-latency viewer and decodes the clock from every frame;
 * when the pull ends (the ingest went away) it starts again after 100 ms until `stop()`.
 */
function clockPull(url) {
  const frames = [];
  const size = clockCellsBytes(CLOCK_CODE);
  const pull = restartingProcess(FFMPEG, [
    '-hide_banner', '-v', 'error', '-nostdin', '-rw_timeout', '3000000',
    '-fflags', 'nobuffer', '-flags', 'low_delay', '-threads', '1', '-skip_loop_filter', 'all', '-flags2', 'fast',
    '-i', url, '-an', '-vf', clockCellsFilter(CLOCK_CODE), '-f', 'rawvideo', '-flush_packets', '1', 'pipe:1',
  ], {
    onStart: (proc) => {
      let pending = Buffer.alloc(0);
      proc.stdout.on('data', (chunk) => {
        const at = Date.now();
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= size) {
          frames.push({ at, drawnAt: decodeClockCells(pending.subarray(0, size), CLOCK_CODE) });
          pending = pending.subarray(size);
        }
      });
    },
  });
  return { frames, ...pull };
}

/** Latency figures of the frames that arrived in [from, to). */
function latency(frames, from, to) {
  const inWindow = frames.filter((f) => f.at >= from && f.at < to);
  const plausible = inWindow.map((f) => f.at - f.drawnAt).filter((ms) => ms > 0 && ms < 60_000).sort((a, b) => a - b);
  const seconds = (to - from) / 1000;
  return {
    frames: inWindow.length,
    decoded: plausible.length,
    fps: Number((inWindow.length / seconds).toFixed(2)),
    medianMs: Math.round(median(plausible)),
    p90Ms: Math.round(percentile(plausible, 90)),
    minMs: Math.round(plausible[0]),
    maxMs: Math.round(plausible.at(-1)),
  };
}

/** What kind of studio process an ffmpeg is, from its arguments. */
function roleOf(args) {
  if (args.some((a) => /^rtmps?:\/\//.test(a))) return 'rtmpOutputs';
  if (args.includes('-frag_duration') && args.includes('pipe:0') && args.includes('pipe:1')) return 'audioStage';
  if (args.includes('segment')) return 'previewPackager';
  return 'otherFfmpeg';
}

/** CPU seconds now: the studio's main, each of its ffmpeg children by role, and the browser's processes. */
function cpuSnapshot(harnessPid, browserRootPid) {
  const table = processTable();
  const ffmpeg = descendants(harnessPid, (p) => /ffmpeg$/.test(p.args[0] ?? ''), table).map((pid) => ({ pid, role: roleOf(table.get(pid).args), cpu: cpuSeconds(pid) }));
  return { at: performance.now(), main: cpuSeconds(harnessPid), ffmpeg, browser: chromiumCpuSeconds(browserRootPid) };
}

/** Shares of one core between two snapshots; an ffmpeg that started inside the window counts from 0. */
function cpuShares(start, end) {
  const wall = (end.at - start.at) / 1000;
  const share = (seconds) => Number((seconds / wall).toFixed(4));
  const byRole = { rtmpOutputs: 0, audioStage: 0, previewPackager: 0, otherFfmpeg: 0 };
  for (const proc of end.ffmpeg) byRole[proc.role] += proc.cpu - (start.ffmpeg.find((p) => p.pid === proc.pid)?.cpu ?? 0);
  const outputs = end.ffmpeg.filter((p) => p.role === 'rtmpOutputs').length;
  const studioTotal = end.main - start.main + Object.values(byRole).reduce((a, b) => a + b, 0);
  return {
    seconds: Number(wall.toFixed(1)),
    rtmpOutputProcesses: outputs,
    studioMain: share(end.main - start.main),
    rtmpOutputs: share(byRole.rtmpOutputs),
    perRtmpOutput: outputs ? share(byRole.rtmpOutputs / outputs) : null,
    audioStage: share(byRole.audioStage),
    previewPackager: share(byRole.previewPackager),
    studioTotal: share(studioTotal),
    browser: share(end.browser - start.browser),
  };
}

async function measureWindow(harnessPid, pull) {
  const cpuStart = cpuSnapshot(harnessPid, process.pid);
  const pullPid = pull.pid();
  const pullStart = cpuSeconds(pullPid);
  const from = Date.now();
  await sleep(SECONDS * 1000);
  const to = Date.now();
  const pullEnd = pull.pid() === pullPid ? cpuSeconds(pullPid) : null;
  const cpu = cpuShares(cpuStart, cpuSnapshot(harnessPid, process.pid));
  // The bench's own pull (not the studio's): if it cannot keep up, the latency it sees grows.
  cpu.benchPull = pullEnd === null ? null : Number(((pullEnd - pullStart) / ((to - from) / 1000)).toFixed(4));
  return { cpu, latency: latency(pull.frames, from, to) };
}

/** The stages in the order a frame passes them (README "Latency where it is spent"). */
const STUDIO_STAGES = ['encode', 'mux', 'send', 'toMain', 'toStage', 'stage', 'toOutputs'];

/**
 * Capture → ingest split into its stages, read right after a latency window: `capture` (drawn →
 * the program frame on the page, the bench's own probe for `CAPTURE_PROBE_MS`), the studio's own
 * stages (the encoder's report on the page, `data-latency`, and main's `media.latency`; each over
 * its last 300 frames ≈ the window), and `outputToIngest` = the end-to-end median less the sum of
 * the other medians: the destination ffmpeg's FLV mux, RTMP to nginx, nginx, and this bench's pull
 * and decode (nothing in the studio marks it).
 */
const CAPTURE_PROBE_MS = 3000;
async function latencySplit(page, endToEnd) {
  const rendererText = await page.getByTestId('program-feed').getAttribute('data-latency');
  const renderer = rendererText ? JSON.parse(rendererText) : {};
  const mainReply = await page.evaluate(() => window.onair.media.latency());
  const main = mainReply.ok ? mainReply.value : {};
  const capture = await page.evaluate((ms) => window.__captureLatency?.(ms) ?? null, CAPTURE_PROBE_MS);
  // A probe that read no clock code (it happens now and then on a loaded page) counts as not measured: its part is then in outputToIngest.
  const stages = { capture: capture?.decoded ? { medianMs: capture.medianMs, p90Ms: capture.p90Ms, count: capture.decoded } : null };
  for (const name of STUDIO_STAGES) stages[name] = renderer[name] ?? main[name] ?? null;
  const known = Object.values(stages).filter(Boolean);
  const sum = Math.round(known.reduce((total, stage) => total + stage.medianMs, 0) * 10) / 10;
  stages.outputToIngest = { medianMs: Math.round((endToEnd.medianMs - sum) * 10) / 10, derived: 'end-to-end median − the sum of the medians above' };
  const captureProbe = capture ? { source: capture.source, frames: capture.frames, decoded: capture.decoded } : null;
  return { endToEndMs: { medianMs: endToEnd.medianMs, p90Ms: endToEnd.p90Ms }, captureProbe, stages, sumOfMeasuredMediansMs: sum };
}

const publishingNames = async (nginx) => (await nginx.streams()).filter((s) => s.publishing).map((s) => s.name);

async function runOnce() {
  const keys = Array.from({ length: DESTINATIONS }, (_, i) => `bench_${i + 1}_${randomBytes(8).toString('hex')}`);
  const nginx = await nginxRtmp.startNginxRtmp({ keys });
  const dataDir = mkdtempSync(join(tmpdir(), 'onair-bench-rtmp-'));
  let harness = null;
  let browser = null;
  let pull = null;
  try {
    harness = await startHarness(dataDir);
    browser = await launchBrowser(values.chromium);
    const { page, consoleErrors } = await openStudio(browser, harness.url, [
      [installCodedCamera, CLOCK_CODE],
      [installProgramTap, CLOCK_CODE],
    ]);
    if (values.encoder) {
      const saved = await page.evaluate((programEncoder) => window.onair.settings.update({ programEncoder }), values.encoder);
      if (!saved.ok) throw new Error(`settings.update: ${saved.error.code}`);
    }
    const server = nginx.rtmpUrl();
    const ids = await page.evaluate(
      async ({ server, keys }) => {
        const ids = [];
        for (const [i, streamKey] of keys.entries()) {
          const reply = await window.onair.destinations.add({ name: `Bench ${i + 1}`, presetId: 'custom', serverUrl: server, streamKey, enabled: i === 0 });
          if (!reply.ok) throw new Error(`destinations.add: ${reply.error.code}`);
          ids.push(reply.value.id);
        }
        return ids;
      },
      { server, keys },
    );

    // The browser with the camera preview only (not live).
    await sleep(2000);
    const idleStart = cpuSnapshot(harness.child.pid, process.pid);
    await sleep(Math.min(10, SECONDS) * 1000);
    const browserIdle = cpuShares(idleStart, cpuSnapshot(harness.child.pid, process.pid)).browser;

    await page.waitForFunction(() => !document.querySelector('.go-live')?.disabled, undefined, { timeout: 20_000 });
    await page.getByRole('button', { name: 'Go live' }).click();
    await until('the first destination publishing', async () => (await publishingNames(nginx)).includes(keys[0]), 30_000, 100);
    const encoder = await page.getByTestId('program-feed').getAttribute('data-encoder');
    pull = clockPull(`${server}/${keys[0]}`);
    await until('frames from the ingest', () => pull.frames.length >= 60, 30_000, 100);
    await sleep(2000);
    const one = await measureWindow(harness.child.pid, pull);
    const split = await latencySplit(page, one.latency);

    // Two more destinations on while live.
    await page.evaluate(async (more) => {
      for (const id of more) {
        const reply = await window.onair.destinations.update({ id, enabled: true });
        if (!reply.ok) throw new Error(`destinations.update: ${reply.error.code}`);
      }
    }, ids.slice(1));
    await until('three destinations publishing', async () => (await publishingNames(nginx)).length === DESTINATIONS, 30_000, 100).catch(async (error) => {
      const snapshot = await page.evaluate(() => window.onair.destinations.list());
      console.error(JSON.stringify(snapshot.value?.runtime), harness.output.join('\n').slice(-3000));
      throw error;
    });
    await sleep(3000);
    const three = await measureWindow(harness.child.pid, pull);

    // The ingest crashes, comes back after the outage; how long until publishing and frames again.
    await nginx.kill();
    await sleep(OUTAGE_MS);
    await nginx.start();
    const backAt = Date.now();
    const firstPublishing = await until('a destination publishing again', async () => ((await publishingNames(nginx)).length > 0 ? Date.now() : 0), 60_000);
    const allPublishing = await until('every destination publishing again', async () => ((await publishingNames(nginx)).length === DESTINATIONS ? Date.now() : 0), 60_000);
    const framesAgain = await until('frames from the ingest again', () => pull.frames.find((f) => f.at > backAt)?.at ?? 0, 60_000);
    await pull.stop();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop broadcast' }).click();
    await until('no destination publishing', async () => (await publishingNames(nginx)).length === 0, 20_000, 100);

    return {
      encoder,
      latencyMs: { oneDestination: one.latency, threeDestinations: three.latency },
      latencySplitMs: split,
      cpuShareOfOneCore: {
        oneDestination: one.cpu,
        threeDestinations: three.cpu,
        perExtraDestination: Number(((three.cpu.studioTotal - one.cpu.studioTotal) / (DESTINATIONS - 1)).toFixed(4)),
        browserIdle,
        browserLiveMinusIdle: Number((one.cpu.browser - browserIdle).toFixed(4)),
      },
      ingestBack: {
        outageMs: OUTAGE_MS,
        toFirstPublishingMs: firstPublishing - backAt,
        toAllPublishingMs: allPublishing - backAt,
        toFramesMs: framesAgain - backAt,
      },
      consoleErrors: consoleErrors.length,
    };
  } finally {
    await pull?.stop();
    await browser?.close();
    if (harness) await stopHarness(harness.child);
    await nginx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await runOnce());
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  const summary = spread(runs);
  console.log(
    JSON.stringify(
      {
        command: `npm run bench:rtmp -- --runs ${RUNS} --seconds ${SECONDS} --outage-ms ${OUTAGE_MS}${values.encoder ? ` --encoder ${values.encoder}` : ''}`,
        runs: RUNS,
        loadAverage1mAtEnd: loadAverage(),
        summary,
        perRun: runs,
        targets: { captureToIngestMedianMs: 150, perExtraDestinationShareOfOneCore: 0.01, ingestBackToPublishingMs: 3000 },
        met: {
          captureToIngestMedianMs: summary.latencyMs.oneDestination.medianMs.median <= 150,
          perExtraDestinationShareOfOneCore: summary.cpuShareOfOneCore.perExtraDestination.median <= 0.01,
          ingestBackToPublishingMs: summary.ingestBack.toAllPublishingMs.max <= 3000,
        },
        note: 'median/min/max over runs; latency = arrival of the decoded frame from a pull of the ingest − the drawing time coded in it (one machine clock); latencySplitMs = the same path by stage (README "Latency where it is spent"; outputToIngest is the end-to-end median less the other medians); CPU shares from /proc per process over each window (noisy on a shared 2-core machine)',
      },
      null,
      2,
    ),
  );
}

await main();
