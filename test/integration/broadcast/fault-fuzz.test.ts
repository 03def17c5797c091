import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { FaultRule, LocalCloud } from '../../../src/main/core/local-cloud/index';
import type { StudioCore } from '../../../src/main/core/studio-core';
import { StudioError } from '../../../src/shared/errors';
import { activeResources, startTestCloud, studioCore } from '../support/studio-fixture';

/**
 * Randomised start / stop / cleanup / crash sequences against the local cloud with
 * injected 5xx, 429 and delays. After every stop or cleanup that completes, nothing
 * billable may be left running. `ONAIR_FUZZ_SEEDS=n` runs more (or fewer) sequences;
 * `ONAIR_FUZZ_SEED=s` replays one.
 */
const SEEDS = Number(process.env.ONAIR_FUZZ_SEEDS ?? 200);
const ONLY = process.env.ONAIR_FUZZ_SEED ? Number(process.env.ONAIR_FUZZ_SEED) : null;

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROUTES: Array<{ method: string; path: RegExp }> = [
  { method: 'GET', path: /^\/video\/v1\/Rooms$/ },
  { method: 'POST', path: /^\/video\/v1\/Rooms$/ },
  { method: 'POST', path: /^\/media\/v1\/PlayerStreamers$/ },
  { method: 'POST', path: /^\/media\/v1\/MediaProcessors$/ },
  { method: 'POST', path: /^\/media\/v1\/PlayerStreamers\/VJ/ },
  { method: 'POST', path: /^\/media\/v1\/MediaProcessors\/ZX/ },
  { method: 'GET', path: /^\/media\/v1\/(PlayerStreamers|MediaProcessors)/ },
  { method: 'POST', path: /^\/sync\/v1\/Services\/IS[0-9a-f]+\/Documents/ },
  { method: 'GET', path: /^\/sync\/v1\/Services\/IS[0-9a-f]+\/Documents/ },
  { method: 'DELETE', path: /^\/sync\/v1\/Services\/IS[0-9a-f]+\/Documents/ },
];
const FAILURES: Array<Pick<FaultRule, 'status' | 'code'>> = [
  { status: 500, code: 20500 },
  { status: 502, code: 20502 },
  { status: 503, code: 20503 },
  { status: 429, code: 20429 },
];
const OPS = ['start', 'start', 'stop', 'stop', 'cleanup', 'crash', 'start+stop'] as const;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

let cloud: LocalCloud;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  cloud = await startTestCloud();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await cloud.close();
});

async function runSequence(seed: number): Promise<{ log: string[]; completedStops: number }> {
  const random = rng(seed);
  const store = new MemoryStore();
  let core: StudioCore = studioCore(cloud, store, { noSleep: true });
  const log: string[] = [];
  let completedStops = 0;

  const expectNothingRunning = async (after: string) => {
    cloud.faults.clear();
    const active = await activeResources(cloud);
    if (active.length > 0) throw new Error(`after ${after}: still running ${active.join(', ')}`);
  };
  const settle = async (name: string, promise: Promise<unknown>) => {
    try {
      await promise;
      log.push(`${name} ok`);
      return true;
    } catch (error) {
      if (!(error instanceof StudioError)) throw new Error(`${name} threw a non-studio error: ${String(error)}`, { cause: error });
      log.push(`${name} failed ${error.code}`);
      return false;
    }
  };

  const steps = 5 + Math.floor(random() * 6);
  for (let i = 0; i < steps; i++) {
    const faults = Math.floor(random() * 3);
    for (let f = 0; f < faults; f++) {
      const route = pick(random, ROUTES);
      const delay = random() < 0.25;
      const rule: FaultRule = delay
        ? { ...route, count: 1 + Math.floor(random() * 2), delayMs: 1 + Math.floor(random() * 10) }
        : { ...route, count: 1 + Math.floor(random() * 4), ...pick(random, FAILURES) };
      cloud.faults.inject(rule);
      log.push(`fault ${rule.method} ${rule.path} ×${rule.count} ${rule.status ?? `+${rule.delayMs}ms`}`);
    }
    const op = pick(random, OPS);
    if (op === 'crash') {
      core = studioCore(cloud, store, { noSleep: true });
      log.push('crash');
      await settle('detect', core.broadcast.detect());
    } else if (op === 'start') {
      await settle('start', core.broadcast.start());
    } else if (op === 'stop') {
      if (await settle('stop', core.broadcast.stop())) {
        completedStops++;
        await expectNothingRunning('stop');
      }
    } else if (op === 'cleanup') {
      if (await settle('cleanup', core.broadcast.cleanup())) {
        completedStops++;
        await expectNothingRunning('cleanup');
      }
    } else {
      const started = settle('start', core.broadcast.start());
      const stopped = settle('stop', core.broadcast.stop());
      await started;
      if (await stopped) {
        completedStops++;
        await expectNothingRunning('stop during start');
      }
    }
    cloud.faults.clear();
  }
  // Leave the cloud clean for the next sequence, through the studio itself.
  cloud.faults.clear();
  await core.broadcast.stop();
  await expectNothingRunning('final stop');
  return { log, completedStops };
}

describe('broadcast under injected faults', () => {
  it(`leaves nothing running after any completed stop or cleanup (${ONLY ?? SEEDS} seeded sequences)`, async () => {
    const seeds = ONLY !== null ? [ONLY] : Array.from({ length: SEEDS }, (_, i) => i + 1);
    let stops = 0;
    let failedOps = 0;
    for (const seed of seeds) {
      let result: Awaited<ReturnType<typeof runSequence>>;
      try {
        result = await runSequence(seed);
      } catch (error) {
        throw new Error(`fault sequence failed — replay with ONAIR_FUZZ_SEED=${seed}: ${(error as Error).message}`, { cause: error });
      }
      stops += result.completedStops;
      failedOps += result.log.filter((line) => line.includes(' failed ')).length;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    // The faults must have bitten, and stops must have completed, or the test proves nothing.
    expect(failedOps).toBeGreaterThan(seeds.length / 4);
    expect(stops).toBeGreaterThan(seeds.length);
    console.info(`fault fuzz: ${seeds.length} sequences, ${stops} completed stops/cleanups, ${failedOps} operations failed under faults`);
  }, 240_000);
});
