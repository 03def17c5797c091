import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/** Runs the guard script as a worker would: a `self` with fetch, location and importScripts. */
function loadGuard(origin: string) {
  const sent: string[] = [];
  const imported: string[] = [];
  const scope: Record<string, unknown> = {
    location: new URL('/player/twilio-live-player-wasmworker-1-7-0.min.js', origin),
    fetch: (input: unknown) => {
      sent.push(typeof input === 'string' ? input : String((input as { url?: string; href?: string }).url ?? (input as URL).href));
      return Promise.resolve(new Response('sent'));
    },
  };
  runInNewContext(readFileSync(resolve('src/renderer/player/local-only-worker.js'), 'utf8'), {
    self: scope,
    URL,
    Response,
    importScripts: (...names: string[]) => imported.push(...names),
  });
  const fetch = scope.fetch as (input: unknown, init?: unknown) => Promise<Response>;
  return { fetch, sent, imported, heldBack: scope.onairHeldBack as Record<string, number> };
}

describe('the preview player worker guard (src/renderer/player/local-only-worker.js)', () => {
  it('loads the SDK worker after replacing fetch', () => {
    expect(loadGuard('http://127.0.0.1:5180').imported).toEqual(['ivs-wasmworker-1-7-0.min.js']);
  });

  it('sends to the app itself and to loopback (the local cloud), in any form of request', async () => {
    const guard = loadGuard('app://studio');
    await guard.fetch('http://127.0.0.1:4010/media/hls/VJ1/abc/index.m3u8');
    await guard.fetch(new URL('http://localhost:4010/media/hls/VJ1/abc/s00001.ts'));
    await guard.fetch({ url: 'http://[::1]:4010/x' });
    await guard.fetch('/player/twilio-live-player-wasmworker-1-7-0.min.wasm');
    expect(guard.sent).toEqual([
      'http://127.0.0.1:4010/media/hls/VJ1/abc/index.m3u8',
      'http://localhost:4010/media/hls/VJ1/abc/s00001.ts',
      'http://[::1]:4010/x',
      '/player/twilio-live-player-wasmworker-1-7-0.min.wasm',
    ]);
    expect(guard.heldBack).toEqual({});
  });

  it('does not send the engine’s PoP and analytics requests, and answers them with an empty 204', async () => {
    const guard = loadGuard('http://127.0.0.1:5180');
    const pop = await guard.fetch('https://global.poe.live-video.net/', { method: 'GET', mode: 'no-cors' });
    const stats = await guard.fetch('https://player.stats.live-video.net/', { method: 'POST', body: 'data=e30=' });
    await guard.fetch('http://127.0.0.2.example.com/');
    expect(guard.sent).toEqual([]);
    expect([pop.status, stats.status]).toEqual([204, 204]);
    await expect(pop.text()).resolves.toBe('');
    expect(guard.heldBack).toEqual({ 'global.poe.live-video.net': 1, 'player.stats.live-video.net': 1, '127.0.0.2.example.com': 1 });
  });
});
