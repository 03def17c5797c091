import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ViewerSource } from '../../../src/main/core/guests/viewer-routes';
import { DEFAULT_MAX_VIEWERS, MAX_VIEWERS_LIMIT } from '../../../src/shared/guests';
import { scratchDir } from '../../support/scratch';
import { type GuestServiceUnderTest, guestService, httpsGet } from './support';

/**
 * "Share the player on my network" has a limit (on 127.0.0.1): at most *Viewers at most* viewers
 * get a token at once, counted by the viewer page's id while it keeps asking; one more is told
 * the stream is full; one address cannot flood the token endpoint; the HLS goes only to an
 * address with a viewer watching. The source is a stand-in (the broadcast is not what is tested here).
 */
const SID = `VJ${'c'.repeat(32)}`;
const HLS = `/watch/hls/${SID}/s1/index.m3u8`;

function fakeSource(): ViewerSource & { minted: number } {
  const source = {
    minted: 0,
    playerRoot: scratchDir('viewer-player'),
    token: async () => {
      source.minted += 1;
      return { token: 'the.shared.token', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    },
    hls: async (path: string) =>
      path === `${SID}/s1/index.m3u8` ? { status: 200, contentType: 'application/vnd.apple.mpegurl', cacheControl: 'no-cache', body: Readable.from(['#EXTM3U\n']) } : null,
  };
  return source;
}

const running: GuestServiceUnderTest[] = [];
afterEach(async () => {
  for (const { service } of running.splice(0)) await service.close();
});

async function sharingPlayer(maxViewers: number, viewerLimits: NonNullable<Parameters<typeof guestService>[0]>['viewerLimits'] = {}) {
  const under = guestService({ viewers: fakeSource(), viewerLimits: { perAddress: 10_000, ...viewerLimits } });
  running.push(under);
  const snapshot = await under.service.configure({ sharePlayer: true, maxViewers, listenAddress: '127.0.0.1', port: 0 });
  expect(snapshot.server.state).toBe('on');
  const origin = snapshot.server.url!.replace(/\/$/, '');
  const token = (viewer: string) => httpsGet(`${origin}/watch/token?viewer=${viewer}`);
  return { ...under, origin, token };
}

const id = (name: string) => `${name}-${'0'.repeat(16)}`;

describe('the viewer limit', () => {
  it('gives tokens to N viewers, tells the next one the stream is full, and never turns away one already watching', async () => {
    const { token, service } = await sharingPlayer(3);
    for (const name of ['a', 'b', 'c']) {
      const answer = await token(id(name));
      expect(answer.status, name).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ token: 'the.shared.token' });
    }
    expect(service.viewersWatching()).toBe(3);

    const refused = await token(id('d'));
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ error: 'full' });
    expect(refused.headers['retry-after']).toBe('10');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.body).not.toContain('the.shared.token');

    // Those watching refresh their token while the room is full: still theirs.
    for (const name of ['a', 'b', 'c']) expect((await token(id(name))).status, name).toBe(200);
    expect((await token(id('d'))).status).toBe(503);
    expect(service.viewersWatching()).toBe(3);

    // A higher limit lets the next one in at once (the setting is read on each request).
    await service.configure({ maxViewers: 4 });
    expect((await token(id('d'))).status).toBe(200);
  });

  it('frees the place of a viewer that stopped asking once its window has passed, while the one still asking keeps watching', async () => {
    const { token, service } = await sharingPlayer(2, { activeMs: 1_500 });
    expect((await token(id('keeps'))).status).toBe(200);
    expect((await token(id('leaves'))).status).toBe(200);
    expect((await token(id('new'))).status).toBe(503);
    // "keeps" goes on asking, "leaves" does not; "new" gets in once the window of "leaves" has passed.
    await vi.waitFor(
      async () => {
        expect((await token(id('keeps'))).status).toBe(200);
        expect((await token(id('new'))).status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect((await token(id('keeps'))).status).toBe(200);
    expect((await token(id('leaves'))).status).toBe(503);
    expect(service.viewersWatching()).toBe(2);
  });

  it('refuses a token request without a proper viewer id', async () => {
    const { origin, service } = await sharingPlayer(2);
    for (const query of ['', '?viewer=', '?viewer=short', `?viewer=${'x'.repeat(65)}`, `?viewer=${'a'.repeat(15)}%2F`]) {
      const answer = await httpsGet(`${origin}/watch/token${query}`);
      expect(answer.status, query).toBe(400);
      expect(JSON.parse(answer.body), query).toEqual({ error: 'bad_request' });
    }
    expect(service.viewersWatching()).toBe(0);
  });

  it('limits the token requests from one address (429) and lets it in again after the window', async () => {
    const { token, service } = await sharingPlayer(DEFAULT_MAX_VIEWERS, { perAddress: 5, rateWindowMs: 1_500 });
    for (let i = 0; i < 5; i++) expect((await token(id(`f${i}`))).status, String(i)).toBe(200);
    const flooded = await token(id('f5'));
    expect(flooded.status).toBe(429);
    expect(JSON.parse(flooded.body)).toEqual({ error: 'too_many_requests' });
    expect(flooded.headers['retry-after']).toBe('10');
    // Refused requests add no viewer.
    expect(service.viewersWatching()).toBe(5);
    await vi.waitFor(async () => expect((await token(id('f5'))).status).toBe(200), { timeout: 15_000, interval: 200 });
    expect(service.viewersWatching()).toBe(6);
  });

  it('relays the HLS only to an address with a viewer watching; fetching it keeps that viewer counted', async () => {
    const activeMs = 1_000;
    const { origin, token, service } = await sharingPlayer(1, { activeMs });
    expect((await httpsGet(`${origin}${HLS}`)).status).toBe(404);
    expect((await token(id('a'))).status).toBe(200);
    // Playing for twice the window without asking for a token: the player's own requests keep its place.
    const until = Date.now() + 2 * activeMs;
    while (Date.now() < until) {
      const playlist = await httpsGet(`${origin}${HLS}`);
      expect([playlist.status, playlist.body]).toEqual([200, '#EXTM3U\n']);
    }
    expect(service.viewersWatching()).toBe(1);
    expect((await token(id('b'))).status).toBe(503);
    // Once it stops fetching, its place frees and the stream stops for that address.
    await vi.waitFor(() => expect(service.viewersWatching()).toBe(0), { timeout: 15_000, interval: 100 });
    expect((await httpsGet(`${origin}${HLS}`)).status).toBe(404);
  });

  it('keeps the limit within its bounds (setting)', async () => {
    const under = guestService();
    running.push(under);
    expect(under.service.snapshot().config.maxViewers).toBe(DEFAULT_MAX_VIEWERS);
    for (const bad of [0, -1, MAX_VIEWERS_LIMIT + 1, 2.5]) {
      await expect(under.service.configure({ maxViewers: bad }), String(bad)).rejects.toThrow(/validation\.maxViewers|maxViewers|Invalid/);
    }
    expect(under.service.snapshot().config.maxViewers).toBe(DEFAULT_MAX_VIEWERS);
    expect((await under.service.configure({ maxViewers: 1 })).config.maxViewers).toBe(1);
    expect((await under.service.configure({ maxViewers: MAX_VIEWERS_LIMIT })).config.maxViewers).toBe(MAX_VIEWERS_LIMIT);
    expect(under.service.snapshot().config.maxViewers).toBe(MAX_VIEWERS_LIMIT);
  });
});
