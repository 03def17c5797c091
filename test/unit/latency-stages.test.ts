import { afterEach, describe, expect, it } from 'vitest';
import { FeedFanout } from '../../src/main/core/media/feed/feed-fanout';
import type { FeedPiece as MainPiece } from '../../src/main/core/media/feed/feed-piece';
import { FeedLatency } from '../../src/main/core/media/feed/feed-latency';
import { ProgramFeed } from '../../src/main/core/media/feed/program-feed';
import { StudioError } from '../../src/shared/errors';
import { EncoderLatency } from '../../src/renderer/program/encoder/encoder-latency';
import type { FeedPiece } from '../../src/renderer/program/encoder/fragments';
import { FeedSender } from '../../src/renderer/program/feed-sender';
import { LatencyWindow, latencyNow } from '../../src/shared/latency';
import { muxStandInProgram } from '../support/stand-in-program';

/** The program muxer's pieces for `frames` frames at 30 fps (keyframe every 30); each frame marked encoded at `encodedAt(i)`. */
const muxed = async (frames: number, encodedAt: (i: number) => number | undefined, onMuxed?: (ms: number) => void): Promise<FeedPiece[]> =>
  (await muxStandInProgram({ frames, gop: 30, encodedAt, muxer: { onMuxed } })).pieces;

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('latency stages', () => {
  it('a window keeps the last N durations and reads median and p90 (none: zeros)', () => {
    const window = new LatencyWindow(10);
    expect(window.summary()).toEqual({ medianMs: 0, p90Ms: 0, count: 0 });
    for (let ms = 1; ms <= 100; ms++) window.add(ms);
    window.add(Number.NaN);
    // Only 91..100 are left.
    expect(window.summary()).toEqual({ medianMs: 96, p90Ms: 100, count: 10 });
    window.add(-3);
    expect(window.summary().count).toBe(10);
    window.clear();
    expect(window.summary().count).toBe(0);
  });

  it('the worker matches each encoded frame to its arrival by timestamp, and forgets frames never put out', () => {
    const latency = new EncoderLatency();
    latency.frameIn(0, 1000);
    latency.frameIn(33_333, 1030);
    latency.encoded(33_333, 1042);
    latency.encoded(0, 1020);
    latency.encoded(66_666, 1100); // never went in: not counted
    expect(latency.summary().encode).toEqual({ medianMs: 20, p90Ms: 20, count: 2 });
    for (let i = 0; i < 500; i++) latency.frameIn(1_000_000 + i, 2000);
    latency.encoded(0, 3000);
    expect(latency.summary().encode.count).toBe(2);
  });

  it('every video fragment the muxer cuts says when and how many frames; each frame’s encoded → cut is reported once', async () => {
    const before = latencyNow();
    const muxedMs: number[] = [];
    const pieces = await muxed(60, (i) => (i === 5 ? undefined : before), (ms) => muxedMs.push(ms));
    const video = pieces.filter((piece) => piece.videoSamples);
    expect(video).toHaveLength(60);
    for (const piece of video) {
      expect(piece.videoSamples).toBe(1);
      expect(piece.madeAt).toBeGreaterThanOrEqual(before);
    }
    // Frame 5 had no mark: 59 durations, each from the same mark to its own fragment.
    expect(muxedMs).toHaveLength(59);
    expect(Math.min(...muxedMs)).toBeGreaterThanOrEqual(0);
    expect(pieces.filter((piece) => !piece.videoSamples).every((piece) => piece.madeAt === undefined)).toBe(true);
  });

  it('main’s framer counts the video samples of each fragment however the bytes are cut, and stamps the arrival', async () => {
    const pieces = await muxed(45, () => undefined);
    const stream = Buffer.concat(pieces.map((piece) => piece.data));
    for (const size of [stream.length, 777, 13]) {
      const fanout = new FeedFanout();
      const got: MainPiece[] = [];
      fanout.add({ write: (piece) => got.push(piece) });
      for (let at = 0; at < stream.length; at += size) fanout.write(stream.subarray(at, at + size), at);
      expect(got.reduce((sum, piece) => sum + (piece.videoSamples ?? 0), 0)).toBe(45);
      expect(got.filter((piece) => piece.videoSamples).every((piece) => piece.videoSamples === 1 && typeof piece.at === 'number')).toBe(true);
    }
  });

  it('the stage transit pairs the n-th video sample in with the n-th out, and times the hand-off to the outputs', () => {
    const latency = new FeedLatency();
    const transit = latency.transit();
    transit.written({ data: Buffer.alloc(1), boundary: true, videoSamples: 2, at: 100 }, 110);
    transit.written({ data: Buffer.alloc(1), boundary: false }, 111); // audio only: nothing
    transit.written({ data: Buffer.alloc(1), boundary: false, videoSamples: 1, at: 120 }, 125);
    transit.out([{ data: Buffer.alloc(1), boundary: false }], 150, 150);
    transit.out([{ data: Buffer.alloc(1), boundary: true, videoSamples: 1 }], 200, 201);
    transit.out([{ data: Buffer.alloc(1), boundary: false, videoSamples: 2 }], 300, 304);
    const summary = latency.summary();
    // In at 110, 110, 125; out at 200, 300, 300.
    expect(summary.stage).toEqual({ medianMs: 175, p90Ms: 190, count: 3 });
    expect(summary.toStage).toEqual({ medianMs: 10, p90Ms: 10, count: 2 });
    expect(summary.toOutputs).toEqual({ medianMs: 4, p90Ms: 4, count: 2 });
    expect(summary.toMain.count).toBe(0);
  });

  it('the program feed times each call from the page’s send mark to its arrival', () => {
    const feed = new ProgramFeed();
    feed.need('destinations');
    const session = feed.open('video/mp4', () => new StudioError('media.not_live', 'not live'));
    feed.chunk(session.ingestId, 0, new Uint8Array([0, 0, 0, 8, 0x66, 0x74, 0x79, 0x70]), latencyNow() - 50);
    feed.chunk(session.ingestId, 1, new Uint8Array([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]));
    const { toMain } = feed.latency.summary();
    expect(toMain.count).toBe(1);
    expect(toMain.medianMs).toBeGreaterThanOrEqual(50);
  });

  it('the page sends its send mark with each call and times each video fragment from its cut to the call', async () => {
    const calls: Array<{ seq: number; sentAt?: number }> = [];
    const media = {
      chunk: async (request: { seq: number; sentAt?: number }) => {
        calls.push({ seq: request.seq, sentAt: request.sentAt });
        return { ok: true, value: { seq: request.seq, queuedBytes: 0, maxQueueBytes: 8 << 20 } };
      },
      close: async () => ({ ok: true, value: {} }),
    };
    (globalThis as { window?: unknown }).window = { onair: { media } };
    const sender = new FeedSender(() => {});
    const madeAt = latencyNow() - 40;
    sender.push(new Uint8Array(10), { madeAt });
    sender.push(new Uint8Array(10)); // audio only: no mark
    sender.attach('ing-1', 8 << 20);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.sentAt).toBeGreaterThanOrEqual(madeAt + 40);
    const send = sender.latency();
    expect(send.count).toBe(1);
    expect(send.medianMs).toBeGreaterThanOrEqual(40);
  });
});
