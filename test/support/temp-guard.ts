import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup: the whole run gets its own temp folder (TMPDIR, inherited by every worker
 * and every process a test starts), and at the end whatever a test left there fails the run by
 * name — then the folder goes, so nothing is ever left in the system temp folder.
 */
export default function setup(): () => void {
  // Every vitest project inherits this globalSetup: only the first call of a run makes the folder
  // (nested folders also made Chromium's socket path too long).
  if (process.env.ONAIR_TEST_RUN_TMP) return () => {};
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'onair-test-run-'));
  process.env.TMPDIR = root;
  process.env.ONAIR_TEST_RUN_TMP = root;
  return () => {
    delete process.env.ONAIR_TEST_RUN_TMP;
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    // Chromium and other tools may leave their own scratch; the studio's tests name theirs onair-*.
    const ours = left.filter((name) => name.startsWith('onair-'));
    if (ours.length > 0) {
      // A thrown error here is only logged by vitest; the exit code is what CI reads.
      console.error(`\nFAIL temp-guard: tests left ${ours.length} temp folder(s) behind: ${ours.sort().join(', ')}`);
      process.exitCode = 1;
    }
  };
}
