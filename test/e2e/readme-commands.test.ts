import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { connectBridge } from '../support/bridge-client';

/**
 * The README's commands, run as a newcomer types them: `npm run studio:web` (the package.json
 * script, not the file it should start — the script once named a file the build never writes)
 * and `npx onair --help`.
 *
 * In the e2e project on purpose: the script rebuilds `out/`, which the unit, integration and
 * packaging projects read while they run in parallel; e2e runs alone after them, one file at a time.
 */

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** The build is part of the script; on a busy 2-core machine it can take a while. */
const READY_WITHIN_MS = 150_000;
const LAUNCH_LINE = /^\s*(http:\/\/127\.0\.0\.1:\d+\/#key=[0-9a-f]+)\s*$/;

const dataDir = mkdtempSync(join(tmpdir(), 'onair-readme-'));
let studioWeb: ChildProcess | undefined;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends npm, its shell and the harness: the whole process group the script runs in. */
async function killGroup(child: ChildProcess): Promise<boolean> {
  const pid = child.pid;
  if (pid === undefined) return true;
  if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && groupAlive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!groupAlive(pid)) return true;
  process.kill(-pid, 'SIGKILL');
  return false;
}

afterAll(async () => {
  if (studioWeb) await killGroup(studioWeb);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the README commands, as written', () => {
  it(
    '`npm run studio:web -- --port 0 --data-dir <dir>` builds, prints its link, serves the page and answers on the bridge',
    async () => {
      const child = spawn(NPM, ['run', 'studio:web', '--', '--port', '0', '--data-dir', dataDir], {
        cwd: process.cwd(),
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group (npm → sh → node), so the end of the test can end all of it.
        detached: true,
      });
      studioWeb = child;
      const output: string[] = [];
      child.stderr!.on('data', (chunk) => output.push(String(chunk)));
      const launchUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no link within ${READY_WITHIN_MS} ms:\n${output.join('\n')}`)), READY_WITHIN_MS);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`npm run studio:web exited (${code ?? signal}) before printing a link:\n${output.join('\n')}`));
        });
        createInterface({ input: child.stdout! }).on('line', (line) => {
          output.push(line);
          const match = LAUNCH_LINE.exec(line);
          if (!match) return;
          clearTimeout(timer);
          resolve(match[1]!);
        });
      });

      const origin = new URL(launchUrl).origin;
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/web-bridge.js"></script>');

      const bridge = await connectBridge(launchUrl);
      try {
        await expect(bridge.call('app.info')).resolves.toMatchObject({ ok: true, value: { name: 'OnAir Studio', shell: 'web' } });
      } finally {
        await bridge.close();
      }

      expect(await killGroup(child), 'the process group ended on SIGTERM').toBe(true);
      studioWeb = undefined;
    },
    READY_WITHIN_MS + 30_000,
  );

  it('`npx onair --help` exits 0 and prints the usage', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(NPX, ['onair', '--help'], { cwd: process.cwd(), env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^Usage: onair \[options\] \[command\]/m);
    expect(result.stdout).toMatch(/^\s+cloud\s/m);
    expect(result.stdout).toMatch(/^\s+broadcast\s/m);
  }, 90_000);
});
