/* global document */
/**
 * What the benchmarks share (not a test): the built studio (`out/main/harness.js`) as its own
 * process, headless Chromium, CPU per process from /proc (Linux), and median/min/max over runs.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const CLK_TCK = 100;

/**
 * Starts the built harness on a free port with its data in `dataDir`; resolves with its process and the link to open.
 * `env` is added to this process's environment (e.g. a TMPDIR of its own); `processGroup` makes it the leader of its
 * own process group, so `killGroup(child)` ends it with every ffmpeg it runs.
 */
export function startHarness(dataDir, { env = {}, processGroup = false } = {}) {
  const child = spawn(process.execPath, [resolve('out/main/harness.js'), '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: processGroup,
  });
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
        resolveReady({ child, url: message.url, output });
      }
    });
  });
}

/** Stops a harness started by `startHarness` (SIGTERM: it ends what it runs first). */
export async function stopHarness(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** SIGKILLs the process group of a harness started with `{ processGroup: true }` (it and its ffmpeg children at once). */
export async function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGKILL');
  await exited;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `test` every `everyMs` until it returns something truthy (resolved with it); throws after `timeoutMs`. */
export async function until(what, test, timeoutMs, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Runs `command args` (stdout piped) again `restartMs` after each end, until `stop()`: a viewer's pull
 * of a stream that goes away with its ingest. `onStart(proc)` gets each new process (to read its
 * stdout), `onEnd()` is called after each one has ended.
 */
export function restartingProcess(command, args, { onStart, onEnd = () => {}, restartMs = 100 } = {}) {
  let proc = null;
  let stopped = false;
  const begin = () => {
    if (stopped) return;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    proc = child;
    onStart(child);
    child.once('close', () => {
      onEnd();
      setTimeout(begin, restartMs);
    });
  };
  begin();
  return {
    /** The running process's pid (to measure its own CPU). */
    pid: () => proc?.pid ?? null,
    stop: async () => {
      stopped = true;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const closed = new Promise((r) => proc.once('close', r));
        proc.kill('SIGKILL');
        await closed;
      }
    },
  };
}

/** Headless Debian Chromium without GPU; the camera is whatever the page's init scripts give it (or `args`: Chromium's fake devices). */
export function launchBrowser(executablePath, { args = [], handleSignals = true } = {}) {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', ...args],
    // Playwright's own handlers close the browser and then exit the process: a bench that cleans up more itself turns them off.
    ...(handleSignals ? {} : { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }),
  });
}

/**
 * A new English page on the studio with `initScripts` (`[fn, arg]`) installed, past the first-run
 * choice (Local mode), with the camera preview showing; console errors are counted.
 */
export async function openStudio(browser, url, initScripts = []) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  for (const [script, arg] of initScripts) await context.addInitScript(script, arg);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(url);
  await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
  const firstRun = page.getByRole('button', { name: 'Start in Local mode' });
  if (await firstRun.isVisible().catch(() => false)) await firstRun.click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
  return { context, page, consoleErrors };
}

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) of a process, from /proc (Linux); 0 once it is gone. */
export function cpuSeconds(pid) {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Every process now: pid → { ppid, args, comm }. */
export function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(statFields(entry)[1]);
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      table.set(Number(entry), { ppid, args, comm });
    } catch {
      // gone
    }
  }
  return table;
}

/** Pids below `root` (not `root` itself) for which `match(process)` holds. */
export function descendants(root, match = () => true, table = processTable()) {
  const inTree = (pid) => {
    for (let at = table.get(pid)?.ppid; at && at > 1; at = table.get(at)?.ppid) if (at === root) return true;
    return false;
  };
  return [...table.entries()].filter(([pid, proc]) => pid !== root && inTree(pid) && match(proc)).map(([pid]) => pid);
}

/** ffmpeg processes whose arguments satisfy `match` (anywhere on the machine). */
export function ffmpegProcesses(match, table = processTable()) {
  return [...table.entries()].filter(([, proc]) => /ffmpeg$/.test(proc.args[0] ?? '') && match(proc.args)).map(([pid]) => pid);
}

/** CPU seconds of the Chromium processes below `pid` (this bench's browser: its browser, renderer, GPU and utility processes). */
export function chromiumCpuSeconds(pid) {
  return descendants(pid, (proc) => /chrom/i.test(proc.comm)).reduce((total, p) => total + cpuSeconds(p), 0);
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

export const median = (values) => {
  const xs = [...values].sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
};

/** Every numeric leaf of the per-run results as { median, min, max } over the runs; other leaves as the list of values. */
export function spread(results) {
  const at = (object, path) => path.reduce((o, k) => (o == null ? o : o[k]), object);
  const walk = (template, path) => {
    if (typeof template === 'number') {
      const xs = results.map((r) => at(r, path)).filter((x) => typeof x === 'number').sort((a, b) => a - b);
      const round = (x) => Number(x.toFixed(4));
      return { median: round(median(xs)), min: round(xs[0]), max: round(xs.at(-1)) };
    }
    if (template && typeof template === 'object' && !Array.isArray(template)) return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, walk(v, [...path, k])]));
    return results.map((r) => at(r, path));
  };
  return walk(results[0], []);
}

/** The 1-minute load average now. */
export const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
