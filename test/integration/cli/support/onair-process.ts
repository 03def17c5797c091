import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LocalCloud } from '../../../../src/main/core/local-cloud/index';

/** The built `onair` command (bin/onair.js → out/main/cli.js), run as a user runs it. */
export const ONAIR_BIN = resolve('bin/onair.js');

export interface OnairRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One `onair …` process with exactly `env` (nothing inherited but what the caller passes). */
export function runOnair(args: string[], env: NodeJS.ProcessEnv): Promise<OnairRun> {
  return new Promise((done) => {
    execFile(process.execPath, [ONAIR_BIN, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Folders in the system temp folder that the test removes when it is done (`afterAll(temp.removeAll)`). */
export function tempFolders(): { make: (prefix: string) => string; removeAll: () => void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The CLI's environment for `cloud`: its credentials under the Twilio CLI's names, and
 * `ONAIR_DATA_DIR` so that the CLI's own data stays in the test's folder.
 */
export function cliEnv(cloud: LocalCloud, dataDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ONAIR_DATA_DIR: dataDir,
    ONAIR_TWILIO_API_ORIGIN: cloud.origin,
    TWILIO_ACCOUNT_SID: cloud.credentials.accountSid,
    TWILIO_API_KEY: cloud.credentials.apiKeySid,
    TWILIO_API_SECRET: cloud.credentials.apiSecret,
    TWILIO_SYNC_SERVICE_SID: cloud.credentials.syncServiceSid,
  };
}

/** The cloud's REST API, straight (not through the studio), for what a test checks. */
export function cloudRest(cloud: LocalCloud): (method: string, path: string) => Promise<{ status: number; body: Record<string, unknown> }> {
  const authorization = `Basic ${Buffer.from(`${cloud.credentials.apiKeySid}:${cloud.credentials.apiSecret}`).toString('base64')}`;
  return async (method, path) => {
    const response = await fetch(`${cloud.origin}${path}`, { method, headers: { authorization } });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}
