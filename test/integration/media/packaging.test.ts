import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import type { Envelope } from '../../../src/shared/contract';
import type { MediaIngest } from '../../../src/shared/media';
import { activeResources, APP_ORIGIN, studioCore } from '../support/studio-fixture';
import { alive, FFMPEG, makeFeed, mediaClient, mp4Chunks, pieces, startMediaCloud, stuckFfmpeg, useClosedAfterEach, waitFor } from './support';

let mp4: Buffer;
let webm: Buffer;
const closeAfterEach = useClosedAfterEach();

beforeAll(() => {
  expect(FFMPEG, 'ffmpeg must be installed for the media tests').not.toBeNull();
  mp4 = makeFeed('mp4', 3);
  webm = makeFeed('webm', 2);
}, 60_000);


async function setup(media: Parameters<typeof startMediaCloud>[0] = {}) {
  const { cloud, hlsRoot } = await startMediaCloud(media);
  const core = studioCore(cloud);
  closeAfterEach(cloud, core);
  const { call, events } = mediaClient(core);
  const attempt = (channel: string, payload?: unknown) => core.dispatch(channel, payload, { url: APP_ORIGIN });
  return { cloud, core, hlsRoot, events, call, attempt };
}

/** The playlist URL the preview player gets, read from the token's PlaybackGrant. */
async function playbackUrl(call: <T>(channel: string) => Promise<T>): Promise<string> {
  const { token } = await call<{ token: string }>('tokens.playback');
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { grants: { player: { playbackUrl: string } } };
  return payload.grants.player.playbackUrl;
}

const streamer = (cloud: LocalCloud, sid: string) => cloud.state.streamers.find(sid);

describe('ingest and HLS packaging in the local cloud', () => {
  it('packages an MP4/H.264 feed into a live LHLS playlist, then ends it with ENDLIST and cleans up', async () => {
    const { cloud, core, hlsRoot, events, call } = await setup();
    const live = await call<{ playerStreamerSid: string; mediaProcessorSid: string }>('broadcast.start');
    expect(streamer(cloud, live.playerStreamerSid).status).toBe('created');

    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1.42E01F,opus' });
    expect(ingest.transcoding).toBe(false);
    const pids = cloud.media.pids();
    expect(pids).toHaveLength(1);

    const chunks = mp4Chunks(mp4);
    expect(chunks.length).toBeGreaterThan(4);
    // The first half of the feed: ffmpeg cuts segments at the keyframes (every 0.5 s).
    const half = Math.ceil(chunks.length / 2);
    for (let seq = 0; seq < half; seq++) {
      const ack = await call<{ seq: number; queuedBytes: number }>('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
      expect(ack.seq).toBe(seq);
    }
    await waitFor(() => streamer(cloud, live.playerStreamerSid).status === 'started', 'PlayerStreamer started on the first segment');
    expect(events.some((e) => e.state === 'live' && e.segments > 0)).toBe(true);

    const url = await playbackUrl(call);
    expect(url).toMatch(new RegExp(`^${cloud.origin}/media/hls/${live.playerStreamerSid}/[0-9a-f]+/index\\.m3u8$`));
    const response = await fetch(url, { headers: { origin: APP_ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const playlist = await response.text();
    // Media sequence 0 is written too: the Twilio player's IVS engine does not assume the HLS default.
    expect(playlist).toMatch(/^#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF/);
    expect(playlist).toMatch(/#EXTINF:0\.\d+,\ns00000\.ts/);
    // LHLS: the segment still being written is announced and streamed as it grows.
    const prefetch = /#EXT-X-PREFETCH:(s\d+\.ts)/.exec(playlist)?.[1];
    expect(prefetch).toBeDefined();
    expect(playlist).not.toContain('#EXT-X-ENDLIST');

    const other = await fetch(url, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const segment = await fetch(url.replace('index.m3u8', 's00000.ts'), { headers: { origin: APP_ORIGIN } });
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    const bytes = new Uint8Array(await segment.arrayBuffer());
    expect(bytes.byteLength % 188).toBe(0);
    expect(bytes[0]).toBe(0x47);
    expect(bytes[188]).toBe(0x47);

    // The growing segment: its request stays open and completes once ffmpeg moves on.
    const growing = fetch(url.replace('index.m3u8', prefetch!)).then(async (r) => ({ status: r.status, bytes: (await r.arrayBuffer()).byteLength }));
    for (let seq = half; seq < chunks.length; seq++) {
      await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    }
    const grown = await growing;
    expect(grown.status).toBe(200);
    expect(grown.bytes).toBeGreaterThan(188);
    expect(grown.bytes % 188).toBe(0);

    await call('broadcast.stop');
    await waitFor(() => alive(pids).length === 0, 'ffmpeg to exit');
    const ended = await waitFor(async () => {
      const text = await (await fetch(url)).text();
      return text.includes('#EXT-X-ENDLIST') ? text : null;
    }, 'ENDLIST');
    expect(ended!).not.toContain('#EXT-X-PREFETCH');
    // The ended playlist keeps the live window (6 segments) and adds ENDLIST (3 s of media, 0.5 s segments).
    expect(ended!.match(/#EXTINF/g)!.length).toBeGreaterThanOrEqual(5);
    expect(streamer(cloud, live.playerStreamerSid).status).toBe('ended');
    expect(await activeResources(cloud)).toEqual([]);
    expect(cloud.media.status().state).toBe('ended');

    // After the retention time the files are gone and the URL answers 404.
    await waitFor(() => !existsSync(hlsRoot) || readdirSync(hlsRoot).length === 0, 'temp files removed');
    expect((await fetch(url)).status).toBe(404);
    void core;
  }, 60_000);

  it('re-encodes a WebM/VP8 feed (and says so), with one new playlist path per broadcast', async () => {
    const { cloud, call } = await setup();
    await call('broadcast.start');
    const firstUrl = await playbackUrl(call);
    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/webm;codecs=vp8,opus' });
    expect(ingest.transcoding).toBe(true);
    const chunks = pieces(webm, 32 * 1024);
    for (let seq = 0; seq < chunks.length; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    await call('media.close', { ingestId: ingest.ingestId });
    const playlist = await waitFor(async () => {
      const text = await (await fetch(firstUrl)).text();
      return text.includes('s00001.ts') ? text : null;
    }, 'segments from the WebM feed');
    expect(playlist).toContain('#EXTINF');
    expect(cloud.media.status().transcoding).toBe(true);
    await call('broadcast.stop');

    await call('broadcast.start');
    const secondUrl = await playbackUrl(call);
    expect(new URL(secondUrl).pathname).not.toBe(new URL(firstUrl).pathname);
    await call('broadcast.stop');
  }, 60_000);

  it('refuses chunks out of order, and chunks when nothing is live', async () => {
    const { attempt, call } = await setup();
    const closed = await attempt('media.open', { mimeType: 'video/mp4;codecs=avc1,opus' });
    expect(closed).toMatchObject({ ok: false, error: { code: 'media.not_live' } });
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1,opus' });
    const gap = await attempt('media.chunk', { ingestId: ingest.ingestId, seq: 1, data: new Uint8Array([1, 2, 3]) });
    expect(gap).toMatchObject({ ok: false, error: { code: 'media.ingest_failed' } });
    const notBytes = await attempt('media.chunk', { ingestId: ingest.ingestId, seq: 0, data: [1, 2, 3] });
    expect(notBytes).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
    await call('broadcast.stop');
    const after = await attempt('media.chunk', { ingestId: ingest.ingestId, seq: 0, data: new Uint8Array([1]) });
    expect(after).toMatchObject({ ok: false, error: { code: 'media.not_live' } });
  }, 30_000);

  it('bounds the ingest queue: when ffmpeg does not keep up, chunks are refused with media.backpressure', async () => {
    const stuck = stuckFfmpeg();
    const { cloud, attempt, call } = await setup({ findFfmpeg: () => stuck, maxQueueBytes: 256 * 1024, stopTimeoutMs: 500 });
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1,opus' });
    expect(ingest.maxQueueBytes).toBe(256 * 1024);
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let seq = 0;
    let refused: Envelope<unknown> | null = null;
    for (let i = 0; i < 100 && !refused; i++) {
      const result = await attempt('media.chunk', { ingestId: ingest.ingestId, seq, data: chunk });
      if (result.ok) seq += 1;
      else refused = result;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'media.backpressure' } });
    // What main holds stays within the bound (plus what the OS pipe took).
    expect(cloud.media.status().queuedBytes).toBeLessThanOrEqual(256 * 1024);
    expect(seq).toBeLessThan(20);
    // The refused chunk can be sent again with the same sequence number later.
    const again = await attempt('media.chunk', { ingestId: ingest.ingestId, seq, data: chunk });
    expect(again).toMatchObject({ ok: false, error: { code: 'media.backpressure' } });
    await call('broadcast.stop');
    await waitFor(() => cloud.media.pids().length === 0, 'the stuck ffmpeg to be ended');
  }, 30_000);

  it('fails Go live before creating anything when ffmpeg cannot be found, saying how to get it', async () => {
    const { cloud, attempt } = await setup({ findFfmpeg: () => null });
    const result = await attempt('broadcast.start');
    expect(result).toMatchObject({ ok: false, error: { code: 'media.ffmpeg_missing' } });
    expect(!result.ok && result.error.message).toContain('FFMPEG_PATH');
    expect(await activeResources(cloud)).toEqual([]);
    expect(cloud.state.streamers.list(undefined, 'asc')).toEqual([]);
  });
});
