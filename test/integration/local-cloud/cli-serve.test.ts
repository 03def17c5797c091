import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth } from './support/cloud';

/** The built `onair cloud serve` (bin/onair.js → out/main/cli.js), as a user runs it. */
const BIN = resolve('bin/onair.js');
const running: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(
    running.splice(0).map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function serve(flags: string[]): Promise<{ origin: string; auth: string }> {
  const data = await mkdtemp(join(tmpdir(), 'onair-cloud-serve-'));
  dirs.push(data);
  const child = spawn(process.execPath, [BIN, 'cloud', 'serve', '--port', '0', '--data', data, '--json', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH },
  });
  running.push(child);
  const ready = await new Promise<{ origin: string; credentials: Record<string, string> }>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`onair cloud serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) done(JSON.parse(line));
    });
  });
  return { origin: ready.origin, auth: basicAuth(ready.credentials.apiKeySid!, ready.credentials.apiSecret!) };
}

const advance = ({ origin, auth }: { origin: string; auth: string }) =>
  fetch(`${origin}/__control/clock`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'AdvanceMs=1000',
  });

describe('onair cloud serve and the test controls', () => {
  it('does not serve /__control without --test-controls', async () => {
    const cloud = await serve([]);
    expect((await advance(cloud)).status).toBe(404);
    expect((await fetch(`${cloud.origin}/video/v1/Rooms`, { headers: { authorization: cloud.auth } })).status).toBe(200);
  }, 30_000);

  it('serves them with --test-controls', async () => {
    const cloud = await serve(['--test-controls']);
    const reply = await advance(cloud);
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { now_ms: number }).now_ms).toBeGreaterThan(0);
  }, 30_000);
});
