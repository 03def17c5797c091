import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { audioStageArgs } from '../../../src/main/core/media/audio-stage';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import { ProgramMuxer } from '../../../src/renderer/program/encoder/mux';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');
const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * A program feed from a busy encoder: 60 fps H.264 (a keyframe every 120 frames) with frames
 * missing — every 5th and every 7th frame dropped, and a stall of 31 frames every 2.5 s, their
 * timestamps kept — plus Opus, in ffmpeg's fragmented MP4 (100 ms fragments). In memory (pipes).
 */
function feedWithFramesMissing(seconds: number): Buffer {
  return execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=60',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-vf', "select='not(eq(mod(n\\,5)\\,2))*not(eq(mod(n\\,7)\\,4))*not(between(mod(n\\,150)\\,100\\,130))'", '-fps_mode:v', 'passthrough',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '120', '-bf', '0',
    '-c:a', 'libopus', '-b:a', '64k',
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000',
    'pipe:1',
  ], { maxBuffer: MAX_BUFFER });
}

/**
 * The same packets as the renderer's muxer sends them (`ProgramMuxer`: a fragment per frame, each
 * frame's duration one frame whatever the gap after it, Opus interleaved by time).
 */
async function asProgramFeed(ffmpegFeed: Buffer): Promise<Buffer> {
  const input = new Input({ source: new BufferSource(ffmpegFeed), formats: ALL_FORMATS });
  const videoTrack = (await input.getPrimaryVideoTrack())!;
  const audioTrack = (await input.getPrimaryAudioTrack())!;
  const video = { decoderConfig: await videoTrack.getDecoderConfig() } as EncodedVideoChunkMetadata;
  const audio = { decoderConfig: await audioTrack.getDecoderConfig() } as EncodedAudioChunkMetadata;
  const audioPackets = [];
  for await (const packet of new EncodedPacketSink(audioTrack).packets()) audioPackets.push(packet);
  const pieces: Uint8Array[] = [];
  const errors: unknown[] = [];
  const muxer = new ProgramMuxer({ fps: 60, audio: true, onPiece: (piece) => pieces.push(piece.data), onError: (error) => errors.push(error) });
  const us = (seconds: number) => Math.max(0, Math.round(seconds * 1e6));
  let next = 0;
  let first = true;
  for await (const packet of new EncodedPacketSink(videoTrack).packets()) {
    for (; next < audioPackets.length && us(audioPackets[next]!.timestamp) <= us(packet.timestamp) + 16_667; next++) {
      const sample = audioPackets[next]!;
      muxer.addAudio({ type: 'key', timestamp: us(sample.timestamp), duration: us(sample.duration), data: sample.data }, next === 0 ? audio : undefined);
    }
    muxer.addVideo({ type: packet.type, timestamp: us(packet.timestamp), duration: 16_667, data: packet.data }, first ? video : undefined);
    first = false;
  }
  await muxer.finish();
  expect(errors).toEqual([]);
  return Buffer.from(Buffer.concat(pieces));
}

/** The video stream's time base and its packets' presentation timestamps, of an MP4 given as bytes. */
function probeVideo(mp4: Buffer): { timeBase: string; pts: number[] } {
  const json = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base:packet=pts', '-of', 'json', '-i', 'pipe:0'], {
    input: mp4,
    maxBuffer: MAX_BUFFER,
    encoding: 'utf8',
  });
  const probed = JSON.parse(json) as { streams: Array<{ time_base: string }>; packets: Array<{ pts: number }> };
  return { timeBase: probed.streams[0]!.time_base, pts: probed.packets.map((packet) => packet.pts) };
}

/** Frame intervals in seconds (0.1 ms), whatever the time base. */
function intervals({ timeBase, pts }: { timeBase: string; pts: number[] }): number[] {
  const [num, den] = timeBase.split('/').map(Number) as [number, number];
  return pts.slice(1).map((at, i) => Math.round(((at - pts[i]!) * num * 10_000) / den) / 10_000);
}

/** Runs `feed` through the stage's exact arguments and checks every video frame interval. */
function expectIntervalsKept(feed: Buffer): void {
  const stageOut = execFileSync(FFMPEG, audioStageArgs(), { input: feed, maxBuffer: MAX_BUFFER });
  const input = probeVideo(feed);
  const output = probeVideo(stageOut);
  // The feed really has gaps and the stage copies every frame.
  const inIntervals = intervals(input);
  expect(inIntervals.filter((gap) => gap > 0.02).length).toBeGreaterThan(100);
  expect(output.pts).toHaveLength(input.pts.length);

  expect(new Set(output.pts).size).toBe(output.pts.length);
  // The first interval is not compared: the edit lists (Opus pre-skip, AAC priming) move the first
  // frame's time (by less than a frame).
  const changed = intervals(output)
    .map((gap, i) => ({ i, in: inIntervals[i]!, out: gap }))
    .filter((pair) => pair.i > 0 && Math.abs(pair.in - pair.out) > 0.0002);
  expect(changed).toEqual([]);
}

describe('the audio stage’s fragments (its exact ffmpeg arguments, real ffmpeg): a 60 fps feed with frames missing keeps every frame interval, no duplicate timestamps', () => {
  it('ffmpeg’s fragmented MP4 (100 ms fragments)', () => {
    expectIntervalsKept(feedWithFramesMissing(8));
  });

  it('the renderer’s muxer (a fragment per frame, each frame one frame long)', async () => {
    expectIntervalsKept(await asProgramFeed(feedWithFramesMissing(8)));
  });
});
