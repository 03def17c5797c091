import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Imported at the top of a test file, this registers on that file's root suite (vitest isolates
// modules per file), so every folder made in the file — in a describe or inside a test — goes.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temp folder `onair-<prefix>-…`, removed when the test file finishes. Use it instead of a bare
 * mkdtemp: the run's temp guard (test/support/temp-guard.ts) fails on leftovers.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `onair-${prefix}-`));
  made.push(dir);
  return dir;
}
