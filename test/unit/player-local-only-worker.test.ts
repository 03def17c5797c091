import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/** Runs the guard script as a worker would: a `self` with fetch, location and importScripts. */
function loadGuard(origin: string) {
  const sent: string[] = [];
  const imported: string[] = [];
  const posted: unknown[] = [];
  const lifecycle = { closed: 0 };
  const scope: Record<string, unknown> = {
    postMessage: (message: unknown) => posted.push(message),
    close: () => {
      lifecycle.closed += 1;
    },
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
  const postMessage = scope.postMessage as (message: unknown, transfer?: Transferable[]) => void;
  return { fetch, sent, imported, heldBack: scope.onairHeldBack as Record<string, number>, postMessage, posted, lifecycle };
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

  it('closes the worker once it has told the page its player is destroyed, and not before', () => {
    const guard = loadGuard('http://127.0.0.1:5180');
    // The 1.7 worker's messages to the page: { id, type, arg }; 12 = PROPERTY_CHANGED, 13 = DESTROY.
    guard.postMessage({ id: 1, type: 12, arg: { name: 'position' } });
    guard.postMessage({ id: 1, type: 'PlayerStateChanged', arg: 'Ended' });
    expect(guard.lifecycle.closed).toBe(0);
    guard.postMessage({ id: 1, type: 13 });
    expect(guard.posted).toEqual([{ id: 1, type: 12, arg: { name: 'position' } }, { id: 1, type: 'PlayerStateChanged', arg: 'Ended' }, { id: 1, type: 13 }]);
    expect(guard.lifecycle.closed).toBe(1);
  });
});
