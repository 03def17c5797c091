import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { ActivityFeed } from '../../../src/main/core/twilio/activity-feed';
import { createTwilioClient, type StudioTwilio } from '../../../src/main/core/twilio/client';
import { ensureRoom } from '../../../src/main/core/twilio/rooms';
import { videoToken } from '../../../src/main/core/twilio/tokens';
import { StudioError } from '../../../src/shared/errors';
import { expectParamsInSpec, startTestCloud } from '../support/studio-fixture';

let cloud: LocalCloud;
let activity: ActivityFeed;
let sleeps: number[];

function client(overrides: { apiSecret?: string; origin?: string; timeoutMs?: number } = {}): StudioTwilio {
  const { accountSid, apiKeySid, apiSecret } = cloud.credentials;
  return createTwilioClient(
    { accountSid, apiKeySid, apiSecret: overrides.apiSecret ?? apiSecret, origin: overrides.origin ?? cloud.origin },
    {
      activity,
      timeoutMs: overrides.timeoutMs ?? 2_000,
      retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
}

const failure = async (promise: Promise<unknown>): Promise<StudioError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return error as StudioError;
  }
  throw new Error('expected a failure');
};

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  expectParamsInSpec(cloud);
  await cloud.close();
});
beforeEach(() => {
  activity = new ActivityFeed();
  sleeps = [];
  cloud.faults.clear();
});

describe('the twilio client against the local cloud', () => {
  it('sends https://video.twilio.com/... to {origin}/video/... with the real twilio client', async () => {
    const before = cloud.requests.length;
    const room = await client().rest.video.v1.rooms.create({ uniqueName: 'origin-check' });
    expect(room.sid).toMatch(/^RM[0-9a-f]{32}$/);
    expect(cloud.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /video/v1/Rooms']);
    expect(activity.list()).toEqual([
      expect.objectContaining({ method: 'POST', domain: 'video', path: '/v1/Rooms', status: 201, ms: expect.any(Number) }),
    ]);
  });

  it('retries 5xx on reads with backoff and jitter, and logs every attempt', async () => {
    cloud.faults.inject({ method: 'GET', path: '/video/v1/Rooms', count: 2, status: 503, code: 20503 });
    const room = await ensureRoom(client(), 'retry-room');
    expect(room.created).toBe(true);
    const reads = activity.list().filter((e) => e.method === 'GET');
    expect(reads.map((e) => [e.status, e.attempt])).toEqual([
      [503, undefined],
      [503, 1],
      [200, 2],
    ]);
    expect(reads[0]!.twilioCode).toBe(20503);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('retries 429 / 20429 even on creates', async () => {
    cloud.faults.inject({ method: 'POST', path: '/media/v1/PlayerStreamers', count: 1, status: 429, code: 20429 });
    const streamer = await client().request<{ sid: string; status: string }>('POST', 'media', '/v1/PlayerStreamers', { Video: true });
    expect(streamer.status).toBe('created');
    expect(activity.list().map((e) => e.status)).toEqual([429, 201]);
    await client().request('POST', 'media', `/v1/PlayerStreamers/${streamer.sid}`, { Status: 'ended' });
  });

  it('does not repeat a create after a 5xx (it may have happened) and says what failed', async () => {
    cloud.faults.inject({ method: 'POST', path: '/media/v1/PlayerStreamers', count: 1, status: 500, code: 20500 });
    const error = await failure(client().request('POST', 'media', '/v1/PlayerStreamers', { Video: true }));
    expect(error.code).toBe('twilio.server_error');
    expect(error.details).toEqual({ twilioCode: 20500, status: 500 });
    expect(activity.list()).toHaveLength(1);
  });

  it('gives up after the bounded number of retries', async () => {
    cloud.faults.inject({ method: 'GET', path: '/video/v1/Rooms', count: 10, status: 502 });
    const error = await failure(ensureRoom(client(), 'never'));
    expect(error.code).toBe('twilio.server_error');
    expect(activity.list()).toHaveLength(4);
    cloud.faults.clear();
  });

  it('times out a slow answer and reports it as a timeout', async () => {
    cloud.faults.inject({ method: 'POST', path: '/video/v1/Rooms', count: 1, delayMs: 600 });
    const error = await failure(client({ timeoutMs: 150 }).rest.video.v1.rooms.create({ uniqueName: 'slow' }));
    expect(error.code).toBe('twilio.timeout');
    expect(activity.list()[0]).toMatchObject({ status: null });
  });

  it('reports a refused connection as a network failure', async () => {
    const error = await failure(ensureRoom(client({ origin: 'http://127.0.0.1:9' }), 'offline'));
    expect(error.code).toBe('twilio.network');
  });

  it('maps bad credentials to twilio.auth and never shows the secret', async () => {
    const secret = 'definitely-wrong-secret-value';
    const error = await failure(ensureRoom(client({ apiSecret: secret }), 'x'));
    expect(error.code).toBe('twilio.auth');
    expect(error.details).toEqual({ twilioCode: 20003, status: 401 });
    const everything = JSON.stringify([error, error.message, error.stack, activity.list()]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(cloud.credentials.apiSecret);
  });

  it('maps the room-name race (53113) by reusing the winner', async () => {
    const rooms = await Promise.all(Array.from({ length: 5 }, () => ensureRoom(client(), 'raced-room')));
    expect(new Set(rooms.map((r) => r.sid)).size).toBe(1);
    expect(rooms.filter((r) => r.created)).toHaveLength(1);
    expect(activity.list().some((e) => e.twilioCode === 53113)).toBe(true);
  });

  it('reuses an in-progress room and creates a new one after it completed', async () => {
    const first = await ensureRoom(client(), 'studio-room');
    expect((await ensureRoom(client(), 'studio-room')).sid).toBe(first.sid);
    await client().rest.video.v1.rooms(first.sid).update({ status: 'completed' });
    const next = await ensureRoom(client(), 'studio-room');
    expect(next.sid).not.toBe(first.sid);
    expect(next.created).toBe(true);
  });

  it('answers Media v1 404 on a collection as "Twilio Live was retired"', async () => {
    cloud.faults.inject({ method: 'POST', path: '/media/v1/PlayerStreamers', count: 1, status: 404, code: 20404 });
    const error = await failure(client().request('POST', 'media', '/v1/PlayerStreamers', { Video: true }));
    expect(error.code).toBe('twilio.live_retired');
    expect(error.message).toContain('2023-11-30');
    const missing = await failure(client().request('GET', 'media', `/v1/PlayerStreamers/VJ${'0'.repeat(32)}`));
    expect(missing.code).toBe('twilio.not_found');
  });
});

describe('video tokens', () => {
  const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

  it('grants one identity one room, signed with the API key', () => {
    const { accountSid, apiKeySid, apiSecret } = cloud.credentials;
    const before = Date.now();
    const minted = videoToken({ accountSid, apiKeySid, apiSecret }, '配信者 1', 'myroom', 600);
    const payload = decode(minted.token);
    expect(payload).toMatchObject({ iss: apiKeySid, sub: accountSid, grants: { identity: '配信者 1', video: { room: 'myroom' } } });
    expect(payload.exp - payload.iat).toBe(600);
    expect(Date.parse(minted.expiresAt)).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(minted.token).not.toContain(apiSecret);
  });

  it('refuses empty or unsafe identities with a clear message', () => {
    const { accountSid, apiKeySid, apiSecret } = cloud.credentials;
    for (const identity of ['', '   ', '<script>', 'a/b', 'x'.repeat(129), '\u0000bob']) {
      expect(() => videoToken({ accountSid, apiKeySid, apiSecret }, identity, 'myroom'), JSON.stringify(identity)).toThrow(
        expect.objectContaining({ code: 'identity.invalid' }),
      );
    }
  });
});
