import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LOG_SIZE } from '../../../src/main/core/local-cloud';
import { RequestLog } from '../../../src/main/core/local-cloud/request-log';
import { useFreshClouds } from './support/cloud';

const { start } = useFreshClouds();
const ROOMS = '/video/v1/Rooms';

describe('the local cloud request log', () => {
  it('keeps only the newest entries (a ring), however many requests come', async () => {
    // Over HTTP with a small ring (2 100 requests in a row take minutes on a saturated machine)…
    const { api, cloud } = await start({ requestLogSize: 100 });
    for (let i = 0; i < 250; i += 1) await api.get(ROOMS, { Page: String(i) }, { auth: null });
    expect(cloud.requests).toHaveLength(100);
    await api.post(ROOMS, { UniqueName: 'newest' });
    expect(cloud.requests).toHaveLength(100);
    expect(cloud.requests.at(-1)).toEqual({ method: 'POST', path: ROOMS, params: { UniqueName: 'newest' }, status: 201 });
    // …and the default ring, filled directly past its size: the oldest go first.
    const log = new RequestLog();
    expect(log.size).toBe(DEFAULT_REQUEST_LOG_SIZE);
    for (let i = 0; i < DEFAULT_REQUEST_LOG_SIZE + 100; i += 1) log.add({ method: 'GET', path: `/r/${i}`, params: {}, status: 200 });
    const kept = log.entries();
    expect(kept).toHaveLength(DEFAULT_REQUEST_LOG_SIZE);
    expect(kept[0]!.path).toBe('/r/100');
    expect(kept.at(-1)!.path).toBe(`/r/${DEFAULT_REQUEST_LOG_SIZE + 99}`);
  }, 120_000);

  it('keeps no parameters of a refused (unauthenticated) request, and bounds what it keeps of the others', async () => {
    const { api, cloud } = await start({ requestLogSize: 50 });
    const big = 'x'.repeat(14 * 1024);
    for (let i = 0; i < 100; i += 1) {
      await api.get(ROOMS, { UniqueName: big }, { auth: null });
      await api.post(ROOMS, { UniqueName: big, Junk: big }, { auth: null, offSpec: true });
    }
    expect(cloud.requests).toHaveLength(50);
    for (const entry of cloud.requests) expect(entry).toEqual({ method: expect.stringMatching(/^(GET|POST)$/), path: ROOMS, params: {}, status: 401 });

    const docs = `/sync/v1/Services/${cloud.credentials.syncServiceSid}/Documents`;
    await api.post(docs, { Data: JSON.stringify({ s: big }) });
    const logged = cloud.requests.at(-1)!;
    expect(logged.status).toBe(201);
    expect(JSON.stringify(logged.params).length).toBeLessThanOrEqual(1100);
    expect(logged.params.Data!.startsWith('{"s":"xxx')).toBe(true);
  }, 120_000);
});
