import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import type { StudioCore } from '../../../src/main/core/studio-core';
import type { BroadcastStatus } from '../../../src/shared/broadcast';
import { activeResources, APP_ORIGIN, expectParamsInSpec, requestLines, startTestCloud, studioCore } from '../support/studio-fixture';

let cloud: LocalCloud;
let core: StudioCore;

beforeEach(async () => {
  cloud = await startTestCloud();
  core = studioCore(cloud);
});
afterEach(async () => {
  expectParamsInSpec(cloud);
  await cloud.close();
});

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
const paramsOf = (method: string, path: RegExp) => cloud.requests.filter((r) => r.method === method && path.test(r.path)).map((r) => r.params);

describe('the seed flow, request by request', () => {
  it('starts: room → PlayerStreamer → MediaProcessor (video-composer, MaxDuration) → streaming_info', async () => {
    const events: BroadcastStatus[] = [];
    core.events.connect((event, payload) => event === 'broadcast.changed' && events.push(payload as BroadcastStatus));
    const status = await core.broadcast.start();

    expect(requestLines(cloud)).toEqual([
      'GET /video/v1/Rooms',
      'POST /video/v1/Rooms',
      'POST /media/v1/PlayerStreamers',
      'POST /media/v1/MediaProcessors',
      'POST /sync/v1/Services/IS…/Documents',
    ]);
    expect(paramsOf('GET', /\/Rooms$/)[0]).toMatchObject({ Status: 'in-progress', UniqueName: 'myroom' });
    expect(paramsOf('POST', /\/Rooms$/)[0]).toMatchObject({ UniqueName: 'myroom', Type: 'group' });
    expect(paramsOf('POST', /PlayerStreamers$/)[0]).toEqual({ Video: 'true', MaxDuration: '14400' });
    const processor = paramsOf('POST', /MediaProcessors$/)[0]!;
    expect(processor.Extension).toBe('video-composer-v1');
    expect(processor.MaxDuration).toBe('14400');
    expect(JSON.parse(processor.ExtensionContext!)).toEqual({
      room: { name: status.roomSid },
      outputs: [status.playerStreamerSid],
      identity: 'streamer',
      resolution: '1280x720',
    });
    const record = paramsOf('POST', /Documents$/)[0]!;
    expect(record.UniqueName).toBe('streaming_info');
    expect(JSON.parse(record.Data!)).toEqual({
      roomSid: status.roomSid,
      playerStreamerSid: status.playerStreamerSid,
      mediaProcessorSid: status.mediaProcessorSid,
      startedAt: status.startedAt,
    });

    expect(status).toMatchObject({ state: 'live', step: null, error: null, remote: { playerStreamer: 'created', mediaProcessor: 'started' } });
    expect(events.map((e) => `${e.state}:${e.step ?? ''}`)).toEqual(['starting:room', 'starting:streamer', 'starting:processor', 'starting:record', 'live:']);
  });

  it('stops: fetch the record → end the MediaProcessor and the PlayerStreamer → delete the record', async () => {
    await core.broadcast.start();
    const from = cloud.requests.length;
    const status = await core.broadcast.stop();
    expect(requestLines(cloud, from)).toEqual([
      'GET /sync/v1/Services/IS…/Documents/streaming_info',
      'POST /media/v1/MediaProcessors/ZX…',
      'POST /media/v1/PlayerStreamers/VJ…',
      'DELETE /sync/v1/Services/IS…/Documents/streaming_info',
    ]);
    expect(paramsOf('POST', /MediaProcessors\/ZX/)).toEqual([{ Status: 'ended' }]);
    expect(paramsOf('POST', /PlayerStreamers\/VJ/)).toEqual([{ Status: 'ended' }]);
    expect(status.state).toBe('idle');
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('updates an existing streaming_info by unique name instead of failing', async () => {
    await core.broadcast.start();
    // Leave the record behind, as a crashed studio would, then start afresh.
    const stale = cloud.requests.length;
    await core.broadcast.cleanup();
    const sync = core.connections;
    const connection = await sync.current();
    await connection.twilio.rest.sync.v1.services(connection.syncServiceSid).documents.create({ uniqueName: 'streaming_info', data: { old: true } });
    const from = cloud.requests.length;
    expect(from).toBeGreaterThan(stale);
    const status = await core.broadcast.start();
    expect(requestLines(cloud, from).slice(-2)).toEqual([
      'POST /sync/v1/Services/IS…/Documents',
      'POST /sync/v1/Services/IS…/Documents/streaming_info',
    ]);
    const update = cloud.requests.at(-1)!;
    expect(JSON.parse(update.params.Data!)).toMatchObject({ playerStreamerSid: status.playerStreamerSid });
  });
});

describe('one broadcast, whatever the user clicks', () => {
  it('a second start while live returns the same broadcast', async () => {
    const first = await core.broadcast.start();
    const from = cloud.requests.length;
    const second = await core.broadcast.start();
    expect(second.playerStreamerSid).toBe(first.playerStreamerSid);
    expect(cloud.requests.length).toBe(from);
  });

  it('concurrent starts give one broadcast', async () => {
    const results = await Promise.all([core.broadcast.start(), core.broadcast.start(), core.broadcast.start()]);
    expect(new Set(results.map((r) => r.playerStreamerSid)).size).toBe(1);
    expect(cloud.requests.filter((r) => r.method === 'POST' && r.path === '/media/v1/PlayerStreamers')).toHaveLength(1);
    expect(await activeResources(cloud)).toHaveLength(2);
  });

  it('stop during start waits for the start and leaves nothing running', async () => {
    cloud.faults.inject({ method: 'POST', path: '/media/v1/MediaProcessors', count: 1, delayMs: 80 });
    const start = core.broadcast.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(core.broadcast.status().state).toBe('starting');
    const stop = core.broadcast.stop();
    await expect(start).resolves.toMatchObject({ state: 'live' });
    await expect(stop).resolves.toMatchObject({ state: 'idle' });
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('stop is idempotent and works with nothing live', async () => {
    await expect(core.broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
    await core.broadcast.start();
    await core.broadcast.stop();
    await expect(core.broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('treats an already-ended or missing resource as stopped', async () => {
    const status = await core.broadcast.start();
    const connection = await core.connections.current();
    await connection.twilio.request('POST', 'media', `/v1/MediaProcessors/${status.mediaProcessorSid}`, { Status: 'ended' });
    cloud.faults.inject({ method: 'POST', path: `/media/v1/PlayerStreamers/${status.playerStreamerSid}`, count: 1, status: 404, code: 20404 });
    await expect(core.broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
    // The 404 was injected, so the streamer is really still there: a stop without a record must still find it.
    expect(await activeResources(cloud)).toEqual([`created:${status.playerStreamerSid}`]);
    await core.broadcast.cleanup();
    expect(await activeResources(cloud)).toEqual([]);
  });
});

describe('a failed start undoes what it created', () => {
  it.each([
    ['processor', '/media/v1/MediaProcessors', 400, 20001, 'twilio.bad_request'],
    ['processor', '/media/v1/MediaProcessors', 429, 58002, 'twilio.processor_quota'],
    ['streamer', '/media/v1/PlayerStreamers', 400, 58001, 'twilio.streamer_quota'],
    ['record', '/sync/v1/Services', 500, 20500, 'twilio.server_error'],
  ] as const)('fails at the %s step (%s %i) and ends what it made', async (step, path, status, code, studioCode) => {
    cloud.faults.inject({ method: 'POST', path: new RegExp(`^${path}`), count: status === 429 ? 4 : 1, status, code });
    const error = await core.broadcast.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: studioCode, details: expect.objectContaining({ step }) });
    expect(core.broadcast.status()).toMatchObject({ state: 'failed', error: { code: studioCode, step } });
    expect(await activeResources(cloud)).toEqual([]);
    cloud.faults.clear();
    // And the next start works.
    await expect(core.broadcast.start()).resolves.toMatchObject({ state: 'live' });
  });

  it('says plainly that Twilio Live was retired when Media v1 is gone', async () => {
    cloud.faults.inject({ path: /^\/media\/v1\//, count: 100, status: 404, code: 20404 });
    const error = await core.broadcast.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'twilio.live_retired', details: { step: 'streamer' } });
    expect(core.broadcast.status().error?.message).toContain('2023-11-30');
  });
});

describe('time, crashes and orphans', () => {
  it('is still live after the clock passes 300 s (MaxDuration is set), and ends cleanly at MaxDuration', async () => {
    await core.broadcast.start();
    cloud.clock.advance(301_000);
    await expect(core.broadcast.refresh()).resolves.toMatchObject({ state: 'live', remote: { mediaProcessor: 'started' } });
    cloud.clock.advance(3 * 3600_000);
    await expect(core.broadcast.refresh()).resolves.toMatchObject({ state: 'live' });
    cloud.clock.advance(3600_000);
    const ended = await core.broadcast.refresh();
    expect(ended).toMatchObject({ state: 'failed', error: { code: 'broadcast.not_live' } });
    expect(ended.error?.message).toContain('max-duration-exceeded');
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('after a crash, the next studio finds the orphan; Resume attaches, Stop ends it', async () => {
    const store = new MemoryStore();
    const first = await studioCore(cloud, store).broadcast.start();
    const next = studioCore(cloud, store);
    await expect(next.broadcast.detect()).resolves.toMatchObject({ state: 'orphaned', playerStreamerSid: first.playerStreamerSid });
    await expect(next.broadcast.resume()).resolves.toMatchObject({ state: 'live', playerStreamerSid: first.playerStreamerSid, startedAt: first.startedAt });
    await next.broadcast.stop();
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('after a crash, End it cleans up everything and says what it ended', async () => {
    const first = await studioCore(cloud).broadcast.start();
    const next = studioCore(cloud);
    await next.broadcast.detect();
    const report = await next.broadcast.cleanup();
    expect(report.ended).toEqual([
      { kind: 'MediaProcessor', sid: first.mediaProcessorSid },
      { kind: 'PlayerStreamer', sid: first.playerStreamerSid },
    ]);
    expect(report.deletedRecord).toBe(true);
    expect(next.broadcast.status().state).toBe('idle');
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('cleanup also ends PlayerStreamers still in "created" (the seeds\u2019 script missed them)', async () => {
    const connection = await core.connections.current();
    const orphan = await connection.twilio.request<{ sid: string }>('POST', 'media', '/v1/PlayerStreamers', { Video: true });
    expect(await activeResources(cloud)).toEqual([`created:${orphan.sid}`]);
    const report = await core.broadcast.cleanup();
    expect(report).toEqual({ ended: [{ kind: 'PlayerStreamer', sid: orphan.sid }], deletedRecord: false });
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('a stop without the record ends what this studio created (ledger survives a restart)', async () => {
    const store = new MemoryStore();
    await studioCore(cloud, store).broadcast.start();
    const connection = await core.connections.current();
    await connection.twilio.rest.sync.v1.services(connection.syncServiceSid).documents('streaming_info').remove();
    await expect(studioCore(cloud, store).broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
    expect(await activeResources(cloud)).toEqual([]);
  });

  it('keeps the ledger per account: a stop against another account leaves this one\u2019s entries, which a later stop here ends', async () => {
    const store = new MemoryStore();
    const live = await studioCore(cloud, store).broadcast.start();
    const connection = await core.connections.current();
    await connection.twilio.rest.sync.v1.services(connection.syncServiceSid).documents('streaming_info').remove();

    // Another account (a second local cloud: its own account SID) with the same studio data.
    const other = await startTestCloud();
    try {
      expect(other.credentials.accountSid).not.toBe(cloud.credentials.accountSid);
      await expect(studioCore(other, store).broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
      expect(other.requests.filter((r) => r.method === 'POST' && /\/media\/v1\//.test(r.path))).toEqual([]);
    } finally {
      await other.close();
    }
    const kept = (store.get('broadcast.createdResources') as Array<{ sid: string }>).map((entry) => entry.sid).sort();
    expect(kept).toEqual([live.mediaProcessorSid, live.playerStreamerSid].sort());

    await expect(studioCore(cloud, store).broadcast.stop()).resolves.toMatchObject({ state: 'idle' });
    expect(await activeResources(cloud)).toEqual([]);
    expect(store.get('broadcast.createdResources')).toEqual([]);
  });
});

describe('playback token', () => {
  it('wraps a 60 s PlaybackGrant for the studio origin', async () => {
    await expect(core.broadcast.playbackToken()).rejects.toMatchObject({ code: 'broadcast.not_live' });
    const status = await core.broadcast.start();
    const minted = await core.broadcast.playbackToken();
    expect(paramsOf('POST', /PlaybackGrant$/)).toEqual([{ Ttl: '60', AccessControlAllowOrigin: APP_ORIGIN }]);
    const payload = decode(minted.token);
    expect(payload.grants.player).toMatchObject({ playerStreamerSid: status.playerStreamerSid, playbackUrl: expect.stringContaining(cloud.origin) });
    expect(payload.exp - payload.iat).toBe(60);
  });
});
