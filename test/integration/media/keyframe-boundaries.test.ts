import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import { FeedFanout } from '../../../src/main/core/media/feed/feed-fanout';
import { ProgramFeed } from '../../../src/main/core/media/feed/program-feed';
import { StudioError } from '../../../src/shared/errors';
import { FeedFramer, firstVideoSampleFlags, videoOfInit } from '../../../src/main/core/media/feed/framing';
import type { FeedPiece } from '../../../src/renderer/program/encoder/fragments';
import { scratchDir } from '../../support/scratch';
import { muxStandInProgram } from '../../support/stand-in-program';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');

/** Top-level boxes of an MP4 byte stream as [type, start, end]. */
function topBoxes(data: Buffer): Array<[string, number, number]> {
  const out: Array<[string, number, number]> = [];
  for (let at = 0; at + 8 <= data.length; ) {
    const size = data.readUInt32BE(at);
    out.push([data.toString('latin1', at + 4, at + 8), at, at + size]);
    at += size;
  }
  return out;
}

/** Whether each fragment's video starts with a sync sample (null: no video in the fragment). */
function fragmentStarts(stream: Buffer): Array<boolean | null> {
  const boxes = topBoxes(stream);
  const moovEnd = boxes.find(([type]) => type === 'moov')![2];
  const video = videoOfInit(stream.subarray(0, moovEnd))!;
  return boxes
    .filter(([type]) => type === 'moof')
    .map(([, start, end]) => {
      const flags = firstVideoSampleFlags(stream.subarray(start, end), video.trackId, video.defaults);
      return flags === null ? null : (flags & 0x10000) === 0;
    });
}

/** The program muxer's output for `frames` frames at 30 fps with a keyframe every `gop`, Opus interleaved. */
async function programStream(frames: number, gop: number): Promise<FeedPiece[]> {
  const { pieces, muxer } = await muxStandInProgram({ frames, gop });
  indexedAfterLastStream = muxer.indexedFragments();
  return pieces;
}
let indexedAfterLastStream = -1;

describe('program feed with a 2 s GOP and one fragment per frame', () => {
  it('the muxer sends each video frame as its own fragment and writes the real sync flags (keyframes only every 60 frames)', async () => {
    const pieces = await programStream(150, 60);
    expect(pieces[0]!.init).toBe(true);
    const stream = Buffer.concat(pieces.map((piece) => piece.data));
    const starts = fragmentStarts(stream);
    const video = starts.filter((start) => start !== null);
    // Every frame is a fragment of its own; only frames 0, 60 and 120 are sync samples.
    expect(video).toHaveLength(150);
    expect(video.map((key, i) => (key ? i : -1)).filter((i) => i >= 0)).toEqual([0, 60, 120]);
    // The pieces marked as keyframes are exactly those fragments; none carries an mfra.
    expect(pieces.filter((piece) => piece.keyframe)).toHaveLength(3);
    expect(topBoxes(stream).some(([type]) => type === 'mfra')).toBe(false);
    // mediabunny's index of finalized fragments (for that mfra) is kept short: a feed runs for hours.
    expect(indexedAfterLastStream).toBeGreaterThan(0);
    expect(indexedAfterLastStream).toBeLessThanOrEqual(8);
  });

  it('main’s framer marks only keyframe fragments as boundaries, so a sink joining mid-GOP starts at the next keyframe', async () => {
    const pieces = await programStream(150, 60);
    const stream = Buffer.concat(pieces.map((piece) => piece.data));
    const fanout = new FeedFanout();
    const early: Buffer[] = [];
    const late: Buffer[] = [];
    fanout.add({ write: (piece) => early.push(Buffer.from(piece.data)) });
    // Join after frame ~10, long after the first keyframe and well before the second.
    const joinAt = 12;
    pieces.slice(0, joinAt).forEach((piece) => fanout.write(piece.data));
    fanout.add({ write: (piece) => late.push(Buffer.from(piece.data)) });
    // The renderer's chunks do not follow boxes: cut the rest in odd sizes.
    const rest = Buffer.concat(pieces.slice(joinAt).map((piece) => piece.data));
    for (let at = 0; at < rest.length; at += 777) fanout.write(rest.subarray(at, at + 777));

    expect(Buffer.concat(early).equals(stream)).toBe(true);
    const joined = Buffer.concat(late);
    const init = stream.subarray(0, topBoxes(stream).find(([type]) => type === 'moov')![2]);
    expect(joined.subarray(0, init.length).equals(init)).toBe(true);
    // After the init segment the late sink's first fragment is the keyframe at frame 60, and it then gets every fragment.
    const lateStarts = fragmentStarts(joined);
    expect(lateStarts[0]).toBe(true);
    expect(lateStarts.filter((start) => start !== null)).toHaveLength(90);
    expect(stream.subarray(stream.length - (joined.length - init.length)).equals(joined.subarray(init.length))).toBe(true);
  });

  it('while a sink added mid-stream waits for a keyframe, every chunk’s acknowledgement asks the encoder for one; once it has joined, none does', async () => {
    const pieces = await programStream(150, 60);
    const feed = new ProgramFeed();
    feed.need('broadcast');
    feed.add({ write: () => {} });
    const session = feed.open('video/mp4;codecs=avc1.42001f,opus;gop=2000', () => new StudioError('media.not_live', 'not live'));
    let seq = 0;
    const send = (piece: FeedPiece) => feed.chunk(session.ingestId, seq++, piece.data).keyframeWanted;
    // A sink there from the first byte waits for nothing.
    expect(pieces.slice(0, 12).map(send)).toEqual(Array(12).fill(false));
    // A recording starts mid-GOP: each acknowledgement wants a keyframe until the fragment that begins with one has passed.
    const late: Buffer[] = [];
    feed.add({ write: (piece) => late.push(Buffer.from(piece.data)) });
    const wanted = pieces.slice(12).map(send);
    const keyAt = pieces.slice(12).findIndex((piece) => piece.keyframe);
    expect(keyAt).toBeGreaterThan(0);
    expect(wanted.slice(0, keyAt)).toEqual(Array(keyAt).fill(true));
    expect(wanted.slice(keyAt)).toEqual(Array(wanted.length - keyAt).fill(false));
    // And it joined there: the init segment, then everything from that keyframe's fragment on.
    const stream = Buffer.concat(pieces.map((piece) => piece.data));
    const init = stream.subarray(0, topBoxes(stream).find(([type]) => type === 'moov')![2]);
    const from = pieces.slice(0, 12 + keyAt).reduce((sum, piece) => sum + piece.data.byteLength, 0);
    const joined = Buffer.concat(late);
    expect(fragmentStarts(joined)[0]).toBe(true);
    expect(joined.equals(Buffer.concat([init, stream.subarray(from)]))).toBe(true);
  });

  it('ffmpeg’s own fragmented MP4 (trex/trun flags, 100 ms fragments, 1 s GOP): a late sink starts at a keyframe and ffprobe sees a keyframe first', () => {
    const dir = scratchDir('keyframes');
    const file = join(dir, 'feed.mp4');
    execFileSync(FFMPEG, [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '0',
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000', file,
    ]);
    const stream = readFileSync(file);
    const starts = fragmentStarts(stream);
    expect(starts.filter((start) => start === true)).toHaveLength(4);
    expect(starts.filter((start) => start === false).length).toBeGreaterThan(20);

    const framer = new FeedFramer();
    const pieces = [];
    for (let at = 0; at < stream.length; at += 1000) pieces.push(...framer.push(stream.subarray(at, at + 1000)));
    expect(Buffer.concat(pieces.map((piece) => piece.data)).equals(stream)).toBe(true);
    expect(pieces.filter((piece) => piece.boundary)).toHaveLength(4);

    const fanout = new FeedFanout();
    const late: Buffer[] = [];
    const third = Math.floor(stream.length / 3);
    fanout.write(stream.subarray(0, third));
    fanout.add({ write: (piece) => late.push(Buffer.from(piece.data)) });
    for (let at = third; at < stream.length; at += 4096) fanout.write(stream.subarray(at, Math.min(stream.length, at + 4096)));
    const joinedFile = join(dir, 'joined.mp4');
    writeFileSync(joinedFile, Buffer.concat(late));
    const frames = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=key_frame', '-of', 'csv=p=0', joinedFile], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(frames[0]).toBe('1');
    // Whole GOPs from there: 30 frames each.
    expect(frames.length % 30).toBe(0);
    expect(frames.filter((key) => key === '1').length).toBe(frames.length / 30);
  });
});
