import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audioStageArgs } from '../../../src/main/core/media/audio-stage';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');
const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * A program feed from a busy encoder: 60 fps H.264 (a keyframe every 2 s) with frames missing —
 * every 5th and every 7th frame dropped, their timestamps kept — plus Opus, in fragmented MP4.
 * All in memory (pipes), nothing on disk.
 */
function feedWithFramesMissing(seconds: number): Buffer {
  return execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=60',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-vf', "select='not(eq(mod(n\\,5)\\,2))*not(eq(mod(n\\,7)\\,4))'", '-fps_mode:v', 'passthrough',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '120', '-bf', '0',
    '-c:a', 'libopus', '-b:a', '64k',
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000',
    'pipe:1',
  ], { maxBuffer: MAX_BUFFER });
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

const intervals = (pts: number[]) => pts.slice(1).map((at, i) => at - pts[i]!);

describe('the audio stage’s fragments (its exact ffmpeg arguments, real ffmpeg)', () => {
  it('keep every video frame interval of a 60 fps feed with frames missing: no duplicate timestamps, the gaps as they came in', () => {
    const feed = feedWithFramesMissing(8);
    const stageOut = execFileSync(FFMPEG, audioStageArgs(), { input: feed, maxBuffer: MAX_BUFFER });

    const input = probeVideo(feed);
    const output = probeVideo(stageOut);
    const inPts = input.pts;
    const outPts = output.pts;
    // The feed really has gaps (1/60 s is 256 ticks in 1/15360) and the stage copies every frame.
    expect(output.timeBase).toBe(input.timeBase);
    const inIntervals = intervals(inPts);
    expect(inIntervals.filter((gap) => gap > 256).length).toBeGreaterThan(100);
    expect(outPts).toHaveLength(inPts.length);

    expect(new Set(outPts).size).toBe(outPts.length);
    // The first interval is not compared: the edit lists (Opus pre-skip, AAC priming) move the
    // first frame's time in both files (the input's reads 356 ticks for a one-frame gap of 256).
    const changed = intervals(outPts)
      .map((gap, i) => ({ i, in: inIntervals[i]!, out: gap }))
      .filter((pair) => pair.i > 0 && pair.in !== pair.out);
    expect(changed).toEqual([]);
  });
});
