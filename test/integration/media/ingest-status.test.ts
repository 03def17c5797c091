import { beforeAll, describe, expect, it } from 'vitest';
import type { MediaIngest, MediaStatus } from '../../../src/shared/media';
import { studioCore } from '../support/studio-fixture';
import { FFMPEG, makeFeed, mediaClient, mp4Chunks, startMediaCloud, useClosedAfterEach, waitFor } from './support';

let mp4: Buffer;
const closeAfterEach = useClosedAfterEach();
const MP4 = 'video/mp4;codecs=avc1.42E01F,opus';

beforeAll(() => {
  expect(FFMPEG, 'ffmpeg must be installed for the media tests').not.toBeNull();
  mp4 = makeFeed('mp4', 3);
}, 60_000);


async function setup() {
  const log: string[] = [];
  const { cloud } = await startMediaCloud({ log: (line) => log.push(line) });
  const core = studioCore(cloud);
  closeAfterEach(cloud, core);
  const { call, events } = mediaClient(core);
  const status = () => call<MediaStatus>('media.status');
  /** Polls media.status until `ok` holds for it. */
  const statusWhen = async (ok: (status: MediaStatus) => boolean, what: string): Promise<MediaStatus> =>
    (await waitFor(async () => {
      const current = await status();
      return ok(current) ? current : null;
    }, what))!;
  return { cloud, events, call, status, statusWhen, log };
}

/** Bytes that are no media container ffmpeg knows; more than its probe size, so it gives up at once. */
function garbage(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 131 + (i >> 9) * 17) & 0xff;
  return out;
}

/** Splits a moof+mdat chunk in two inside its mdat: the end of the feed is cut in the middle of a fragment. */
function cutInside(chunk: Buffer): Buffer {
  return chunk.subarray(0, Math.floor(chunk.length / 2));
}

describe('media status belongs to the current ingest', () => {
  it('a failed ingest is followed by a working one: the status is the new ingest’s, without the old error', async () => {
    const { call, status, statusWhen, events } = await setup();
    await call('broadcast.start');

    const first = await call<MediaIngest>('media.open', { mimeType: MP4 });
    const junk = garbage(6 * 1024 * 1024);
    const size = 256 * 1024;
    for (let seq = 0; seq * size < junk.length; seq++) {
      await call('media.chunk', { ingestId: first.ingestId, seq, data: new Uint8Array(junk.subarray(seq * size, (seq + 1) * size)) });
    }
    const failed = await statusWhen((current) => current.state === 'failed', 'the garbage ingest to fail');
    expect(failed.ingestId).toBe(first.ingestId);
    expect(failed.error).toMatch(/Invalid data/);
    const oldError = failed.error!;

    const second = await call<MediaIngest>('media.open', { mimeType: MP4 });
    expect(second.ingestId).not.toBe(first.ingestId);
    const opened = await status();
    expect(opened).toMatchObject({ ingestId: second.ingestId, state: 'waiting', error: null });

    const chunks = mp4Chunks(mp4);
    for (let seq = 0; seq < chunks.length; seq++) {
      await call('media.chunk', { ingestId: second.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    }
    const live = await statusWhen((current) => current.segments >= 2, 'segments from the second ingest');
    expect(live).toMatchObject({ state: 'live', ingestId: second.ingestId, error: null });
    // Every event after the second ingest opened speaks of it, never of the old failure.
    const since = events.findIndex((e) => e.ingestId === second.ingestId);
    expect(since).toBeGreaterThanOrEqual(0);
    for (const event of events.slice(since)) {
      expect(event.state).not.toBe('failed');
      expect(event.error).toBeNull();
    }
    expect(JSON.stringify(events.slice(since))).not.toContain(oldError);

    await call('broadcast.stop');
    const ended = await statusWhen((current) => current.state !== 'live', 'the playlist to end');
    expect(ended).toMatchObject({ state: 'ended', error: null });
  }, 60_000);

  it('closing an ingest that never made a segment because its input was not media still reports the failure', async () => {
    const { call } = await setup();
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    // Less than ffmpeg's probe size: it waits for more input until stdin is closed.
    await call('media.chunk', { ingestId: ingest.ingestId, seq: 0, data: new Uint8Array(garbage(64 * 1024)) });
    const closed = await call<MediaStatus>('media.close', { ingestId: ingest.ingestId });
    expect(closed).toMatchObject({ state: 'failed', ingestId: ingest.ingestId, segments: 0 });
    expect(closed.error).toMatch(/Invalid data|Invalid argument/);
    await call('broadcast.stop');
  }, 60_000);

  it('closing a working ingest in the middle of a fragment ends it cleanly, even though ffmpeg exits 1', async () => {
    const { call, status, events, log } = await setup();
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    const chunks = mp4Chunks(mp4);
    const last = 3;
    for (let seq = 0; seq < last; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    await call('media.chunk', { ingestId: ingest.ingestId, seq: last, data: new Uint8Array(cutInside(chunks[last]!)) });
    await waitFor(async () => (await status()).segments >= 1, 'a first segment');

    const closed = await call<MediaStatus>('media.close', { ingestId: ingest.ingestId });
    // ffmpeg really did exit non-zero on the cut fragment: the clean end is the studio's decision, not ffmpeg's.
    expect(log.some((line) => /exited \(1\)/.test(line))).toBe(true);
    expect(closed).toMatchObject({ state: 'ended', ingestId: ingest.ingestId, error: null });
    expect(closed.segments).toBeGreaterThanOrEqual(2);
    expect(await status()).toMatchObject({ state: 'ended', error: null });
    expect(events.some((e) => e.state === 'failed' || e.error !== null)).toBe(false);

    // The broadcast goes on: a new ingest continues the playlist.
    const next = await call<MediaIngest>('media.open', { mimeType: MP4 });
    expect(await status()).toMatchObject({ state: 'waiting', ingestId: next.ingestId, error: null });
    await call('broadcast.stop');
  }, 60_000);

  it('stopping the broadcast while a fragment is half sent ends the ingest cleanly', async () => {
    const { call, status, statusWhen, events, log } = await setup();
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    const chunks = mp4Chunks(mp4);
    for (let seq = 0; seq < 3; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    await call('media.chunk', { ingestId: ingest.ingestId, seq: 3, data: new Uint8Array(cutInside(chunks[3]!)) });
    await waitFor(async () => (await status()).segments >= 1, 'a first segment');

    await call('broadcast.stop');
    const ended = await statusWhen((current) => current.state !== 'live', 'the playlist to end');
    expect(log.some((line) => /exited \(1\)/.test(line))).toBe(true);
    expect(ended).toMatchObject({ state: 'ended', error: null });
    expect(events.some((e) => e.state === 'failed' || e.error !== null)).toBe(false);
  }, 60_000);
});
