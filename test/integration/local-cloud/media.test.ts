import { describe, expect, it } from 'vitest';
import { type Params, useCloud } from './support/cloud';

// Every test here adds streamers and processors to one cloud; the quotas are tested in limits.test.ts.
const { api, cloud } = useCloud({ limits: { activePlayerStreamers: 1000, activeMediaProcessors: 1000 } });
const STREAMERS = '/media/v1/PlayerStreamers';
const PROCESSORS = '/media/v1/MediaProcessors';

async function newRoom(): Promise<any> {
  return (await api().post('/video/v1/Rooms')).body;
}
async function newStreamer(params = {}): Promise<any> {
  return (await api().post(STREAMERS, params)).body;
}
const context = (room: string, outputs: string[]) => JSON.stringify({ room: { name: room }, outputs });

describe('Media v1 PlayerStreamers', () => {
  it('creates a streamer with Twilio defaults: created, video, MaxDuration 300', async () => {
    const { status, body } = await api().post(STREAMERS);
    expect(status).toBe(201);
    expect(body.sid).toMatch(/^VJ[0-9a-f]{32}$/);
    expect(body).toMatchObject({
      status: 'created',
      video: true,
      max_duration: 300,
      ended_reason: null,
      status_callback: null,
      status_callback_method: 'POST',
      account_sid: cloud().credentials.accountSid,
      url: `${cloud().origin}${STREAMERS}/${body.sid}`,
    });
    expect(body.links.playback_grant).toBe(`${cloud().origin}${STREAMERS}/${body.sid}/PlaybackGrant`);
    expect((await api().get(`${STREAMERS}/${body.sid}`)).body.status).toBe('created');
  });

  it('takes Video, MaxDuration and StatusCallback; validates them', async () => {
    const body = await newStreamer({ Video: false, MaxDuration: 3600, StatusCallback: 'https://example.test/cb', StatusCallbackMethod: 'GET' });
    expect(body).toMatchObject({ video: false, max_duration: 3600, status_callback: 'https://example.test/cb', status_callback_method: 'GET' });
    const invalid: Params[] = [{ MaxDuration: 0 }, { MaxDuration: 90_001 }, { Video: 'yes' }, { StatusCallbackMethod: 'FETCH' }];
    for (const params of invalid) {
      const bad = await api().post(STREAMERS, params);
      expect(bad.status, JSON.stringify(params)).toBe(400);
    }
  });

  it('starts when the media path says so, and ends via the API (ended-via-api)', async () => {
    const s = await newStreamer();
    cloud().state.markStreamerStarted(s.sid);
    expect((await api().get(`${STREAMERS}/${s.sid}`)).body.status).toBe('started');
    const ended = await api().post(`${STREAMERS}/${s.sid}`, { Status: 'ended' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', ended_reason: 'ended-via-api' });
    // Ending again changes nothing; a started/other status cannot be set.
    expect((await api().post(`${STREAMERS}/${s.sid}`, { Status: 'ended' })).body.ended_reason).toBe('ended-via-api');
    expect((await api().post(`${STREAMERS}/${s.sid}`, { Status: 'started' })).status).toBe(400);
    cloud().state.markStreamerStarted(s.sid);
    expect((await api().get(`${STREAMERS}/${s.sid}`)).body.status).toBe('ended');
  });

  it('ends a streamer when its MaxDuration runs out on the clock', async () => {
    const s = await newStreamer({ MaxDuration: 10 });
    cloud().clock.advance(9_999);
    expect((await api().get(`${STREAMERS}/${s.sid}`)).body.status).toBe('created');
    cloud().clock.advance(1);
    const { body } = await api().get(`${STREAMERS}/${s.sid}`);
    expect(body).toMatchObject({ status: 'ended', ended_reason: 'max-duration-exceeded' });
  });

  it('answers 20404 for an unknown streamer', async () => {
    const missing = await api().get(`${STREAMERS}/VJ${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(20404);
    expect((await api().post(`${STREAMERS}/VJ${'0'.repeat(32)}`, { Status: 'ended' })).status).toBe(404);
  });

  it('lists with a Status filter and Order, paged', async () => {
    const a = await newStreamer({ MaxDuration: 90_000 });
    const b = await newStreamer({ MaxDuration: 90_000 });
    await api().post(`${STREAMERS}/${a.sid}`, { Status: 'ended' });
    const created = (await api().get(STREAMERS, { Status: 'created' })).body;
    expect(created.meta.key).toBe('player_streamers');
    expect(created.player_streamers.every((s: any) => s.status === 'created')).toBe(true);
    expect(created.player_streamers.map((s: any) => s.sid)).toContain(b.sid);
    expect(created.player_streamers.map((s: any) => s.sid)).not.toContain(a.sid);
    const ended = (await api().get(STREAMERS, { Status: 'ended' })).body.player_streamers.map((s: any) => s.sid);
    expect(ended).toContain(a.sid);

    const desc = (await api().get(STREAMERS)).body.player_streamers.map((s: any) => s.sid);
    const asc = (await api().get(STREAMERS, { Order: 'asc' })).body.player_streamers.map((s: any) => s.sid);
    expect(desc[0]).toBe(b.sid);
    expect(asc).toEqual([...desc].reverse());
    const paged = await api().get(STREAMERS, { PageSize: 1 });
    expect(paged.body.player_streamers.map((s: any) => s.sid)).toEqual([b.sid]);
    expect((await api().follow(paged.body.meta.next_page_url)).body.player_streamers[0].sid).toBe(desc[1]);
    expect((await api().get(STREAMERS, { Status: 'paused' })).status).toBe(400);
  });
});

describe('Media v1 PlaybackGrant', () => {
  it('creates a grant (Ttl 15 by default) pointing at the streamer’s local HLS playlist', async () => {
    const s = await newStreamer();
    const { status, body } = await api().post(`${STREAMERS}/${s.sid}/PlaybackGrant`);
    expect(status).toBe(201);
    expect(body).toMatchObject({ sid: s.sid, account_sid: cloud().credentials.accountSid, url: `${cloud().origin}${STREAMERS}/${s.sid}/PlaybackGrant` });
    expect(Object.keys(body.grant).sort()).toEqual(['playbackUrl', 'playerStreamerSid', 'requestCredentials']);
    expect(body.grant.playerStreamerSid).toBe(s.sid);
    expect(body.grant.requestCredentials).toBeNull();
    expect(body.grant.playbackUrl).toMatch(new RegExp(`^${cloud().origin}/media/hls/${s.sid}/[0-9a-f]+/index\\.m3u8$`));

    const fetched = await api().get(`${STREAMERS}/${s.sid}/PlaybackGrant`);
    expect(fetched.body).toEqual(body);
    cloud().clock.advance(14_999);
    expect((await api().get(`${STREAMERS}/${s.sid}/PlaybackGrant`)).status).toBe(200);
    cloud().clock.advance(1);
    expect((await api().get(`${STREAMERS}/${s.sid}/PlaybackGrant`)).status).toBe(404);
  });

  it('accepts Ttl up to 60 and AccessControlAllowOrigin; rejects Ttl above 60', async () => {
    const s = await newStreamer();
    const ok = await api().post(`${STREAMERS}/${s.sid}/PlaybackGrant`, { Ttl: 60, AccessControlAllowOrigin: 'http://127.0.0.1:5180' });
    expect(ok.status).toBe(201);
    cloud().clock.advance(59_000);
    expect((await api().get(`${STREAMERS}/${s.sid}/PlaybackGrant`)).status).toBe(200);
    const tooLong = await api().post(`${STREAMERS}/${s.sid}/PlaybackGrant`, { Ttl: 61 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe(20001);
    expect((await api().post(`${STREAMERS}/${s.sid}/PlaybackGrant`, { Ttl: 0 })).status).toBe(400);
  });

  it('refuses a grant for an ended or unknown streamer', async () => {
    const s = await newStreamer();
    await api().post(`${STREAMERS}/${s.sid}`, { Status: 'ended' });
    expect((await api().post(`${STREAMERS}/${s.sid}/PlaybackGrant`)).status).toBe(400);
    expect((await api().post(`${STREAMERS}/VJ${'1'.repeat(32)}/PlaybackGrant`)).status).toBe(404);
    expect((await api().get(`${STREAMERS}/${s.sid}/PlaybackGrant`)).status).toBe(404);
  });
});

describe('Media v1 MediaProcessors', () => {
  it('creates a started processor for a room (by sid or by name) and PlayerStreamer outputs; MaxDuration defaults to 300', async () => {
    const room = await newRoom();
    const s = await newStreamer();
    const ctx = context(room.sid, [s.sid]);
    const { status, body } = await api().post(PROCESSORS, { Extension: 'video-composer-v2', ExtensionContext: ctx });
    expect(status).toBe(201);
    expect(body.sid).toMatch(/^ZX[0-9a-f]{32}$/);
    expect(body).toMatchObject({ status: 'started', extension: 'video-composer-v2', extension_context: ctx, max_duration: 300, ended_reason: null });
    expect((await api().get(`${PROCESSORS}/${body.sid}`)).body.sid).toBe(body.sid);

    const named = await api().post('/video/v1/Rooms', { UniqueName: 'by-name' });
    const byName = await api().post(PROCESSORS, { Extension: 'video-composer-v1', ExtensionContext: context('by-name', [s.sid]), MaxDuration: 7200, ExtensionEnvironment: '{"A":"1"}' });
    expect(byName.status).toBe(201);
    expect(byName.body.max_duration).toBe(7200);
    expect(named.status).toBe(201);
  });

  it('validates Extension, ExtensionContext (room, outputs) and MaxDuration', async () => {
    const room = await newRoom();
    const s = await newStreamer();
    const ended = await newStreamer();
    await api().post(`${STREAMERS}/${ended.sid}`, { Status: 'ended' });
    const completed = await newRoom();
    await api().post(`/video/v1/Rooms/${completed.sid}`, { Status: 'completed' });
    const cases: Array<[Record<string, string | number>, number]> = [
      [{ ExtensionContext: context(room.sid, [s.sid]) }, 20001],
      [{ Extension: 'video-composer-v2' }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: '{oops' }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: JSON.stringify({ outputs: [s.sid] }) }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context('no-such-room', [s.sid]) }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(completed.sid, [s.sid]) }, 53118],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(room.sid, []) }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [`VJ${'2'.repeat(32)}`]) }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [ended.sid]) }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [s.sid]), MaxDuration: 90_001 }, 20001],
      [{ Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [s.sid]), ExtensionEnvironment: 'nope' }, 20001],
    ];
    for (const [params, code] of cases) {
      const { status, body } = await api().post(PROCESSORS, params);
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.code, JSON.stringify(params)).toBe(code);
    }
    expect((await api().get(PROCESSORS, { Status: 'started' })).body.media_processors.map((p: any) => p.extension_context)).not.toContain(context(completed.sid, [s.sid]));
  });

  it('ends itself with max-duration-exceeded when MaxDuration (default 300 s) runs out on the clock', async () => {
    const room = await newRoom();
    const s = await newStreamer({ MaxDuration: 90_000 });
    const { body: p } = await api().post(PROCESSORS, { Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [s.sid]) });
    cloud().clock.advance(299_000);
    expect((await api().get(`${PROCESSORS}/${p.sid}`)).body.status).toBe('started');
    cloud().clock.advance(1_000);
    const { body } = await api().get(`${PROCESSORS}/${p.sid}`);
    expect(body).toMatchObject({ status: 'ended', ended_reason: 'max-duration-exceeded' });
    expect(Date.parse(body.date_updated) - Date.parse(body.date_created)).toBe(300_000);
    // The streamer keeps running: the studio ends both.
    expect((await api().get(`${STREAMERS}/${s.sid}`)).body.status).toBe('created');
  });

  it('ends via the API without ending its PlayerStreamer', async () => {
    const room = await newRoom();
    const s = await newStreamer();
    const { body: p } = await api().post(PROCESSORS, { Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [s.sid]) });
    const ended = await api().post(`${PROCESSORS}/${p.sid}`, { Status: 'ended' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', ended_reason: 'ended-via-api' });
    expect((await api().get(`${STREAMERS}/${s.sid}`)).body.status).toBe('created');
    expect((await api().post(`${PROCESSORS}/${p.sid}`, {})).status).toBe(400);
    expect((await api().get(`${PROCESSORS}/ZX${'0'.repeat(32)}`)).body.code).toBe(20404);
  });

  it('lists with a Status filter, newest first, paged', async () => {
    const room = await newRoom();
    const s = await newStreamer({ MaxDuration: 90_000 });
    const make = async () => (await api().post(PROCESSORS, { Extension: 'video-composer-v2', ExtensionContext: context(room.sid, [s.sid]), MaxDuration: 90_000 })).body;
    const p1 = await make();
    const p2 = await make();
    await api().post(`${PROCESSORS}/${p1.sid}`, { Status: 'ended' });
    const started = (await api().get(PROCESSORS, { Status: 'started' })).body;
    expect(started.meta.key).toBe('media_processors');
    expect(started.media_processors.every((p: any) => p.status === 'started')).toBe(true);
    expect(started.media_processors[0].sid).toBe(p2.sid);
    expect(started.media_processors.map((p: any) => p.sid)).not.toContain(p1.sid);
    const ended = (await api().get(PROCESSORS, { Status: 'ended', PageSize: 1000 })).body.media_processors;
    expect(ended.every((p: any) => p.status === 'ended')).toBe(true);
    expect(ended.map((p: any) => p.sid)).toContain(p1.sid);
    const first = await api().get(PROCESSORS, { PageSize: 1 });
    expect(first.body.media_processors[0].sid).toBe(p2.sid);
    expect(first.body.meta.next_page_url).not.toBeNull();
  });
});
