import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONAIR_BIN, runOnair, tempFolders } from './support/onair-process';

/** The built `onair` command (bin/onair.js → out/main/cli.js) against `onair cloud serve`, as a user runs them. */
const temp = tempFolders();
let server: ChildProcess;
let env: NodeJS.ProcessEnv;

const onair = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runOnair(args, { ...env, ...extraEnv });

beforeAll(async () => {
  const data = temp.make('onair-cli-');
  server = spawn(process.execPath, [ONAIR_BIN, 'cloud', 'serve', '--port', '0', '--data', data, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ origin: string; credentials: Record<string, string> }>((resolveReady) => {
    createInterface({ input: server.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolveReady(JSON.parse(line));
    });
  });
  expect(ready.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  env = {
    PATH: process.env.PATH,
    // The CLI's own data (its resource ledger) stays in the test's folder.
    ONAIR_DATA_DIR: temp.make('onair-cli-data-'),
    ONAIR_TWILIO_API_ORIGIN: ready.origin,
    TWILIO_ACCOUNT_SID: ready.credentials.accountSid,
    TWILIO_API_KEY: ready.credentials.apiKeySid,
    TWILIO_API_SECRET: ready.credentials.apiSecret,
    TWILIO_SYNC_SERVICE_SID: ready.credentials.syncServiceSid,
  };
}, 30_000);

afterAll(async () => {
  // The server writes its state until it exits: remove the folders after that.
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
  temp.removeAll();
}, 30_000);

describe('onair CLI against onair cloud serve', () => {
  it('ensures a room (created once, reused after)', async () => {
    const first = await onair(['room', 'ensure', '--name', 'cli-room', '--json']);
    expect(first.code).toBe(0);
    const room = JSON.parse(first.stdout);
    expect(room).toMatchObject({ uniqueName: 'cli-room', status: 'in-progress', created: true, sid: expect.stringMatching(/^RM/) });
    const again = JSON.parse((await onair(['room', 'ensure', '--name', 'cli-room', '--json'])).stdout);
    expect(again).toMatchObject({ sid: room.sid, created: false });
    expect((await onair(['room', 'ensure', '--name', 'cli-room'])).stdout).toContain(`Reusing room cli-room (${room.sid}`);
  }, 180_000);

  it('mints a video token for an identity and a room', async () => {
    const result = await onair(['token', 'video', '--identity', 'alice', '--room', 'cli-room', '--json']);
    expect(result.code).toBe(0);
    const token = JSON.parse(result.stdout);
    const payload = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());
    expect(payload.grants).toEqual({ identity: 'alice', video: { room: 'cli-room' } });
  }, 180_000);

  it('starts, reports, plays, stops and cleans up a broadcast across separate runs', async () => {
    const started = JSON.parse((await onair(['broadcast', 'start', '--json'])).stdout);
    expect(started).toMatchObject({ state: 'live', playerStreamerSid: expect.stringMatching(/^VJ/) });
    const status = JSON.parse((await onair(['broadcast', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ state: 'orphaned', playerStreamerSid: started.playerStreamerSid });
    const again = JSON.parse((await onair(['broadcast', 'start', '--json'])).stdout);
    expect(again.playerStreamerSid).toBe(started.playerStreamerSid);
    const playback = JSON.parse((await onair(['token', 'playback', '--json'])).stdout);
    expect(JSON.parse(Buffer.from(playback.token.split('.')[1], 'base64url').toString()).grants.player.playerStreamerSid).toBe(started.playerStreamerSid);
    expect((await onair(['broadcast', 'stop'])).stdout).toContain('Stopped');
    const cleanup = await onair(['cleanup']);
    expect(cleanup.stdout).toContain('Nothing was running.');
  }, 180_000);

  it('exits non-zero with the studio error code and message', async () => {
    const wrong = await onair(['room', 'ensure', '--json'], { TWILIO_API_SECRET: 'not-the-secret' });
    expect(wrong.code).not.toBe(0);
    expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'twilio.auth', details: { twilioCode: 20003 } } });
    expect(wrong.stderr).not.toContain('not-the-secret');
    const human = await onair(['token', 'video', '--identity', '<bad>']);
    expect(human.code).not.toBe(0);
    expect(human.stderr).toContain('identity: Use 1 to 128 letters');
    const missing = await onair(['room', 'ensure'], { TWILIO_API_KEY: '' });
    expect(missing.stderr).toMatch(/^onair: twilio\.not_configured: /);
  }, 180_000);
});
