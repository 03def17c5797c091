import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_ADVANCE_MS, PathGlob } from '../../../src/main/core/local-cloud';
import { useFreshClouds } from './support/cloud';

const { start } = useFreshClouds();
const ROOMS = '/video/v1/Rooms';
const off = { offSpec: true };

describe('test controls over HTTP (/__control/faults, /__control/clock)', () => {
  it('are not served unless the cloud is started with testControls', async () => {
    const { api, cloud } = await start();
    const before = cloud.clock.now();
    expect((await api.post('/__control/clock', { AdvanceMs: 1000 }, off)).status).toBe(404);
    expect((await api.get('/__control/clock', {}, off)).status).toBe(404);
    expect((await api.post('/__control/faults', { Path: ROOMS, Count: 1, Status: 500 }, off)).status).toBe(404);
    expect((await api.delete('/__control/faults', off)).status).toBe(404);
    expect(cloud.clock.now()).toBe(before);
    expect((await api.get(ROOMS)).status).toBe(200);
  });

  it('bound AdvanceMs (one year and a day at most)', async () => {
    const { api, cloud } = await start({ testControls: true });
    const before = cloud.clock.now();
    const thirtyOneYears = 31 * 365 * 24 * 3600 * 1000;
    expect((await api.post('/__control/clock', { AdvanceMs: thirtyOneYears }, off)).status).toBe(400);
    expect((await api.post('/__control/clock', { AdvanceMs: MAX_CLOCK_ADVANCE_MS + 1 }, off)).status).toBe(400);
    expect(cloud.clock.now()).toBe(before);
    expect((await api.post('/__control/clock', { AdvanceMs: MAX_CLOCK_ADVANCE_MS }, off)).body.now_ms).toBe(before + MAX_CLOCK_ADVANCE_MS);
  });

  it('take a path glob, not a regular expression', async () => {
    const { api } = await start({ testControls: true });
    for (const PathPattern of ['^(\\/|[a-z]+|[a-z]+\\/)+\\d$', '(a+)+$', '/video/v1/Rooms$', '/media/v1/**/x', '/a/b*c*d', 'video/v1/Rooms']) {
      const refused = await api.post('/__control/faults', { PathPattern, Count: 1, Status: 500 }, off);
      expect(refused.status, PathPattern).toBe(400);
    }
    const streamer = (await api.post('/media/v1/PlayerStreamers')).body;
    const injected = await api.post('/__control/faults', { PathPattern: '/media/v1/PlayerStreamers/VJ*', Method: 'GET', Count: 1, Status: 503 }, off);
    expect(injected.status).toBe(201);
    expect(injected.body.path).toBe('/media/v1/PlayerStreamers/VJ*');
    expect((await api.get('/media/v1/PlayerStreamers')).status).toBe(200);
    expect((await api.get(`/media/v1/PlayerStreamers/${streamer.sid}`)).status).toBe(503);
    expect((await api.get(`/media/v1/PlayerStreamers/${streamer.sid}`)).status).toBe(200);

    await api.post('/__control/faults', { PathPattern: '/sync/**', Count: 1, Status: 500 }, off);
    expect((await api.get(ROOMS)).status).toBe(200);
    expect((await api.get(`/sync/v1/Services/${api.cloud.credentials.syncServiceSid}/Documents`)).status).toBe(500);
  });
});

describe('PathGlob', () => {
  it('matches literal segments, * within one segment, and a final ** for the rest', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/video/v1/Rooms', '/video/v1/Rooms', true],
      ['/video/v1/Rooms', '/video/v1/Rooms/x', false],
      ['/video/v1/Rooms/*', '/video/v1/Rooms/RM1', true],
      ['/video/v1/Rooms/*', '/video/v1/Rooms', false],
      ['/video/v1/Rooms/*', '/video/v1/Rooms/RM1/Participants', false],
      ['/media/v1/PlayerStreamers/VJ*', '/media/v1/PlayerStreamers/VJabc', true],
      ['/media/v1/PlayerStreamers/VJ*', '/media/v1/PlayerStreamers/ZXabc', false],
      ['/media/v1/*/*/PlaybackGrant', '/media/v1/PlayerStreamers/VJ1/PlaybackGrant', true],
      ['/sync/**', '/sync', true],
      ['/sync/**', '/sync/v1/Services/IS1/Documents/x', true],
      ['/sync/**', '/syncx/v1', false],
      ['/*Streamers', '/PlayerStreamers', true],
    ];
    for (const [pattern, path, expected] of cases) expect(new PathGlob(pattern).test(path), `${pattern} ~ ${path}`).toBe(expected);
  });

  it('refuses what is not a path glob', () => {
    for (const pattern of ['', 'Rooms', '/a/**/b', '/a/b**', '/a/*b*', '/a/(b)', '/a/[b]', '/a/b?', '/a/b+', '/a\\b', '/a/b|c', `/${'a'.repeat(600)}`]) {
      expect(() => new PathGlob(pattern), pattern).toThrow(RangeError);
    }
  });
});
