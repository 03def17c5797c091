import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  test: {
    // Each run has its own temp folder (TMPDIR); a test that leaves an onair-* folder there fails the run.
    globalSetup: ['test/support/temp-guard.ts'],
    // The summary ends with every test that needed a retry (e2e only), or "Retries used: none".
    reporters: ['default', './test/support/retry-reporter.ts'],
    // Bounds for a hung test, not speed checks (speed is measured in the benchmarks): a saturated
    // 2-core machine runs a 1 s test for many seconds.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // No Electron binary exists here: a test that forgets to mock electron must fail at once.
          alias: { electron: resolve('test/support/electron-not-mocked.ts') },
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Real ffmpeg, nginx and servers on a machine that may be busy: vitest's 5 s default is a
          // guess about speed, not a condition. Tests that know they run longer say so themselves.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'component',
          include: ['test/component/**/*.test.tsx'],
          environment: 'happy-dom',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // After the other projects, alone: the media path's latency-sensitive playback must not
          // share two cores with electron-builder or the fault fuzz.
          sequence: { groupOrder: 2 },
          // Real playback on a shared 2-core machine: a test that fails is run once more (a second
          // failure fails the run). Each retry is printed; the media-path test reports the player's
          // reconnect reason so a flake leaves evidence.
          retry: 1,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'packaging',
          include: ['test/packaging/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          // Boots the packaged main against the fake electron; a forgotten mock must fail at once.
          alias: { electron: resolve('test/support/electron-not-mocked.ts') },
          server: { deps: { inline: ['electron-store'] } },
          // Two electron-builder runs (Linux and macOS --dir) with a stand-in Electron.
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
