import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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
}

/** Starts the built harness (`out/main/harness.js`) as its own process, the way `npm run studio:web` does. */
export async function startHarness(env: NodeJS.ProcessEnv = {}): Promise<RunningHarness> {
  const dataDir = scratchDir('e2e');
  const child: ChildProcess = spawn(process.execPath, [resolve('out/main/harness.js'), '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const ready = await new Promise<{ origin: string; url: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`harness did not start:\n${output.join('')}`)), 15_000);
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
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
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
  afterAll(async () => {
    await studio.browser?.close();
    await studio.harness?.stop();
  });
  return studio;
}
