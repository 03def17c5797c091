import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, STATE_FILE } from '../../../src/main/core/local-cloud';
import { type Api, useFreshClouds } from './support/cloud';

const { start, dataDir } = useFreshClouds();
const ROOMS = '/video/v1/Rooms';
const STREAMERS = '/media/v1/PlayerStreamers';
const PROCESSORS = '/media/v1/MediaProcessors';
const docsOf = (api: Api) => `/sync/v1/Services/${api.cloud.credentials.syncServiceSid}/Documents`;

/** Sends `count` creates one after another; returns how many succeeded and the distinct error answers. */
async function createMany(count: number, create: (i: number) => Promise<{ status: number; body: any }>) {
  let created = 0;
  const errors = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const reply = await create(i);
    if (reply.status === 201) created += 1;
    else errors.add(`${reply.status} ${reply.body.code}`);
  }
  return { created, errors: [...errors] };
}

describe('local cloud quotas, as Twilio enforces them', () => {
  it('keeps at most 5 active PlayerStreamers (58001); ending one frees a slot', async () => {
    const { api } = await start();
    const result = await createMany(500, () => api.post(STREAMERS, { MaxDuration: 90_000 }));
    expect(DEFAULT_LIMITS.activePlayerStreamers).toBe(5);
    expect(result).toEqual({ created: 5, errors: ['400 58001'] });
    const [first] = (await api.get(STREAMERS, { Status: 'created' })).body.player_streamers;
    await api.post(`${STREAMERS}/${first.sid}`, { Status: 'ended' });
    expect((await api.post(STREAMERS)).status).toBe(201);
    expect((await api.post(STREAMERS)).body.code).toBe(58001);
  }, 60_000);

  it('keeps at most 5 started MediaProcessors (58002)', async () => {
    const { api } = await start();
    const room = (await api.post(ROOMS)).body;
    const streamer = (await api.post(STREAMERS)).body;
    const ExtensionContext = JSON.stringify({ room: { name: room.sid }, outputs: [streamer.sid] });
    const result = await createMany(20, () => api.post(PROCESSORS, { Extension: 'video-composer-v1', ExtensionContext }));
    expect(result).toEqual({ created: DEFAULT_LIMITS.activeMediaProcessors, errors: ['400 58002'] });
  });

  it('keeps at most 100 in-progress rooms (53119), and forgets the oldest completed rooms past roomsKept', async () => {
    const { api } = await start();
    const result = await createMany(2000, (i) => api.post(ROOMS, { UniqueName: `room-${i}` }));
    expect(result).toEqual({ created: DEFAULT_LIMITS.inProgressRooms, errors: ['400 53119'] });
    await api.post(`${ROOMS}/room-0`, { Status: 'completed' });
    expect((await api.post(ROOMS, { UniqueName: 'one-more' })).status).toBe(201);

    const small = await start({ limits: { roomsKept: 10 } });
    const sids: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const room = (await small.api.post(ROOMS)).body;
      sids.push(room.sid);
      if (i < 20) await small.api.post(`${ROOMS}/${room.sid}`, { Status: 'completed' });
    }
    const listed = (await small.api.get(ROOMS, { PageSize: 1000 })).body.rooms.map((r: any) => r.sid);
    // The 5 in-progress rooms are never dropped; of the 20 completed, the 5 newest are kept.
    expect(listed).toEqual(sids.slice(15).reverse());
    expect((await small.api.get(`${ROOMS}/${sids[0]}`)).status).toBe(404);
  }, 60_000);

  it('forgets the oldest ended PlayerStreamers (and their grants) past endedMediaKept', async () => {
    const { api } = await start({ limits: { endedMediaKept: 3 } });
    const sids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const streamer = (await api.post(STREAMERS)).body;
      await api.post(`${STREAMERS}/${streamer.sid}/PlaybackGrant`);
      await api.post(`${STREAMERS}/${streamer.sid}`, { Status: 'ended' });
      sids.push(streamer.sid);
    }
    const active = (await api.post(STREAMERS)).body;
    const listed = (await api.get(STREAMERS, { Order: 'asc' })).body.player_streamers.map((s: any) => s.sid);
    expect(listed).toEqual([...sids.slice(3), active.sid]);
    expect((await api.get(`${STREAMERS}/${sids[0]}`)).status).toBe(404);
    expect(api.cloud.state.grantOrigin(sids[0]!)).toBeUndefined();
    expect(api.cloud.state.grantOrigin(sids[5]!)).toBeNull();
  });

  it('limits a room UniqueName to 128 characters (53101)', async () => {
    const { api } = await start();
    expect((await api.post(ROOMS, { UniqueName: 'r'.repeat(128) })).status).toBe(201);
    const long = await api.post(ROOMS, { UniqueName: 'r'.repeat(129) });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe(53101);
  });

  it('limits a Sync Document UniqueName to 320 characters (54302)', async () => {
    const { api } = await start();
    expect((await api.post(docsOf(api), { UniqueName: 'd'.repeat(320) })).status).toBe(201);
    const long = await api.post(docsOf(api), { UniqueName: 'd'.repeat(321) });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe(54302);
  });

  it('keeps at most 100 Sync Documents; the state file stays small when every quota is full', async () => {
    const dir = await dataDir();
    const { api, cloud } = await start({ dataDir: dir });
    const data = JSON.stringify({ s: 'x'.repeat(15 * 1024) });
    const docs = await createMany(500, () => api.post(docsOf(api), { Data: data }));
    expect(docs.created).toBe(DEFAULT_LIMITS.documents);
    expect(docs.errors).toHaveLength(1);
    expect(docs.errors[0]).toMatch(/^400 /);
    const list = await api.get(docsOf(api), { PageSize: 100 });
    await api.delete(`${docsOf(api)}/${list.body.documents[0].sid}`);
    expect((await api.post(docsOf(api), { Data: data })).status).toBe(201);

    await createMany(2000, () => api.post(ROOMS));
    await createMany(500, () => api.post(STREAMERS));
    await cloud.close();
    // 100 documents of 15 KiB, 100 rooms, 5 streamers: the data itself is ~1.5 MB.
    expect((await stat(join(dir, STATE_FILE))).size).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});
