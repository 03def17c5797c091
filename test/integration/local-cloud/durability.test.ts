import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalCloud, STATE_FILE, startLocalCloud } from '../../../src/main/core/local-cloud';
import { Api, newDataDir, startTempCloud, T0 } from './support/cloud';
import { specProblems } from './support/openapi';

const open: LocalCloud[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function start(dataDir: string, now = () => T0): Promise<{ cloud: LocalCloud; api: Api }> {
  const cloud = await startLocalCloud({ dataDir, now });
  open.push(cloud);
  return { cloud, api: new Api(cloud) };
}

describe('local cloud durability', () => {
  it('keeps credentials and every resource across a restart on the same data dir, in one 0600 file', async () => {
    const dataDir = await newDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir);
    const docs = `/sync/v1/Services/${first.cloud.credentials.syncServiceSid}/Documents`;
    const room = (await first.api.post('/video/v1/Rooms', { UniqueName: 'durable' })).body;
    const doc = (await first.api.post(docs, { UniqueName: 'streaming_info', Data: '{"roomSid":"x"}' })).body;
    await first.api.post(`${docs}/streaming_info`, { Data: '{"roomSid":"y"}' });
    const streamer = (await first.api.post('/media/v1/PlayerStreamers')).body;
    const processor = (
      await first.api.post('/media/v1/MediaProcessors', {
        Extension: 'video-composer-v2',
        ExtensionContext: JSON.stringify({ room: { name: room.sid }, outputs: [streamer.sid] }),
      })
    ).body;
    await first.api.post(`/media/v1/MediaProcessors/${processor.sid}`, { Status: 'ended' });
    const credentials = { ...first.cloud.credentials };
    await first.cloud.close();
    open.splice(0);

    const file = join(dataDir, STATE_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).credentials).toEqual(credentials);

    const second = await start(dataDir);
    expect(second.cloud.credentials).toEqual(credentials);
    expect((await second.api.get('/video/v1/Rooms/durable')).body).toMatchObject({ sid: room.sid, status: 'in-progress' });
    expect((await second.api.get(`${docs}/${doc.sid}`)).body).toMatchObject({ unique_name: 'streaming_info', revision: '1', data: { roomSid: 'y' } });
    expect((await second.api.get(`/media/v1/PlayerStreamers/${streamer.sid}`)).body.status).toBe('created');
    expect((await second.api.get(`/media/v1/MediaProcessors/${processor.sid}`)).body).toMatchObject({ status: 'ended', ended_reason: 'ended-via-api' });
    // The unique-name rule still holds against the restored room.
    expect((await second.api.post('/video/v1/Rooms', { UniqueName: 'durable' })).body.code).toBe(53113);
    expect([...first.api.exchanges, ...second.api.exchanges].flatMap(specProblems)).toEqual([]);
  });

  it('generates different credentials for a different data dir, and uses options.now for timestamps', async () => {
    const [dirA, dirB] = [await newDataDir(), await newDataDir()];
    dirs.push(dirA, dirB);
    const a = await start(dirA, () => Date.parse('2030-05-06T07:08:09.456Z'));
    const b = await start(dirB);
    expect(a.cloud.credentials.apiSecret).not.toBe(b.cloud.credentials.apiSecret);
    expect(a.cloud.credentials.apiKeySid).not.toBe(b.cloud.credentials.apiKeySid);
    expect(a.cloud.origin).not.toBe(b.cloud.origin);
    expect((await a.api.post('/video/v1/Rooms')).body.date_created).toBe('2030-05-06T07:08:09Z');
    // b's key does not open a.
    expect((await a.api.get('/video/v1/Rooms', {}, { auth: b.api.auth })).status).toBe(401);
  });

  it('applies expiries that fell due while the cloud was down', async () => {
    const dataDir = await newDataDir();
    dirs.push(dataDir);
    let now = T0;
    const first = await start(dataDir, () => now);
    const docs = `/sync/v1/Services/${first.cloud.credentials.syncServiceSid}/Documents`;
    await first.api.post(docs, { UniqueName: 'short', Ttl: 10 });
    const streamer = (await first.api.post('/media/v1/PlayerStreamers', { MaxDuration: 10 })).body;
    await first.cloud.close();
    open.splice(0);

    now = T0 + 11_000;
    const second = await start(dataDir, () => now);
    expect((await second.api.get(`${docs}/short`)).status).toBe(404);
    expect((await second.api.get(`/media/v1/PlayerStreamers/${streamer.sid}`)).body).toMatchObject({ status: 'ended', ended_reason: 'max-duration-exceeded' });
  });

  it('a temp cloud (the integration tests’ own) leaves no folder behind after close()', async () => {
    const { cloud, dataDir } = await startTempCloud();
    expect(dataDir).toContain('onair-cloud-');
    await new Api(cloud).post('/video/v1/Rooms');
    await cloud.close();
    await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a state file that is not its own', async () => {
    const dataDir = await newDataDir();
    dirs.push(dataDir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dataDir, STATE_FILE), '{"version":9}');
    await expect(startLocalCloud({ dataDir })).rejects.toThrow(/not a local cloud state file/);
  });
});
