#!/usr/bin/env node
/* global document, Element, window */
/**
 * `npm run bench:soak -- --minutes N [--check]` — the studio on air for a long time, and what it
 * leaves behind (not a test). Needs `npm run build` (the harness), Debian `chromium`, `ffmpeg` and
 * nginx + libnginx-mod-rtmp (the test ingest `test/support/nginx-rtmp.ts`, loaded through vite's
 * module runner, as `bench:rtmp` does).
 *
 * The studio (`out/main/harness.js` in its own process group, with a TMPDIR of its own so only its
 * temp files are counted) and headless Chromium with the fake camera at 30 fps, in Local mode (so
 * the local HLS and the in-app preview player run too). Through the UI as a user: Settings →
 * Encoder (WebCodecs) and the recording folder, two Custom destinations on one nginx-rtmp (random
 * keys, never printed), the scenes *Starting soon* and *Be right back* added beside *Camera*,
 * Record, Go live. Then for `--minutes`: a scene switch every 10 s (hotkeys 1/2/3), nginx SIGKILLed
 * and restarted every `--restart-every-min`, memory sampled every `--sample-every-s`. At the end
 * Stop recording, Stop (broadcast), and what is left is counted.
 *
 * Frames at the destinations: this nginx-rtmp's stat XML (`rtmp_stat all`, module 1.1.4/1.2.2) has
 * no frame counter, so each destination is pulled as a viewer (`ffmpeg -c copy -f framecrc`: one
 * line a video packet, nothing decoded), again after every reconnect. Each pull session is one
 * uninterrupted publishing period (nginx drops the viewers when the publisher goes: `idle_streams
 * off`); its frames are compared with its own span (first → last packet) × 30 fps, by the wall
 * clock (arrival here) and by the stream's clock (the packets' timestamps).
 *
 * Prints one JSON object on stdout; progress goes to stderr. See README "Soak benchmark".
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';
import { memoryDump } from './memory-dump.mjs';
import { descendants, killGroup, launchBrowser, loadAverage, processTable, restartingProcess, sleep, startHarness, until } from './bench-kit.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    'restart-every-min': { type: 'string' },
    'outage-ms': { type: 'string', default: '1000' },
    'sample-every-s': { type: 'string', default: '5' },
    encoder: { type: 'string', default: 'auto' },
    // The program's size (Settings → Output → Resolution) and the camera's (the studio's picker).
    resolution: { type: 'string', default: '720p' },
    // off: the destinations' frames against duration × fps are reported but not judged (.ci/run: a 2-core
    // runner without a GPU encodes fewer than 30 fps in software, which is the encoder's capacity, not a leak).
    'frames-check': { type: 'string', default: 'on' },
    check: { type: 'boolean', default: false },
    // 0 = off. Every N minutes (and after Go live and before Stop), Chromium's memory-infra dump of the
    // studio's renderer, by allocator (bench/memory-dump.mjs): where its memory goes, in `memory.allocators`.
    'memory-dumps-every-min': { type: 'string', default: '0' },
    // At each ingest restart, while the destinations are down (default), or every N minutes: the page
    // and its workers collect their garbage (Chromium started with --js-flags=--expose-gc) and the
    // renderer's RSS is read once it stops falling — the `settled` series, which a long run's renderer
    // slope is judged on (the raw RSS rides a garbage collector's saw tooth). At the restart, the
    // collections' pauses fall where no destination period is judged.
    'settled-every-min': { type: 'string' },
    // A file to write the studio's own log to at the end (stream keys redacted): what it restarted, fell back from, and why.
    'studio-log': { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const MINUTES = Number(values.minutes);
if (!(MINUTES > 0)) throw new Error('--minutes must be a positive number');
// Every 5 minutes; a run shorter than two periods restarts once, half way (the reconnect path is always covered).
const RESTART_EVERY_MIN = values['restart-every-min'] !== undefined ? Number(values['restart-every-min']) : Math.min(5, MINUTES / 2);
const OUTAGE_MS = Number(values['outage-ms']);
const SAMPLE_EVERY_MS = Number(values['sample-every-s']) * 1000;
const SCENE_EVERY_MS = 10_000;
const DUMP_EVERY_MS = Number(values['memory-dumps-every-min']) * 60_000;
const SETTLED_AT_RESTART = values['settled-every-min'] === undefined;
const SETTLED_EVERY_MS = SETTLED_AT_RESTART ? Infinity : Number(values['settled-every-min']) * 60_000;
if (!(SETTLED_EVERY_MS > 0)) throw new Error('--settled-every-min must be a positive number');
const FPS = 30;
const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const FFPROBE = FFMPEG.includes('/') ? join(dirname(FFMPEG), 'ffprobe') : 'ffprobe';
/**
 * Memory samples left out of the slope while bounded caches fill. Runs of 30 minutes or more: the first
 * 15 minutes — Chromium's software image decode cache (`cc/image_memory`, discardable shared memory) keeps a
 * copy of camera frames the compositor draws, up to its cap (~470 MB here), which takes ~10-12 minutes of
 * this soak to reach (README "Soak benchmark", measured with memory-infra dumps). Shorter runs: the first
 * minute (a sixth of a run under 6 minutes).
 */
const WARMUP_MS = MINUTES >= 30 ? 15 * 60_000 : Math.min(60_000, (MINUTES * 60_000) / 6);

/** The thresholds `--check` applies (README "Soak benchmark" says why each). */
export const LIMITS = {
  /** Least-squares slope of RSS over the run (after the warm-up), runs of 30 min or more. */
  slopeMBPerHour: 10,
  /**
   * Runs under 30 min: the second half's mean RSS − the first half's (after the warm-up). Only a guard
   * against runaway growth (an unbounded queue, a buffer kept per frame): a few minutes cannot tell
   * 10 MB/h from warm-up and garbage-collector swings (README "Soak benchmark").
   */
  shortRunHalfDeltaMB: { main: 32, renderer: 64 },
  recordingDriftSeconds: 1,
  /**
   * Record click → the file's first frame in main: a guard, not a target (0.74 s quiet, 1.06 s with a CPU hog
   * here: the page starts a cold encoder once main says REC; a wait for the next keyframe would add up to 2 s).
   */
  recordingStartMs: 5000,
  framesShortfall: 0.01,
  /** Pull sessions shorter than this are reported but not judged (a ±1 frame edge is over 1 % of them). */
  minJudgedPeriodSeconds: 20,
};

const ROOT = mkdtempSync(join(tmpdir(), 'onair-soak-'));
const HARNESS_TMP = join(ROOT, 'h');
const BENCH_TMP = join(ROOT, 'b');
const DATA_DIR = join(ROOT, 'data');
const RECORDINGS = join(ROOT, 'rec');
for (const dir of [HARNESS_TMP, BENCH_TMP, DATA_DIR, RECORDINGS]) mkdirSync(dir);
// nginx's folder and Chromium's profile go below ROOT too, so removing ROOT removes everything.
process.env.TMPDIR = BENCH_TMP;

/** Two destinations on one ingest, with random keys that are never printed (`redact` everything that might hold one). */
const destinations = ['Soak A', 'Soak B'].map((name) => ({ name, key: `soak_${randomBytes(12).toString('hex')}` }));
const redact = (text) => destinations.reduce((t, d) => t.replaceAll(d.key, '<key>'), String(text));

const t0 = Date.now();
const clock = (at = Date.now()) => {
  const s = Math.round((at - t0) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const progress = (line) => process.stderr.write(`[${clock()}] ${redact(line)}\n`);
const round = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits)));

// ---------------------------------------------------------------------------------------------
// What is left behind: processes, descriptors, FIFOs, temp files, memory (Linux /proc)

const MB = 1024;
function procKb(pid, file, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
const rssMB = (pid) => round(procKb(pid, 'status', 'VmRSS') / MB, 1);
const pssMB = (pid) => round(procKb(pid, 'smaps_rollup', 'Pss') / MB, 1);
/**
 * RSS of a process's shared-memory regions (`/memfd:shared-memory-region` mappings in smaps): in the
 * renderer mostly Chromium's discardable image decode cache, which fills to a cap and then holds.
 */
function sharedRegionsMB(pid) {
  try {
    let kb = 0;
    let shared = false;
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) shared = line.includes('/memfd:shared-memory-region');
      else if (shared && line.startsWith('Rss:')) kb += Number(/(\d+)/.exec(line)[1]);
    }
    return round(kb / MB, 1);
  } catch {
    return null;
  }
}

/** Open descriptors of `pid`, by kind (socket, pipe, anon_inode, file, …). */
function openFds(pid) {
  const byKind = {};
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = /^(socket|pipe|anon_inode):/.exec(target)?.[1] ?? (target.startsWith('/dev/') ? 'device' : 'file');
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    total++;
  }
  return { total, byKind };
}

/**
 * The TCP sockets among `pid`'s descriptors: listening, accepted (a peer connected to one of its
 * listening ports: here the page's HTTP keep-alive and WebSocket connections) and the rest.
 */
function tcpSockets(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const rows = [];
  for (const table of ['tcp', 'tcp6']) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      rows.push({ localPort: parseInt(f[1].split(':')[1], 16), state: f[3] });
    }
  }
  const listening = new Set(rows.filter((r) => r.state === '0A').map((r) => r.localPort));
  const accepted = rows.filter((r) => r.state !== '0A' && listening.has(r.localPort)).length;
  return { listening: listening.size, accepted, other: rows.length - listening.size - accepted };
}

/** Descriptors, and those that are connections a peer (the page) opened and holds: the studio cannot close those alone. */
function fdCensus(pid) {
  const fds = openFds(pid);
  const tcp = tcpSockets(pid);
  return { ...fds, tcp, ownTotal: fds.total - tcp.accepted };
}

/** Every entry below `dir` (recursively): FIFOs and `onair-*` entries at the top. */
function tempCensus(dir) {
  const fifos = [];
  let entries = 0;
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      entries++;
      const stat = lstatSync(path);
      if (stat.isFIFO()) fifos.push(path);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(dir);
  const top = readdirSync(dir);
  return { entries, fifos: fifos.length, onair: top.filter((name) => name.startsWith('onair-')).length, topNames: top.map((name) => name.replace(/[0-9A-Za-z]{6}$/, '…')) };
}

const isFfmpeg = (proc) => /ffmpeg$/.test(proc.args[0] ?? '');

/** The studio's own processes now: its ffmpeg children (anywhere below it). */
const studioFfmpeg = (harnessPid, table = processTable()) => descendants(harnessPid, isFfmpeg, table).length;

/** This bench's Chromium processes: all of them, and the renderer(s) by `--type=renderer`. */
function chromiumProcesses(table = processTable()) {
  const all = descendants(process.pid, (proc) => /chrom/i.test(proc.comm) || /chrom/i.test(proc.args[0] ?? ''), table);
  // Chromium rewrites its command line as one string: read the flags from it joined.
  const flags = (pid) => table.get(pid).args.join(' ');
  const typeOf = (pid) => /--type=(\S+)/.exec(flags(pid))?.[1] ?? 'browser';
  return all.map((pid) => ({ pid, type: typeOf(pid), webui: flags(pid).includes('--top-chrome-webui') }));
}

/** Seconds of `field` (a cumulative thread-time counter) per wall second between two samples; null without both. */
function busyFraction(from, to, field) {
  if (!from || !to || to.t <= from.t || typeof from[field] !== 'number' || typeof to[field] !== 'number') return null;
  return round((to[field] - from[field]) / ((to.t - from.t) / 1000), 3);
}

function leastSquaresSlope(points) {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** RSS figures of one series of `[ms since live, MB]`: slope (MB/h) after the warm-up, halves' means. */
function memoryFigures(series) {
  const points = series.filter(([, y]) => typeof y === 'number');
  if (points.length === 0) return null;
  const judged = points.filter(([x]) => x >= WARMUP_MS);
  const mean = (xs) => (xs.length ? xs.reduce((a, [, y]) => a + y, 0) / xs.length : null);
  const half = judged.length >> 1;
  const first = mean(judged.slice(0, half));
  const second = mean(judged.slice(half));
  const ys = points.map(([, y]) => y);
  return {
    startMB: ys[0],
    endMB: ys.at(-1),
    minMB: Math.min(...ys),
    maxMB: Math.max(...ys),
    slopeMBPerHour: round(leastSquaresSlope(judged.map(([x, y]) => [x / 3_600_000, y])), 1),
    slopeSamples: judged.length,
    firstHalfMeanMB: round(first, 1),
    secondHalfMeanMB: round(second, 1),
    halfDeltaMB: first === null || second === null ? null : round(second - first, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Frames at a destination: a viewer's pull of it, one session per publishing period

/**
 * Pulls `url` (video only, copied, `framecrc`: a line per packet) until `stop()`, again 250 ms
 * after each end (nginx refuses or drops viewers while nobody publishes).
 */
function framePull(url) {
  const sessions = [];
  let session = null;
  const pull = restartingProcess(FFMPEG, ['-hide_banner', '-v', 'error', '-nostdin', '-rw_timeout', '3000000', '-fflags', 'nobuffer', '-i', url, '-map', '0:v:0', '-c', 'copy', '-copyinkf', '-f', 'framecrc', 'pipe:1'], {
    restartMs: 250,
    onStart: (proc) => {
      const current = { frames: 0, firstAt: null, lastAt: null, firstDts: null, lastDts: null, timeBase: 1 / 1000 };
      session = current;
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const at = Date.now();
        const tb = /^#tb 0: (\d+)\/(\d+)/.exec(line);
        if (tb) current.timeBase = Number(tb[1]) / Number(tb[2]);
        if (line.startsWith('#')) return;
        const dts = Number(line.split(',')[1]);
        current.frames++;
        current.firstAt ??= at;
        current.lastAt = at;
        current.firstDts ??= dts;
        current.lastDts = dts;
      });
    },
    onEnd: () => {
      if (session?.frames > 0) sessions.push(session);
    },
  });
  return { sessions, stop: pull.stop };
}

/** Per pull session: frames against its span × fps, by the wall clock and by the stream's timestamps. */
function framePeriods(sessions) {
  return sessions.map((s) => {
    const wallSeconds = (s.lastAt - s.firstAt) / 1000;
    const mediaSeconds = (s.lastDts - s.firstDts) * s.timeBase;
    const expectedWall = wallSeconds * FPS + 1;
    const expectedMedia = mediaSeconds * FPS + 1;
    return {
      wallSeconds: round(wallSeconds, 1),
      mediaSeconds: round(mediaSeconds, 1),
      frames: s.frames,
      expectedByWall: Math.round(expectedWall),
      expectedByMedia: Math.round(expectedMedia),
      ratioByWall: round(s.frames / expectedWall, 4),
      ratioByMedia: round(s.frames / expectedMedia, 4),
      judged: wallSeconds >= LIMITS.minJudgedPeriodSeconds,
    };
  });
}

/** The `<dropped>` counts nginx reports for the viewers (pulls) of the stream `key` (frames nginx itself skipped for them). */
function viewerDrops(xml, key) {
  let dropped = 0;
  for (const [, body] of xml.matchAll(/<stream>([\s\S]*?)<\/stream>/g)) {
    if (!body.includes(`<name>${key}</name>`)) continue;
    for (const [, client] of body.matchAll(/<client>([\s\S]*?)<\/client>/g)) {
      if (!client.includes('<publishing/>')) dropped += Number(/<dropped>(\d+)<\/dropped>/.exec(client)?.[1] ?? 0);
    }
  }
  return dropped;
}

// ---------------------------------------------------------------------------------------------

const cleanups = [];
let cleaningUp = null;
function cleanUp() {
  cleaningUp ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => progress(`cleanup: ${error.message}`));
    rmSync(ROOT, { recursive: true, force: true });
  })();
  return cleaningUp;
}
// Playwright's own signal handlers are off (they would exit before the harness and nginx are stopped). A second
// signal exits at once.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (cleaningUp) process.exit(130);
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function soak() {
  const loadOf = (path) => runnerImport(resolve(path), { configFile: false, logLevel: 'silent' }).then((r) => r.module);
  const [nginxRtmp, browserKit, dialog] = await Promise.all([loadOf('test/support/nginx-rtmp.ts'), loadOf('test/support/browser.ts'), loadOf('test/support/destination-dialog.ts')]);
  const loadAtStart = loadAverage();

  const nginx = await nginxRtmp.startNginxRtmp({ keys: destinations.map((d) => d.key) });
  cleanups.push(() => nginx.close());
  const harness = await startHarness(DATA_DIR, { env: { TMPDIR: HARNESS_TMP }, processGroup: true });
  cleanups.push(() => killGroup(harness.child));
  if (values['studio-log']) cleanups.push(async () => writeFileSync(values['studio-log'], redact(harness.output.join('\n'))));
  const harnessPid = harness.child.pid;
  // Chromium's fake camera and microphone, the camera at 30 fps (as the e2e's launchChromium({ cameraFps: 30 })).
  // --expose-gc: the settled memory samples ask the page and its workers for a full collection (the studio never calls it).
  const browser = await launchBrowser(values.chromium, { args: [`--use-fake-device-for-media-stream=fps=${FPS}`, '--js-flags=--expose-gc'], handleSignals: false });
  cleanups.push(() => browser.close());
  progress('studio, Chromium and nginx-rtmp up');

  const { page, problems } = await browserKit.openLocalStudio(browser, harness.url);
  // Settings: the encoder and the recording folder.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('settings-output').getByLabel('Encoder').selectOption(values.encoder);
  await page.getByTestId('settings-output').getByLabel('Resolution').selectOption(values.resolution);
  await page.getByLabel('Recording folder').fill(RECORDINGS);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Studio' }).click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
  await page.getByRole('combobox', { name: 'Resolution' }).selectOption(values.resolution);
  // Two destinations on the ingest, through the dialog.
  for (const d of destinations) await dialog.addCustomDestination(page, { name: d.name, serverUrl: nginx.rtmpUrl(), streamKey: d.key });
  // Three scenes: Camera (1), Starting soon (2), Be right back (3).
  const preset = page.getByLabel('Preset for the new scene');
  for (const label of ['Starting soon', 'Be right back']) {
    await preset.selectOption({ label });
    await page.getByRole('button', { name: 'Add scene' }).click();
  }
  const sceneRows = page.getByTestId('scene-row');
  await until('three scenes', async () => (await sceneRows.count()) === 3, 10_000);
  const sceneNames = await sceneRows.locator('.scene-name').allInnerTexts();
  const onAirScene = () => page.locator('[data-testid="scene-row"].on-air .scene-name').innerText();
  const goLive = page.getByRole('button', { name: 'Go live' });
  await until('Go live enabled', () => goLive.isEnabled(), 20_000, 100);

  // Before Go live: what the studio holds with the page open and nothing on air.
  const chromium = chromiumProcesses();
  const renderers = chromium.filter((p) => p.type === 'renderer' && !p.webui).map((p) => ({ pid: p.pid, rss: rssMB(p.pid) }));
  // The studio's page is the only page: its renderer is the biggest (a spare one may wait beside it; the
  // browser's own UI has one marked --top-chrome-webui).
  const rendererPid = renderers.sort((a, b) => b.rss - a.rss)[0]?.pid;
  if (!rendererPid) throw new Error('no Chromium renderer process found');
  const before = { fds: fdCensus(harnessPid), ffmpeg: studioFfmpeg(harnessPid), temp: tempCensus(HARNESS_TMP), rendererProcesses: renderers.length };

  // Record, then Go live: the recording starts the program feed, so its file begins with the feed's
  // first frame. (Record pressed while live joins the running feed at a keyframe the encoder makes
  // when main asks for one: keyframe-boundaries.test.ts.)
  const recordingPanel = page.getByTestId('recording-panel');
  const record = page.getByTestId('record-button');
  await until('Record enabled', () => record.isEnabled(), 20_000, 100);
  // When the page sees each click on Record / Stop recording (Date.now() there is this machine's clock too):
  // under load, Playwright's click lands seconds after it is asked for.
  await page.evaluate(() => {
    window.soakRecordClicks = [];
    document.addEventListener('click', (event) => event.target instanceof Element && event.target.closest('[data-testid="record-button"]') && window.soakRecordClicks.push(Date.now()), true);
  });
  const recordClickAt = Date.now();
  await record.click();
  await until('recording', async () => (await recordingPanel.getAttribute('data-state')) === 'recording', 20_000, 100);
  const recordingStateAt = Date.now();
  await goLive.click();
  await page.getByTestId('live-badge').waitFor({ timeout: 30_000 });
  const liveAt = Date.now();
  // The e2e's own bound (90 s). Under a CPU hog the preview once showed no frame within 60 s (CI, 2026-12-07);
  // a start that times out says what the page showed then (startState), so the cause can be read from the run.
  await withStartState(page, () => browserKit.waitForPreviewFrames(page));
  for (const d of destinations) await withStartState(page, () => until(`${d.name} live`, async () => (await dialog.healthState(page, d.name)) === 'live', 60_000, 250));
  const encoder = await page.getByTestId('program-feed').getAttribute('data-encoder');
  const pulls = destinations.map((d) => framePull(`${nginx.rtmpUrl()}/${d.key}`));
  cleanups.push(() => Promise.all(pulls.map((p) => p.stop())));
  progress(`recording, live (${encoder}), both destinations live; soaking ${MINUTES} min, ingest restart every ${round(RESTART_EVERY_MIN)} min`);

  // The soak: scene switches, ingest restarts, samples, until the time is up.
  const endAt = recordClickAt + MINUTES * 60_000;
  const samples = [];
  const maxima = { ffmpeg: 0, fifos: 0, onair: 0, fds: 0 };
  const restarts = [];
  const scenes = { switches: 0, missed: 0 };
  const statDrops = Object.fromEntries(destinations.map((d) => [d.name, 0]));
  let nextScene = Date.now() + SCENE_EVERY_MS;
  let nextSample = Date.now();
  let nextRestart = RESTART_EVERY_MIN > 0 ? recordClickAt + RESTART_EVERY_MIN * 60_000 : Infinity;
  let nextProgress = Date.now() + 30_000;
  let sceneIndex = 0;
  // The page's main thread: Chromium's own counters of time spent in tasks and in script, and of DOM nodes
  // (Performance.getMetrics), so a page that gets busier or bigger over the hour shows where.
  const pageCdp = await page.context().newCDPSession(page);
  await pageCdp.send('Performance.enable');
  const pageMetrics = async () => {
    const { metrics } = await pageCdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { task: m.TaskDuration ?? null, script: m.ScriptDuration ?? null, nodes: m.Nodes ?? null };
  };
  const sample = async () => {
    const table = processTable();
    const thread = await pageMetrics().catch(() => ({ task: null, script: null, nodes: null }));
    const chromiumNow = chromiumProcesses(table);
    // The page's JS heap, and how much media the preview player's <video> holds (MSE keeps what it is
    // given until its own eviction: seconds from the first buffered range's start to the last one's end).
    const { jsHeap, previewBufferedSeconds } = await page
      .evaluate(() => {
        const b = document.querySelector('[data-testid="preview-video"]')?.buffered;
        return { jsHeap: performance.memory?.usedJSHeapSize ?? null, previewBufferedSeconds: b && b.length ? b.end(b.length - 1) - b.start(0) : null };
      })
      .catch(() => ({ jsHeap: null, previewBufferedSeconds: null }));
    const fds = openFds(harnessPid).total;
    const ffmpeg = studioFfmpeg(harnessPid, table);
    const temp = tempCensus(HARNESS_TMP);
    const s = {
      t: Date.now() - liveAt,
      main: rssMB(harnessPid),
      renderer: rssMB(rendererPid),
      rendererShared: sharedRegionsMB(rendererPid),
      chromiumRss: round(chromiumNow.reduce((a, p) => a + (rssMB(p.pid) ?? 0), 0), 1),
      chromiumPss: round(chromiumNow.reduce((a, p) => a + (pssMB(p.pid) ?? 0), 0), 1),
      jsHeap: jsHeap === null ? null : round(jsHeap / 1048576, 1),
      pageTaskSeconds: thread.task,
      pageScriptSeconds: thread.script,
      domNodes: thread.nodes,
      previewBuffered: round(previewBufferedSeconds, 1),
      fds,
      ffmpeg,
    };
    samples.push(s);
    maxima.ffmpeg = Math.max(maxima.ffmpeg, ffmpeg);
    maxima.fifos = Math.max(maxima.fifos, temp.fifos);
    maxima.onair = Math.max(maxima.onair, temp.onair);
    maxima.fds = Math.max(maxima.fds, fds);
    const xml = await nginx.statXml().catch(() => '');
    for (const d of destinations) statDrops[d.name] = Math.max(statDrops[d.name], viewerDrops(xml, d.key));
    return s;
  };

  /**
   * The renderer's memory without the garbage it has not collected yet: the page and each of its
   * workers (the encoder's) run a full collection, then RSS is read until two reads 500 ms apart
   * differ by under 1 MB (the collector hands pages back to the system over a moment), at most 10 s.
   */
  const settledSamples = [];
  const settledSample = async () => {
    const before = rssMB(rendererPid);
    const startedAt = Date.now();
    const contexts = [page, ...page.workers()];
    const collected = (await Promise.all(contexts.map((c) => c.evaluate(() => (typeof globalThis.gc === 'function' ? (globalThis.gc(), true) : false)).catch(() => false)))).filter(Boolean).length;
    let last = rssMB(rendererPid);
    for (;;) {
      await sleep(500);
      const now = rssMB(rendererPid);
      if (now === null || last === null || Math.abs(now - last) < 1 || Date.now() - startedAt > 10_000) {
        last = now;
        break;
      }
      last = now;
    }
    settledSamples.push({ t: Date.now() - liveAt, renderer: last, before, contexts: contexts.length, collected, ms: Date.now() - startedAt });
  };
  let nextSettled = Date.now() + SETTLED_EVERY_MS;

  /** Chromium's allocator breakdown of the studio's renderer (`--memory-dumps-every-min`). */
  const dumps = [];
  const cdp = DUMP_EVERY_MS > 0 ? await browser.newBrowserCDPSession() : null;
  const dumpRenderer = async () => {
    if (!cdp) return;
    const byPid = await memoryDump(cdp).catch((error) => (progress(`memory dump failed: ${error.message}`), {}));
    // The trace names processes by their pid (as /proc does); a renderer busy past the dump's deadline is left out of it.
    const mine = byPid[rendererPid];
    if (mine) dumps.push({ minute: round((Date.now() - liveAt) / 60_000, 2), rendererMB: rssMB(rendererPid), allocatorsMB: mine });
    else progress(`memory dump without the studio's renderer (pids ${Object.keys(byPid).join(', ')})`);
  };
  let nextDump = DUMP_EVERY_MS > 0 ? Date.now() : Infinity;
  // After the first, the dumps fall half-way between ingest restarts: a dump's own tracing memory must
  // not be in the settled samples taken at the restarts (an hour with both on the same minutes read
  // 25–35 MB more at every other sample).
  let dumpOffsetMs = SETTLED_AT_RESTART && RESTART_EVERY_MIN > 0 ? (RESTART_EVERY_MIN * 60_000) / 2 : 0;

  /** The ingest crashes and comes back (in the background: the scene and sample cadence go on); how long until both destinations publish again. */
  const restartIngest = async () => {
    const at = Date.now() - recordClickAt;
    await nginx.kill();
    // The renderer's settled memory, its collections' pauses while no destination is on air.
    const settling = SETTLED_AT_RESTART ? settledSample() : null;
    await sleep(OUTAGE_MS);
    await nginx.start();
    const backAt = Date.now();
    const publishing = async () => (await nginx.streams().catch(() => [])).filter((s) => s.publishing).length;
    const allBack = await until('both destinations publishing again', async () => ((await publishing()) === destinations.length ? Date.now() : 0), 120_000, 100).catch(() => null);
    restarts.push({ atSeconds: round(at / 1000, 1), backToBothPublishingMs: allBack === null ? null : allBack - backAt });
    await settling;
    progress(`ingest restarted: both publishing again after ${allBack === null ? 'more than 120 s (not back)' : `${allBack - backAt} ms`}`);
  };
  let restarting = null;
  // A step that ran late moves the next one, instead of several running back to back.
  const following = (scheduled, every) => Math.max(scheduled + every, Date.now());

  while (Date.now() < endAt) {
    const now = Date.now();
    if (now >= nextRestart) {
      if (!restarting && nextRestart < endAt - 20_000) restarting = restartIngest().finally(() => (restarting = null));
      nextRestart = following(nextRestart, RESTART_EVERY_MIN * 60_000);
      continue;
    }
    if (now >= nextScene) {
      sceneIndex = (sceneIndex + 1) % sceneNames.length;
      await page.keyboard.press(String(sceneIndex + 1));
      scenes.switches++;
      const landed = await until('the scene on air', async () => (await onAirScene()) === sceneNames[sceneIndex], 5_000, 50).catch(() => false);
      if (!landed) scenes.missed++;
      nextScene = following(nextScene, SCENE_EVERY_MS);
      continue;
    }
    if (now >= nextSettled) {
      await settledSample();
      nextSettled = following(nextSettled, SETTLED_EVERY_MS);
      continue;
    }
    if (now >= nextDump) {
      await dumpRenderer();
      nextDump = following(nextDump + dumpOffsetMs, DUMP_EVERY_MS);
      dumpOffsetMs = 0;
      continue;
    }
    if (now >= nextSample) {
      const s = await sample();
      nextSample = following(nextSample, SAMPLE_EVERY_MS);
      if (Date.now() >= nextProgress) {
        nextProgress = following(nextProgress, 30_000);
        progress(`main ${s.main} MB, renderer ${s.renderer} MB, Chromium ${s.chromiumRss} MB RSS; fds ${s.fds}, ffmpeg ${s.ffmpeg}; scenes ${scenes.switches}, console errors ${problems.length}, page thread busy ${busyFraction(samples.at(-7), s, 'pageTaskSeconds')}, DOM nodes ${s.domNodes}, load ${loadAverage()}`);
      }
      continue;
    }
    await sleep(Math.max(0, Math.min(nextScene, nextSample, nextRestart, nextDump, nextSettled, endAt) - Date.now()));
  }
  await restarting;
  await dumpRenderer();

  // Stop recording (the wall clock it recorded ends at the click), then Stop the broadcast.
  const player = await page.evaluate(() => {
    const el = document.querySelector('[data-testid="preview-player"]');
    return { state: el?.getAttribute('data-state') ?? null, reconnects: Number(el?.getAttribute('data-reconnects') ?? 0) };
  });
  const stopRecordingAt = Date.now();
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await until('the recording saved', async () => (await recordingPanel.getAttribute('data-state')) === 'done', 120_000, 200);
  // How Stop recording's wait for the feed ended (what the camera gave before the click reaching main) and how long it took.
  const stopWait = { outcome: await recordingPanel.getAttribute('data-stop-wait'), ms: Number(await recordingPanel.getAttribute('data-stop-wait-ms')) };
  const studioStatus = await page.evaluate(async () => (await window.onair.recording.status()).value ?? null);
  const studioElapsedMs = studioStatus?.elapsedMs ?? null;
  // When main wrote the file's first frame (this machine's clock, like the clicks).
  const firstFrameAt = studioStatus?.firstFrameAt ? Date.parse(studioStatus.firstFrameAt) : null;
  // The moment the file's 0:00 shows: its first frame going into the encoder (the fragment's prft).
  const fileStartsAt = studioStatus?.fileStartsAt ? Date.parse(studioStatus.fileStartsAt) : null;
  const path = await page.getByTestId('rec-path').textContent();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop broadcast' }).click();
  await goLive.waitFor({ timeout: 30_000 });
  const stoppedAt = Date.now();
  await until('no destination publishing', async () => (await nginx.streams()).every((s) => !s.publishing), 30_000, 100);
  await Promise.all(pulls.map((p) => p.stop()));
  progress('stopped; counting what is left');

  // After Stop: wait (up to 30 s) for ffmpeg to be gone and the descriptors back to where they were.
  const ffmpegGoneMs = await until('no ffmpeg below the studio', () => (studioFfmpeg(harnessPid) === 0 ? Date.now() - stoppedAt : 0), 30_000, 100).catch(() => null);
  const fdsBackMs = await until('descriptors back', () => (fdCensus(harnessPid).ownTotal <= before.fds.ownTotal ? Date.now() - stoppedAt : 0), 30_000, 250).catch(() => null);
  const after = { fds: fdCensus(harnessPid), ffmpeg: studioFfmpeg(harnessPid), temp: tempCensus(HARNESS_TMP) };
  // What an ffmpeg left behind was doing (its arguments, keys redacted; its parent), so a leak says which output it came from.
  const table = processTable();
  const ffmpegLeft = descendants(harnessPid, isFfmpeg, table).map((pid) => ({ pid, parent: table.get(pid)?.ppid, args: redact(table.get(pid)?.args.slice(1).join(' ') ?? '') }));
  const hlsDir = join(DATA_DIR, 'hls');
  const hlsFilesAfter = existsSync(hlsDir) ? tempCensus(hlsDir).entries : 0;

  // The recording against the wall clock it recorded.
  const probed = JSON.parse(
    execFileSync(FFPROBE, ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,nb_read_packets,duration:format=duration', '-of', 'json', path], { encoding: 'utf8' }),
  );
  const fileSeconds = Number(probed.format.duration);
  const clicks = await page.evaluate(() => window.soakRecordClicks);
  const benchWallSeconds = (stopRecordingAt - recordClickAt) / 1000;
  const wallSeconds = clicks.length >= 2 ? (clicks.at(-1) - clicks[0]) / 1000 : benchWallSeconds;
  // What is judged: the file against the wall clock from the moment its first frame went into the
  // encoder (what the file's 0:00 shows; its trip through the encoder and to main under load is not
  // recorded time) to the Stop recording click (Stop waits for what was captured before it). Before
  // that moment: the click, the recorder's spawn and the keyframe it asks for, judged on their own
  // as recordingStartMs. A feed without the prft: from the first frame reaching main; without that: from REC.
  const stopClickAt = clicks.length >= 2 ? clicks.at(-1) : stopRecordingAt;
  const recordClickSeen = clicks[0] ?? recordClickAt;
  const fileZeroAt = fileStartsAt ?? firstFrameAt ?? recordingStateAt;
  const driftFrom = fileStartsAt !== null ? 'the file’s first frame going into the encoder (its prft)' : firstFrameAt !== null ? 'the file’s first frame reaching main' : 'REC';
  const recWallSeconds = (stopClickAt - fileZeroAt) / 1000;
  const recordingStartMs = firstFrameAt === null ? null : firstFrameAt - recordClickSeen;
  const videoPackets = Number(probed.streams.find((s) => s.codec_type === 'video')?.nb_read_packets ?? 0);
  // Where the file's time goes: its video's first and last timestamps and the holes between frames.
  const pts = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
  const gaps = pts.slice(1).map((t, i) => t - pts[i]);
  const holes = gaps.filter((g) => g > 0.5);

  const memory = {
    sampleEverySeconds: SAMPLE_EVERY_MS / 1000,
    samples: samples.length,
    warmupSecondsLeftOutOfSlope: WARMUP_MS / 1000,
    main: memoryFigures(samples.map((s) => [s.t, s.main])),
    renderer: memoryFigures(samples.map((s) => [s.t, s.renderer])),
    /** The renderer without its shared-memory regions (the image decode cache filling): what the short-run guard judges. */
    rendererOwn: memoryFigures(samples.map((s) => [s.t, s.renderer === null || s.rendererShared === null ? null : round(s.renderer - s.rendererShared, 1)])),
    rendererSharedRegions: memoryFigures(samples.map((s) => [s.t, s.rendererShared])),
    /** The renderer's RSS after the page and its workers collected their garbage (at each ingest restart, or `--settled-every-min`): what a long run's renderer slope is judged on. */
    rendererSettled: {
      taken: SETTLED_AT_RESTART ? `at each ingest restart (every ${round(RESTART_EVERY_MIN)} min), while the destinations were down` : `every ${SETTLED_EVERY_MS / 60_000} min`,
      ...memoryFigures(settledSamples.map((s) => [s.t, s.renderer])),
      contextsCollected: settledSamples.length ? `${Math.min(...settledSamples.map((s) => s.collected))}–${Math.max(...settledSamples.map((s) => s.collected))} of ${Math.max(...settledSamples.map((s) => s.contexts))}` : null,
      droppedByCollectionMB: settledSamples.length ? round(settledSamples.reduce((a, s) => a + ((s.before ?? 0) - (s.renderer ?? 0)), 0) / settledSamples.length, 1) : null,
      settleMs: settledSamples.length ? Math.max(...settledSamples.map((s) => s.ms)) : null,
      samples: settledSamples.map((s) => [round(s.t / 60_000, 1), s.before, s.renderer]),
    },
    chromiumTotalRss: memoryFigures(samples.map((s) => [s.t, s.chromiumRss])),
    chromiumTotalPss: memoryFigures(samples.map((s) => [s.t, s.chromiumPss])),
    pageJsHeap: memoryFigures(samples.map((s) => [s.t, s.jsHeap])),
    rendererProcesses: before.rendererProcesses,
    ...(dumps.length ? { allocators: allocatorChanges(dumps) } : {}),
    perMinute: samples
      .filter((s, i) => i === 0 || i === samples.length - 1 || Math.floor(s.t / 60_000) > Math.floor(samples[i - 1].t / 60_000))
      .map((s, i, kept) => ({
        minute: round(s.t / 60_000, 1),
        mainMB: s.main,
        rendererMB: s.renderer,
        rendererSharedMB: s.rendererShared,
        chromiumRssMB: s.chromiumRss,
        chromiumPssMB: s.chromiumPss,
        jsHeapMB: s.jsHeap,
        previewBufferedSeconds: s.previewBuffered,
        fds: s.fds,
        ffmpeg: s.ffmpeg,
        // The page's main thread since the previous line: busy (in tasks) and in script, as a fraction of the wall clock.
        pageBusy: i > 0 ? busyFraction(kept[i - 1], s, 'pageTaskSeconds') : null,
        pageScript: i > 0 ? busyFraction(kept[i - 1], s, 'pageScriptSeconds') : null,
        domNodes: s.domNodes,
      })),
  };
  /** The page's main thread over the first and the last 5 minutes on air (busy in tasks, as a fraction of the wall clock). */
  const pageThread = {
    busyFirst5Min: busyFraction(samples[0], samples.findLast((s) => s.t <= samples[0].t + 300_000), 'pageTaskSeconds'),
    busyLast5Min: busyFraction(samples.find((s) => s.t >= samples.at(-1).t - 300_000), samples.at(-1), 'pageTaskSeconds'),
    domNodesFirst: samples[0]?.domNodes ?? null,
    domNodesLast: samples.at(-1)?.domNodes ?? null,
  };
  const destinationsOut = Object.fromEntries(
    destinations.map((d, i) => {
      const periods = framePeriods(pulls[i].sessions);
      const judged = periods.filter((p) => p.judged);
      return [
        d.name,
        {
          periods,
          framesTotal: periods.reduce((a, p) => a + p.frames, 0),
          worstRatioByWall: judged.length ? Math.min(...judged.map((p) => p.ratioByWall)) : null,
          worstRatioByMedia: judged.length ? Math.min(...judged.map((p) => p.ratioByMedia)) : null,
          viewerFramesDroppedByNginx: statDrops[d.name],
        },
      ];
    }),
  );

  const short = MINUTES < 30;
  const checks = {};
  const check = (name, value, limit, pass, judged = true) => (checks[name] = judged ? { value, limit, pass } : { value, limit, pass, judged: false });
  for (const who of ['main', 'renderer']) {
    // A short run sees the image decode cache still filling: its guard judges the renderer's own memory.
    // A long run judges the renderer after its garbage was collected: the saw tooth of when a collector ran is not a trend.
    const m = who === 'renderer' ? (short ? memory.rendererOwn : memory.rendererSettled) : memory[who];
    if (short) check(`${who}MemoryHalfDeltaMB`, m.halfDeltaMB, LIMITS.shortRunHalfDeltaMB[who], m.halfDeltaMB !== null && m.halfDeltaMB <= LIMITS.shortRunHalfDeltaMB[who]);
    else check(`${who}MemorySlopeMBPerHour`, m.slopeMBPerHour, LIMITS.slopeMBPerHour, m.slopeMBPerHour !== null && m.slopeMBPerHour <= LIMITS.slopeMBPerHour);
  }
  check('ffmpegLeft', after.ffmpeg, 0, after.ffmpeg === 0);
  check('fifosLeft', after.temp.fifos, 0, after.temp.fifos === 0);
  check('tempEntriesLeft', after.temp.entries, before.temp.entries, after.temp.entries <= before.temp.entries);
  // Connections the page opened to the studio's servers (keep-alive, WebSocket) are the browser's to close; the rest are the studio's.
  check('fdsLeftAfterStop', after.fds.ownTotal - before.fds.ownTotal, 0, after.fds.ownTotal <= before.fds.ownTotal);
  check('recordingDriftSeconds', round(fileSeconds - recWallSeconds, 3), LIMITS.recordingDriftSeconds, Math.abs(fileSeconds - recWallSeconds) <= LIMITS.recordingDriftSeconds);
  check('recordingStartMs', recordingStartMs, LIMITS.recordingStartMs, recordingStartMs !== null && recordingStartMs <= LIMITS.recordingStartMs);
  for (const d of destinations) {
    const out = destinationsOut[d.name];
    const judged = out.periods.filter((p) => p.judged);
    const worst = out.worstRatioByWall;
    check(`${d.name} frames (worst period, by wall)`, worst, `≥ ${1 - LIMITS.framesShortfall} and ≤ ${1 + LIMITS.framesShortfall}`, judged.length > 0 && judged.every((p) => Math.abs(1 - p.ratioByWall) <= LIMITS.framesShortfall), values['frames-check'] !== 'off');
  }
  check('sceneSwitchesMissed', scenes.missed, 0, scenes.missed === 0);
  check('consoleErrors', problems.length, 0, problems.length === 0);

  return {
    command: `npm run bench:soak -- --minutes ${MINUTES} --resolution ${values.resolution}${values['restart-every-min'] !== undefined ? ` --restart-every-min ${RESTART_EVERY_MIN}` : ''}${values['frames-check'] === 'off' ? ' --frames-check off' : ''}${SETTLED_AT_RESTART ? '' : ` --settled-every-min ${values['settled-every-min']}`}${values.check ? ' --check' : ''}`,
    startedAt: new Date(t0).toISOString(),
    machine: { cpus: cpus().length, loadAverage1m: { atStart: loadAtStart, atEnd: loadAverage() } },
    setup: { minutes: MINUTES, encoder, resolution: values.resolution, fps: FPS, destinations: destinations.length, sceneEverySeconds: SCENE_EVERY_MS / 1000, restartEveryMinutes: round(RESTART_EVERY_MIN), outageMs: OUTAGE_MS, scenes: sceneNames },
    memory,
    pageThread,
    fds: { beforeGoLive: before.fds, afterStop: after.fds, maxWhileLive: maxima.fds, afterStopBackWithinMs: fdsBackMs },
    ffmpeg: { beforeGoLive: before.ffmpeg, maxWhileLive: maxima.ffmpeg, afterStop: after.ffmpeg, goneWithinMsOfStop: ffmpegGoneMs, left: ffmpegLeft },
    harnessTmp: {
      before: { entries: before.temp.entries, fifos: before.temp.fifos, onair: before.temp.onair },
      maxWhileLive: { fifos: maxima.fifos, onair: maxima.onair },
      afterStop: { entries: after.temp.entries, fifos: after.temp.fifos, onair: after.temp.onair, names: after.temp.topNames },
    },
    hlsFilesInDataFolderAfterStop: hlsFilesAfter,
    recording: {
      file: basename(path),
      wallClockSeconds: round(wallSeconds, 2),
      wallClockFrom: clicks.length >= 2 ? 'the page seeing the Record and the Stop recording clicks' : 'the bench asking for the clicks',
      clickRequestedIntervalSeconds: round(benchWallSeconds, 2),
      clickToRecordingStateMs: recordingStateAt - recordClickSeen,
      clickToFirstFrameMs: recordingStartMs,
      stopWaitForFeed: stopWait,
      recordingStateToFirstFrameMs: firstFrameAt === null ? null : firstFrameAt - recordingStateAt,
      studioElapsedSeconds: studioElapsedMs === null ? null : round(studioElapsedMs / 1000, 2),
      fileSeconds: round(fileSeconds, 2),
      driftFromClickSeconds: round(fileSeconds - wallSeconds, 2),
      wallFromRecSeconds: round((stopClickAt - recordingStateAt) / 1000, 2),
      driftFromRecSeconds: round(fileSeconds - (stopClickAt - recordingStateAt) / 1000, 2),
      firstFrameTripMs: fileStartsAt === null || firstFrameAt === null ? null : Math.round(firstFrameAt - fileStartsAt),
      driftFromFirstFrameInMainSeconds: firstFrameAt === null ? null : round(fileSeconds - (stopClickAt - firstFrameAt) / 1000, 2),
      driftFrom,
      wallFromFileStartSeconds: round(recWallSeconds, 2),
      driftSeconds: round(fileSeconds - recWallSeconds, 2),
      videoPackets,
      videoFirstPtsSeconds: round(pts[0], 3),
      videoLastPtsSeconds: round(pts.at(-1), 3),
      videoLongestGapSeconds: round(Math.max(0, ...gaps), 3),
      videoGapsOverHalfSecond: { count: holes.length, seconds: round(holes.reduce((a, g) => a + g, 0), 2) },
      videoPacketsPerWallSecond: round(videoPackets / wallSeconds, 2),
      bytes: statSync(path).size,
    },
    destinations: destinationsOut,
    ingestRestarts: restarts,
    scenes,
    previewPlayer: player,
    consoleErrors: { count: problems.length, first: problems.slice(0, 5).map((p) => redact(p).slice(0, 300)) },
    limits: LIMITS,
    memoryCheck: short
      ? 'run < 30 min: second-half mean RSS − first-half mean (a slope over minutes is noise)'
      : 'least-squares slope after the warm-up: main on every sample, the renderer on its settled samples (after the page and its workers collected their garbage)',
    checks,
    pass: Object.values(checks).every((c) => c.pass || c.judged === false),
  };
}

/**
 * What the page shows of the start (the preview player, the program feed, each destination's health),
 * added to the error of a start step that timed out.
 */
async function withStartState(page, step) {
  try {
    return await step();
  } catch (error) {
    const state = await page
      .evaluate(() => {
        const attrs = (el) => (el ? Object.fromEntries([...el.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name, a.value])) : null);
        const video = document.querySelector('[data-testid="preview-video"]');
        return {
          player: attrs(document.querySelector('[data-testid="preview-player"]')),
          playerText: document.querySelector('[data-testid="preview-state"]')?.textContent ?? null,
          video: video ? { width: video.videoWidth, currentTime: video.currentTime, readyState: video.readyState, networkState: video.networkState } : null,
          feed: attrs(document.querySelector('[data-testid="program-feed"]')),
          destinations: [...document.querySelectorAll('[data-testid="destination-row"]')].map((row) => row.textContent?.replace(/\s+/g, ' ').slice(0, 160)),
        };
      })
      .catch((e) => ({ unreadable: e.message }));
    error.message += `\nstartState: ${JSON.stringify(state)}`;
    throw error;
  }
}

/** The dumps, and per allocator its first → last value, biggest change first (what grew). */
function allocatorChanges(dumps) {
  const first = dumps[0].allocatorsMB;
  const last = dumps.at(-1).allocatorsMB;
  const names = [...new Set([...Object.keys(first), ...Object.keys(last)])];
  const changes = names
    .map((n) => ({ allocator: n, firstMB: first[n] ?? 0, lastMB: last[n] ?? 0, changeMB: round((last[n] ?? 0) - (first[n] ?? 0), 1) }))
    .sort((a, b) => Math.abs(b.changeMB) - Math.abs(a.changeMB));
  return { fromMinute: dumps[0].minute, toMinute: dumps.at(-1).minute, rendererRssMB: { first: dumps[0].rendererMB, last: dumps.at(-1).rendererMB }, changes, dumps };
}

let result;
try {
  result = await soak();
} catch (error) {
  progress(`soak failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
const c2s = (c) => `${c.value} (limit ${c.limit}${c.pass ? ', met' : ', not met'})`;
if (result) {
  console.log(JSON.stringify(result, null, 2));
  const failed = Object.entries(result.checks).filter(([, c]) => !c.pass && c.judged !== false).map(([name]) => name);
  const unjudged = Object.entries(result.checks).filter(([, c]) => c.judged === false).map(([name]) => `${name} ${c2s(result.checks[name])}`);
  progress(failed.length ? `thresholds not met: ${failed.join(', ')}` : 'every judged threshold met');
  if (unjudged.length) progress(`reported, not judged (--frames-check off): ${unjudged.join('; ')}`);
  if (values.check && failed.length) process.exitCode = 1;
}
