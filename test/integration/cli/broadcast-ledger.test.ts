import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../src/main/core/local-cloud/index';
import { cliEnv, cloudRest, runOnair, tempFolders } from './support/onair-process';

/**
 * `onair broadcast start` and `stop` are separate processes: what start created must
 * be known to stop from the CLI's data folder, also when `streaming_info` is gone.
 */
const temp = tempFolders();
let cloud: LocalCloud;
let otherCloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: temp.make('onair-cli-cloud-') });
  otherCloud = await startLocalCloud({ dataDir: temp.make('onair-cli-cloud-') });
}, 30_000);

afterAll(async () => {
  await cloud?.close();
  await otherCloud?.close();
  temp.removeAll();
});

async function startBroadcast(env: NodeJS.ProcessEnv): Promise<{ playerStreamerSid: string; mediaProcessorSid: string }> {
  const started = await runOnair(['broadcast', 'start', '--json'], env);
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const status = JSON.parse(started.stdout);
  expect(status).toMatchObject({ state: 'live', playerStreamerSid: expect.stringMatching(/^VJ/), mediaProcessorSid: expect.stringMatching(/^ZX/) });
  return status;
}

async function deleteStreamingInfo(target: LocalCloud): Promise<void> {
  const deleted = await cloudRest(target)('DELETE', `/sync/v1/Services/${target.credentials.syncServiceSid}/Documents/streaming_info`);
  expect(deleted.status).toBe(204);
}

async function statuses(target: LocalCloud, sids: { playerStreamerSid: string; mediaProcessorSid: string }): Promise<{ processor: unknown; streamer: unknown }> {
  const rest = cloudRest(target);
  const processor = await rest('GET', `/media/v1/MediaProcessors/${sids.mediaProcessorSid}`);
  const streamer = await rest('GET', `/media/v1/PlayerStreamers/${sids.playerStreamerSid}`);
  return { processor: processor.body.status, streamer: streamer.body.status };
}

const ledgerFile = (dataDir: string) => join(dataDir, 'cli-ledger.json');
/** Every entry of every account's ledger in the file. */
const ledgerEntries = (dataDir: string): unknown[] =>
  Object.values(JSON.parse(readFileSync(ledgerFile(dataDir), 'utf8')) as Record<string, Record<string, unknown[]>>).flatMap((scope) => Object.values(scope).flat());

describe('the CLI ledger of created resources, across processes', () => {
  it('a stop in a new process ends the MediaProcessor and the PlayerStreamer that start created, with streaming_info deleted in between', async () => {
    const env = cliEnv(cloud, temp.make('onair-cli-data-'));
    const live = await startBroadcast(env);
    await deleteStreamingInfo(cloud);
    expect(await statuses(cloud, live)).toEqual({ processor: 'started', streamer: 'created' });

    const stopped = await runOnair(['broadcast', 'stop', '--json'], env);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ state: 'idle' });
    expect(await statuses(cloud, live)).toEqual({ processor: 'ended', streamer: 'ended' });
  }, 180_000);

  it('keeps only resource SIDs (and the account they are in) in its file: no secret, no API key, no settings', async () => {
    const dataDir = temp.make('onair-cli-data-');
    const env = cliEnv(cloud, dataDir);
    const live = await startBroadcast(env);
    const text = readFileSync(ledgerFile(dataDir), 'utf8');
    expect(text).not.toContain(cloud.credentials.apiSecret);
    expect(text).not.toContain(cloud.credentials.apiKeySid);
    expect(text).not.toMatch(/secret|roomName|identity/i);
    const entries = ledgerEntries(dataDir);
    expect(entries).toEqual(
      expect.arrayContaining([
        { kind: 'PlayerStreamer', sid: live.playerStreamerSid, account: cloud.credentials.accountSid },
        { kind: 'MediaProcessor', sid: live.mediaProcessorSid, account: cloud.credentials.accountSid },
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(readdirSync(dataDir)).toEqual(['cli-ledger.json']);

    expect((await runOnair(['broadcast', 'stop'], env)).code).toBe(0);
    expect(ledgerEntries(dataDir)).toEqual([]);
  }, 180_000);

  it('a stop against another account leaves this account’s resources in the ledger for its own stop', async () => {
    const dataDir = temp.make('onair-cli-data-');
    const live = await startBroadcast(cliEnv(cloud, dataDir));
    await deleteStreamingInfo(cloud);

    expect((await runOnair(['broadcast', 'stop'], cliEnv(otherCloud, dataDir))).code).toBe(0);
    expect(await statuses(cloud, live)).toEqual({ processor: 'started', streamer: 'created' });

    expect((await runOnair(['broadcast', 'stop'], cliEnv(cloud, dataDir))).code).toBe(0);
    expect(await statuses(cloud, live)).toEqual({ processor: 'ended', streamer: 'ended' });
  }, 180_000);

  it('concurrent stops in separate processes all succeed and leave a valid, empty ledger', async () => {
    const dataDir = temp.make('onair-cli-data-');
    const env = cliEnv(cloud, dataDir);
    const live = await startBroadcast(env);
    await deleteStreamingInfo(cloud);

    const runs = await Promise.all([1, 2, 3].map(() => runOnair(['broadcast', 'stop', '--json'], env)));
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, '']));
    expect(await statuses(cloud, live)).toEqual({ processor: 'ended', streamer: 'ended' });
    expect(ledgerEntries(dataDir)).toEqual([]);
  }, 180_000);
});
