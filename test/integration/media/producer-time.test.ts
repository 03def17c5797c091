import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecorder } from '../../../src/main/core/media/file/index';
import { FeedFanout } from '../../../src/main/core/media/feed/feed-fanout';
import { FeedFramer } from '../../../src/main/core/media/feed/framing';
import { RecordingService } from '../../../src/main/core/recording/index';
import { type FeedPiece, producerReferenceTime, videoTrackIdOf } from '../../../src/renderer/program/encoder/fragments';
import { muxStandInProgram } from '../../support/stand-in-program';
import { FFMPEG, FFPROBE, FRAGMENT_S, expectNoFfmpegLeft, fragmentOffsets, makeFeed, play, probe, removeDir, scratchDir } from '../recording/support';

/**
 * The file's 0:00 on the wall clock: the WebCodecs feed's fragments carry a `prft` (when their
 * first video frame went into the encoder), main's framer reads it, and a recording says when the
 * moment its file begins was — what its length is judged against (the soak's drift), not the
 * first frame's arrival in main one encoder-and-IPC trip later.
 */

/** Top-level boxes of an MP4 byte stream as [type, start, end]. */
function topBoxes(data: Uint8Array): Array<[string, number, number]> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: Array<[string, number, number]> = [];
  for (let at = 0; at + 8 <= buffer.length; at += buffer.readUInt32BE(at)) out.push([buffer.toString('latin1', at + 4, at + 8), at, at + buffer.readUInt32BE(at)]);
  return out;
}

/** The muxer's pieces for `frames` frames (a keyframe every 30), `originAt` as given to it. */
const programPieces = async (frames: number, originAt?: number): Promise<FeedPiece[]> => (await muxStandInProgram({ frames, gop: 30, muxer: { originAt } })).pieces;

/** ffprobe's packet count per stream of an MP4 byte stream read from a pipe, and what it said on stderr. */
function packetsOf(stream: Buffer): { packets: number[]; stderr: string } {
  const run = spawnSync(FFPROBE, ['-v', 'warning', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: stream, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return { packets: run.stdout.trim().split('\n').map(Number), stderr: run.stderr };
}

describe('the program feed says when each fragment went into the encoder (prft)', () => {
  const ORIGIN_AT = Date.UTC(2026, 11, 7, 20, 0, 0) + 0.25;

  it('a fragment with video starts with a prft for its first frame; without an origin (the preview leg) none is written', async () => {
    const pieces = await programPieces(90, ORIGIN_AT);
    const video = pieces.filter((piece) => piece.videoSamples);
    expect(video).toHaveLength(90);
    const moov = topBoxes(pieces[0]!.data).find(([type]) => type === 'moov')!;
    const trackId = videoTrackIdOf(pieces[0]!.data.subarray(moov[1], moov[2]))!;
    const framer = new FeedFramer();
    // Main reads the prft back, however the page's chunks cut the bytes.
    const stream = Buffer.concat(pieces.map((piece) => piece.data));
    const cut: number[] = [];
    for (let at = 0; at < stream.length; at += 777) cut.push(...framer.push(stream.subarray(at, at + 777)).filter((p) => p.videoSamples).map((p) => p.inputAt ?? Number.NaN));
    video.forEach((piece, i) => {
      expect(topBoxes(piece.data).map(([type]) => type)).toEqual(['prft', 'moof', 'mdat']);
      // Frame i was put at i/30 s on the encoder's clock: it went in ORIGIN_AT + that (to the NTP fraction's µs).
      expect(cut[i]).toBeCloseTo(ORIGIN_AT + Math.round((i * 1_000_000) / 30) / 1000, 3);
    });
    expect(cut).toHaveLength(90);
    expect(trackId).toBeGreaterThan(0);

    const plain = await programPieces(90);
    expect(plain.some((piece) => topBoxes(piece.data).some(([type]) => type === 'prft'))).toBe(false);
    expect(new FeedFramer().push(Buffer.concat(plain.map((piece) => piece.data))).some((piece) => piece.inputAt !== undefined)).toBe(false);
  });

  it('writes the prft from the video track fragment’s tfdt (media time) and the NTP time of its input', () => {
    // A moof of the muxer's shape, small: mfhd + one traf (tfhd track 1, tfdt v1 = 90000).
    const tfdt = Buffer.alloc(20);
    tfdt.writeUInt32BE(20, 0);
    tfdt.write('tfdt', 4, 'latin1');
    tfdt.writeUInt32BE(0x01000000, 8);
    tfdt.writeBigUInt64BE(90_000n, 12);
    const tfhd = Buffer.alloc(16);
    tfhd.writeUInt32BE(16, 0);
    tfhd.write('tfhd', 4, 'latin1');
    tfhd.writeUInt32BE(0x020000, 8);
    tfhd.writeUInt32BE(1, 12);
    const traf = Buffer.concat([Buffer.from([0, 0, 0, 8 + 16 + 20]), Buffer.from('traf', 'latin1'), tfhd, tfdt]);
    const moof = Buffer.concat([Buffer.from([0, 0, 0, 8 + traf.length]), Buffer.from('moof', 'latin1'), traf]);
    const prft = Buffer.from(producerReferenceTime(moof, 1, 1_700_000_000_500)!);
    expect(prft.toString('latin1', 4, 8)).toBe('prft');
    expect(prft.readUInt32BE(8)).toBe(0x01000000);
    expect(prft.readUInt32BE(12)).toBe(1);
    expect(prft.readUInt32BE(16)).toBe(1_700_000_000 + 2_208_988_800);
    expect(prft.readUInt32BE(20)).toBe(2 ** 31);
    expect(prft.readBigUInt64BE(24)).toBe(90_000n);
    // A fragment without the video track's tfdt gets none.
    expect(producerReferenceTime(moof, 2, 1_700_000_000_500)).toBe(null);
  });
});

describe('a recording says which moment its file begins at', { timeout: 30_000 }, () => {
  const FEED_S = 4;
  const BASE_AT = Date.UTC(2026, 11, 7, 21, 0, 0);
  let feed: Buffer;
  let dir: string;
  const used: (FileRecorder | null)[] = [];

  /** ffmpeg's fMP4 with a prft before each fragment: fragment k went into the encoder at BASE_AT + k s. */
  function withPrfts(plain: Buffer): Buffer {
    const boxes = topBoxes(plain);
    const moov = boxes.find(([type]) => type === 'moov')!;
    const trackId = videoTrackIdOf(plain.subarray(moov[1], moov[2]))!;
    let k = 0;
    return Buffer.concat(
      boxes.flatMap(([type, start, end]) => {
        const box = plain.subarray(start, end);
        if (type !== 'moof') return [box];
        return [Buffer.from(producerReferenceTime(box, trackId, BASE_AT + 1000 * k++)!), box];
      }),
    );
  }

  beforeAll(() => {
    feed = withPrfts(makeFeed(FEED_S));
    dir = scratchDir('producer-time');
  });
  afterEach(async () => {
    await expectNoFfmpegLeft(used.splice(0));
  });
  afterAll(() => removeDir(dir));

  it('started while the feed runs: the file begins at the prft of the fragment it joined at, and ffmpeg keeps every frame after it', async () => {
    const recording = new RecordingService({ findFfmpeg: () => ({ path: FFMPEG, source: 'path' }), settings: () => ({ folder: dir, format: 'mp4' }), recorder: { watchMs: 200, progressPeriodMs: 250 } });
    const fanout = new FeedFanout();
    const fragments = fragmentOffsets(feed);
    const skipped = 3;
    // Into the middle of fragment 3 (its prft is before its moof): the recording joins at fragment 4.
    await play(fanout, feed, 0, fragments[skipped]! + 500);
    const started = await recording.start(fanout);
    used.push(recording.currentRecorder);
    expect(started.fileStartsAt).toBe(null);
    await play(fanout, feed, fragments[skipped]! + 500, feed.length);
    const done = await recording.stop();
    expect(done.state).toBe('done');
    expect(done.fileStartsAt).toBe(new Date(BASE_AT + 1000 * (skipped + 1)).toISOString());
    const expected = FEED_S - (skipped + 1) * FRAGMENT_S;
    expect(probe(done.path!).durationS).toBeGreaterThan(expected - 0.3);
    expect(probe(done.path!).durationS).toBeLessThan(expected + 0.3);
  });

  it('ffmpeg reads a feed with prfts as one without: the same packets, nothing on stderr', () => {
    const plain = makeFeed(FEED_S);
    expect(packetsOf(withPrfts(plain))).toEqual(packetsOf(plain));
    expect(packetsOf(plain)).toEqual({ packets: [FEED_S * 30, expect.any(Number)], stderr: '' });
  });

  it('a feed without prfts (MediaRecorder’s WebM, ffmpeg’s fMP4) leaves it null: nothing is guessed', async () => {
    const recording = new RecordingService({ findFfmpeg: () => ({ path: FFMPEG, source: 'path' }), settings: () => ({ folder: dir, format: 'mp4' }), recorder: { watchMs: 200, progressPeriodMs: 250 } });
    const fanout = new FeedFanout();
    await recording.start(fanout);
    used.push(recording.currentRecorder);
    const plain = makeFeed(2);
    await play(fanout, plain, 0, plain.length);
    const done = await recording.stop();
    expect(done).toMatchObject({ state: 'done', fileStartsAt: null });
    expect(done.firstFrameAt).not.toBe(null);
  });
});
