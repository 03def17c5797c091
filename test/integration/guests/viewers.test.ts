import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../../../src/main/core/studio-core';
import { viewerSource } from '../../../src/main/core/viewer-source';
import { scratchDir } from '../../support/scratch';
import { APP_ORIGIN, startTestCloud } from '../support/studio-fixture';
import { connectGuest, httpsGet } from './support';

/**
 * "Share the player on my network" (Local mode), on 127.0.0.1: the viewer page, its playback token
 * (the live broadcast's grant, pointing the player at this server) and the live HLS — and nothing
 * else of the studio: not the guest page or its WebSocket (not shared here), not the IPC bridge,
 * the settings, the local cloud's API, admin or its own HLS path.
 */
function builtRenderer() {
  const renderer = scratchDir('viewer-renderer');
  const guest = join(renderer, 'guest');
  mkdirSync(join(guest, 'watch'), { recursive: true });
  mkdirSync(join(guest, 'assets'));
  mkdirSync(join(renderer, 'player'));
  writeFileSync(join(guest, 'index.html'), '<!doctype html><title>guest page</title>');
  writeFileSync(join(guest, 'watch', 'index.html'), '<!doctype html><title>viewer page</title>');
  writeFileSync(join(guest, 'assets', 'watch.js'), 'console.log("viewer")');
  writeFileSync(join(renderer, 'player', 'twilio-live-player.min.js'), '/* the SDK */');
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>the studio</title>');
  return { guest };
}

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud.close();
});
const open: StudioCore[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) {
    await core.broadcast.stop().catch(() => undefined);
    await core.close();
  }
});

function studio() {
  const core = createStudioCore({
    store: new MemoryStore(),
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir: scratchDir('viewer-data'),
    appOrigin: APP_ORIGIN,
    isTrustedSender: (sender) => sender.url === APP_ORIGIN,
    localCloud: async () => cloud,
    now: () => cloud.clock.now(),
    guestRoot: builtRenderer().guest,
  });
  open.push(core);
  return core;
}

/** The viewer page's own id, as it sends it with each token request. */
const viewer = (name: string) => `viewer=${name}-${'0'.repeat(16)}`;
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

describe('viewers on the network', () => {
  it('is off by default; on, it serves the viewer page, the player and a token for the live broadcast that points back at itself', async () => {
    const core = studio();
    expect(core.guests.snapshot().config.sharePlayer).toBe(false);
    expect(core.guests.snapshot().server.state).toBe('off');
    const snapshot = await core.guests.configure({ sharePlayer: true, listenAddress: '127.0.0.1', port: 0 });
    expect(snapshot.server.state).toBe('on');
    const origin = new URL(snapshot.server.url!).origin;
    expect(new URL(origin).hostname).toBe('127.0.0.1');

    const page = await httpsGet(`${origin}/watch/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('viewer page');
    expect(page.headers['content-security-policy']).toMatch(/connect-src 'self';/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.fingerprint).toBe(snapshot.server.fingerprint);
    expect((await httpsGet(`${origin}/assets/watch.js`)).status).toBe(200);
    expect((await httpsGet(`${origin}/watch/player/twilio-live-player.min.js`)).body).toBe('/* the SDK */');

    // Nothing live yet: the page waits.
    const idle = await httpsGet(`${origin}/watch/token?${viewer('a')}`);
    expect([idle.status, JSON.parse(idle.body)]).toEqual([404, { error: 'not_live' }]);

    const live = await core.broadcast.start();
    expect(live.state).toBe('live');
    const answer = await httpsGet(`${origin}/watch/token?${viewer('a')}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { token } = JSON.parse(answer.body) as { token: string };
    const grant = claims(token).grants.player as { playbackUrl: string; playerStreamerSid: string };
    expect(grant.playerStreamerSid).toBe(live.playerStreamerSid);
    // The player fetches the stream from this server, never from the loopback-only local cloud.
    expect(grant.playbackUrl).toMatch(new RegExp(`^${origin.replace(/[.[\]]/g, '\\$&')}/watch/hls/${live.playerStreamerSid}/[\\w-]+/index\\.m3u8$`));
    expect(answer.body).not.toContain(cloud.origin);
    expect(answer.body).not.toContain(cloud.credentials.apiSecret);
    // The studio's own preview keeps its access to the local cloud's HLS (the grant's origin is still the studio's).
    const preview = await fetch(`${cloud.origin}/media/hls/${live.playerStreamerSid}/none/index.m3u8`, { headers: { origin: APP_ORIGIN } });
    expect(preview.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    await preview.body?.cancel();
    // A room full of viewers shares one token while it is fresh: no grant per viewer.
    const requestsBefore = cloud.requests.length;
    const second = JSON.parse((await httpsGet(`${origin}/watch/token?${viewer('b')}`)).body) as { token: string };
    expect(second.token).toBe(token);
    expect(cloud.requests.length).toBe(requestsBefore);

    // Off again: nothing listens.
    const off = await core.guests.configure({ sharePlayer: false });
    expect(off.server.state).toBe('off');
    await expect(httpsGet(`${origin}/watch/`)).rejects.toThrow();
  });

  it('answers nothing else of the studio on that address', async () => {
    const core = studio();
    const snapshot = await core.guests.configure({ sharePlayer: true, listenAddress: '127.0.0.1', port: 0 });
    const origin = new URL(snapshot.server.url!).origin;
    const live = await core.broadcast.start();
    const sid = live.playerStreamerSid!;
    const paths = [
      // the guest page and its signalling are not shared here
      '/',
      '/index.html',
      // the IPC bridge, the studio page, the settings
      '/web-bridge.js',
      '/__bridge',
      '/settings',
      '/renderer/index.html',
      // the local cloud's API, its admin and its own HLS path
      '/video/v1/Rooms',
      '/media/v1/PlayerStreamers',
      `/media/v1/PlayerStreamers/${sid}/PlaybackGrant`,
      '/__control/faults',
      '/__control/clock',
      `/media/hls/${sid}/x/index.m3u8`,
      // the relay takes only the live stream's files, by their exact shape
      `/watch/hls/VJ${'0'.repeat(32)}/x/index.m3u8`,
      `/watch/hls/${sid}/../../media/v1/PlayerStreamers`,
      `/watch/hls/${sid}/x/..%2f..%2fvideo%2fv1%2fRooms`,
      '/watch/hls/..%2f..%2f__control%2ffaults',
      '/watch/player/..%2f..%2findex.html',
      '/watch/../index.html',
      '/watch/nothing',
    ];
    for (const path of paths) {
      const answer = await httpsGet(`${origin}${path}`);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toMatch(/the studio|guest page|"sid"|"rooms"/);
    }
    expect((await httpsGet(`${origin}/watch/token?${viewer('a')}`, 'POST')).status).toBe(405);
    for (const path of ['/signal', '/__bridge', '/watch/']) expect(await connectGuest(origin, { path }).opened, path).toBe(false);
  });

  it('stops at Viewers at most: one more viewer of the live broadcast is told the stream is full, at no cost to the local cloud', async () => {
    const core = studio();
    const snapshot = await core.guests.configure({ sharePlayer: true, maxViewers: 1, listenAddress: '127.0.0.1', port: 0 });
    const origin = new URL(snapshot.server.url!).origin;
    await core.broadcast.start();
    expect((await httpsGet(`${origin}/watch/token?${viewer('a')}`)).status).toBe(200);
    const requestsBefore = cloud.requests.length;
    const full = await httpsGet(`${origin}/watch/token?${viewer('b')}`);
    expect([full.status, JSON.parse(full.body)]).toEqual([503, { error: 'full' }]);
    expect(cloud.requests.length).toBe(requestsBefore);
    // The one watching keeps its token.
    expect((await httpsGet(`${origin}/watch/token?${viewer('a')}`)).status).toBe(200);
    expect(core.guests.viewersWatching()).toBe(1);
  });

  it('gives no token in Twilio mode (no local stream to share)', async () => {
    const core = studio();
    const snapshot = await core.guests.configure({ sharePlayer: true, listenAddress: '127.0.0.1', port: 0 });
    const origin = new URL(snapshot.server.url!).origin;
    await core.broadcast.start();
    expect((await httpsGet(`${origin}/watch/token?${viewer('a')}`)).status).toBe(200);
    await core.settings.update({ mode: 'twilio' });
    expect(core.settings.read().mode).toBe('twilio');
    expect((await httpsGet(`${origin}/watch/token?${viewer('a')}`)).status).toBe(404);
    await core.settings.update({ mode: 'local' });
  });
});

describe('the HLS relay', () => {
  it('streams the live stream’s files from the local cloud on loopback, for the live PlayerStreamer only', async () => {
    const sid = `VJ${'a'.repeat(32)}`;
    const asked: string[] = [];
    const fakeCloud = createServer((request, response) => {
      asked.push(request.url ?? '');
      if (request.url === `/media/hls/${sid}/s1/index.m3u8`) {
        response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'no-cache, no-store' });
        // Sent in two parts, like a growing segment: the relay passes each on as it comes.
        response.write('#EXTM3U\n');
        setImmediate(() => response.end('#EXT-X-TARGETDURATION:1\n'));
        return;
      }
      response.writeHead(404).end('No such stream');
    });
    await new Promise<void>((resolve) => fakeCloud.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(fakeCloud.address() as AddressInfo).port}`;
      let state: 'idle' | 'live' = 'live';
      const source = viewerSource({
        playerRoot: scratchDir('player'),
        settings: { read: () => ({ mode: 'local' }) as never },
        broadcast: { status: () => ({ state, playerStreamerSid: sid }) } as never,
        localCloud: async () => ({ origin }) as LocalCloud,
      });
      const file = await source.hls(`${sid}/s1/index.m3u8`);
      expect(file).toMatchObject({ status: 200, contentType: 'application/vnd.apple.mpegurl', cacheControl: 'no-cache, no-store' });
      const chunks: string[] = [];
      for await (const chunk of file!.body as Readable) chunks.push(String(chunk));
      expect(chunks.join('')).toBe('#EXTM3U\n#EXT-X-TARGETDURATION:1\n');
      expect(await source.hls(`${sid}/s1/missing.ts`)).toBeNull();
      expect(await source.hls(`VJ${'b'.repeat(32)}/s1/index.m3u8`)).toBeNull();
      state = 'idle';
      expect(await source.hls(`${sid}/s1/index.m3u8`)).toBeNull();
      // Only the two files of the live stream were asked for; the others never left the studio.
      expect(asked).toEqual([`/media/hls/${sid}/s1/index.m3u8`, `/media/hls/${sid}/s1/missing.ts`]);
    } finally {
      await new Promise<void>((resolve) => fakeCloud.close(() => resolve()));
    }
  });
});
