import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { basicAuth, useCloud } from './support/cloud';

// This file drives /__control over HTTP, so its cloud is started with the test controls on.
const { api, cloud } = useCloud({ testControls: true });
const ROOMS = '/video/v1/Rooms';

function refuses(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

describe('local cloud server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const origin = new URL(cloud().origin);
    expect(origin.hostname).toBe('127.0.0.1');
    expect(Number(origin.port)).toBeGreaterThan(0);
    expect(await refuses('127.0.0.1', Number(origin.port))).toBe(false);
    const elsewhere = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const host of ['::1', ...elsewhere]) expect(await refuses(host, Number(origin.port)), host).toBe(true);
  });

  it('requires Basic auth with the API key SID and secret (20003, 401)', async () => {
    const { accountSid, apiKeySid, apiSecret } = cloud().credentials;
    expect(apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    for (const auth of [null, basicAuth(apiKeySid, 'wrong'), basicAuth(accountSid, apiSecret), basicAuth(apiKeySid, ''), `Bearer ${apiSecret}`, 'Basic !!!']) {
      const { status, body, headers } = await api().get(ROOMS, {}, { auth });
      expect(status, String(auth)).toBe(401);
      expect(body).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      expect(headers.get('www-authenticate')).toContain('Basic');
    }
    const before = (await api().get(ROOMS, { PageSize: 1000 })).body.rooms.length;
    expect((await api().post(ROOMS, { UniqueName: 'not-allowed' }, { auth: null })).status).toBe(401);
    expect((await api().get(ROOMS, { PageSize: 1000 })).body.rooms.length).toBe(before);
  });

  it('answers 20404 for unknown routes', async () => {
    const { status, body } = await api().get('/video/v1/Nothing', {}, { offSpec: true });
    expect(status).toBe(404);
    expect(body.code).toBe(20404);
  });

  it('logs every request served with its params and status', async () => {
    await api().post(ROOMS, { UniqueName: 'logged' });
    await api().get(ROOMS, { UniqueName: 'logged' });
    expect(cloud().requests.slice(-2)).toEqual([
      { method: 'POST', path: ROOMS, params: { UniqueName: 'logged' }, status: 201 },
      { method: 'GET', path: ROOMS, params: { UniqueName: 'logged' }, status: 200 },
    ]);
  });
});

describe('fault injection', () => {
  it('fails the next `count` matching requests with status and code, before doing anything', async () => {
    const count = async () => (await api().get(ROOMS, { PageSize: 1000 })).body.rooms.length;
    const before = await count();
    cloud().faults.inject({ method: 'POST', path: ROOMS, count: 2, status: 503, code: 20503 });
    for (let i = 0; i < 2; i += 1) {
      const { status, body } = await api().post(ROOMS, { UniqueName: 'faulty' });
      expect(status).toBe(503);
      expect(body).toMatchObject({ code: 20503, status: 503, more_info: 'https://www.twilio.com/docs/errors/20503' });
    }
    expect(await count()).toBe(before);
    expect((await api().post(ROOMS, { UniqueName: 'faulty' })).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('matches a RegExp path, defaults the code to 20000 + status, and ignores other routes', async () => {
    const { body: s } = await api().post('/media/v1/PlayerStreamers');
    cloud().faults.inject({ path: /^\/media\/v1\/PlayerStreamers\/VJ[0-9a-f]+$/, count: 1, status: 429 });
    expect((await api().get('/media/v1/PlayerStreamers')).status).toBe(200);
    const limited = await api().get(`/media/v1/PlayerStreamers/${s.sid}`);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(20429);
    expect((await api().get(`/media/v1/PlayerStreamers/${s.sid}`)).status).toBe(200);
  });

  it('does not spend a fault on an unauthenticated request', async () => {
    cloud().faults.inject({ path: ROOMS, method: 'GET', count: 1, status: 500 });
    expect((await api().get(ROOMS, {}, { auth: null })).status).toBe(401);
    expect((await api().get(ROOMS)).status).toBe(500);
    expect((await api().get(ROOMS)).status).toBe(200);
  });

  it('delays and then serves normally, or delays and then fails', async () => {
    // The delay is long next to a loopback request even on a busy machine: the second request
    // proves the fault was spent once (it is not delayed), without a tight wall-clock bound.
    cloud().faults.inject({ path: ROOMS, method: 'GET', count: 1, delayMs: 1500 });
    const [slow, slowMs] = await timed(() => api().get(ROOMS));
    expect(slow.status).toBe(200);
    expect(slowMs).toBeGreaterThanOrEqual(1490);
    const [, fastMs] = await timed(() => api().get(ROOMS));
    expect(fastMs).toBeLessThan(1490);

    cloud().faults.inject({ path: ROOMS, method: 'POST', count: 1, delayMs: 150, status: 500 });
    const [failed, failedMs] = await timed(() => api().post(ROOMS));
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe(20500);
    expect(failedMs).toBeGreaterThanOrEqual(140);
  });

  it('clear() removes pending faults', async () => {
    cloud().faults.inject({ path: ROOMS, count: 5, status: 500 });
    cloud().faults.clear();
    expect((await api().get(ROOMS)).status).toBe(200);
  });

  it('is reachable over HTTP at /__control/faults and /__control/clock, with the same auth', async () => {
    const off = { offSpec: true };
    expect((await api().post('/__control/faults', { Path: ROOMS, Count: 1, Status: 500 }, { ...off, auth: null })).status).toBe(401);
    const injected = await api().post('/__control/faults', { Path: ROOMS, Method: 'GET', Count: 1, Status: 502, Code: 20502 }, off);
    expect(injected.status).toBe(201);
    expect((await api().get(ROOMS)).body.code).toBe(20502);
    expect((await api().get(ROOMS)).status).toBe(200);

    expect((await api().post('/__control/faults', { PathPattern: '/sync/**', Count: 3, Status: 500 }, off)).status).toBe(201);
    expect((await api().delete('/__control/faults', off)).status).toBe(204);
    expect((await api().get(`/sync/v1/Services/${cloud().credentials.syncServiceSid}/Documents`)).status).toBe(200);
    expect((await api().post('/__control/faults', { Count: 1, Status: 500 }, off)).status).toBe(400);
    expect((await api().post('/__control/faults', { Path: ROOMS, Count: 1 }, off)).status).toBe(400);

    const before = cloud().clock.now();
    const advanced = await api().post('/__control/clock', { AdvanceMs: 5000 }, off);
    expect(advanced.status).toBe(200);
    expect(advanced.body.now_ms).toBe(before + 5000);
    expect(cloud().clock.now()).toBe(before + 5000);
    expect((await api().get('/__control/clock', {}, off)).body.now).toBe(new Date(before + 5000).toISOString());
    expect((await api().post('/__control/clock', {}, off)).status).toBe(400);
  });
});
