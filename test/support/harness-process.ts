import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectBridge } from './bridge-client';
import { launchChromium } from './browser';
import { scratchDir } from './scratch';

export interface RunningHarness {
  origin: string;
  url: string;
  dataDir: string;
  output: string[];
  /** The harness process itself (e.g. to check it is still alive). */
  child: ChildProcess;
  stop: () => Promise<void>;
  /**
   * SIGKILL the harness and everything it runs (its ffmpeg children) at once, as a crash of the
   * studio would; only for a harness started with `{ processGroup: true }`.
   */
  killGroup: () => Promise<void>;
}

export interface HarnessOptions {
  /** Start the harness as the leader of its own process group (needed for `killGroup`). */
  processGroup?: boolean;
  /** Use this data folder (e.g. a restart on the same one) instead of a new scratch folder. */
  dataDir?: string;
}

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Starts the built harness (`out/main/harness.js`) as its own process, the way `npm run studio:web` does. */
export async function startHarness(env: NodeJS.ProcessEnv = {}, options: HarnessOptions = {}): Promise<RunningHarness> {
  const dataDir = options.dataDir ?? scratchDir('e2e');
  const child: ChildProcess = spawn(process.execPath, [resolve('out/main/harness.js'), '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const ready = await new Promise<{ origin: string; url: string }>((resolveReady, reject) => {
    // A bound for a hung start, not a speed check: a saturated machine takes many seconds to load the core.
    // A harness that did not start is killed, or it would go on writing into a data folder the test removes.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`harness did not start:\n${output.join('')}`));
    }, 90_000);
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}:\n${output.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { event?: string; origin: string; url: string };
      if (message.event === 'ready') {
        clearTimeout(timer);
        resolveReady(message);
      }
    });
  });
  return {
    ...ready,
    dataDir,
    output,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (gone(child)) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
    killGroup: async () => {
      if (!options.processGroup) throw new Error('killGroup needs a harness started with { processGroup: true }');
      if (gone(child)) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

/** The ffmpeg processes `parentPid` runs now (pid and command line), from `ps`. */
export function ffmpegChildren(parentPid: number): Array<{ pid: number; args: string }> {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parentPid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there is no child at all.
    return [];
  }
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /ffmpeg/.test(line))
    .map((line) => ({ pid: Number(line.split(/\s+/)[0]), args: line.replace(/^\d+\s+/, '') }));
}

/**
 * One harness process and one Chromium for a test file: started before its tests, stopped after.
 * Read `studio.harness` / `studio.browser` inside tests (they exist once `beforeAll` has run).
 */
export function useHarnessAndChromium(env: NodeJS.ProcessEnv = {}): { harness: RunningHarness; browser: Browser } {
  const studio = {} as { harness: RunningHarness; browser: Browser };
  beforeAll(async () => {
    studio.harness = await startHarness(env);
    studio.browser = await launchChromium();
  });
  // A failed test may leave the harness live or recording; its retry (vitest `retry: 1`) must start from idle,
  // not find the old broadcast. Contexts left open are closed too.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !studio.harness || gone(studio.harness.child)) return;
    for (const context of studio.browser?.contexts() ?? []) await context.close().catch(() => {});
    await resetHarness(studio.harness);
  });
  afterAll(async () => {
    await studio.browser?.close();
    await studio.harness?.stop();
  });
  return studio;
}

/** Stops any broadcast and recording in the harness, through the bridge as a page would. */
export async function resetHarness(harness: RunningHarness): Promise<void> {
  const bridge = await connectBridge(harness.url);
  try {
    await bridge.call('recording.stop');
    await bridge.call('broadcast.stop');
  } finally {
    await bridge.close();
  }
}
