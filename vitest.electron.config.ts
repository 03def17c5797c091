import { defineConfig } from 'vitest/config';

// Real-Electron smoke test (`npm run test:electron`): needs the Electron binary and a display
// (xvfb on Linux), so it is not part of `npm test`; release.yml runs it on ubuntu-latest.
export default defineConfig({
  test: {
    name: 'electron',
    include: ['test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
