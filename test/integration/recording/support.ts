import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import type { FileRecorder, FileRecorderState } from '../../../src/main/core/media/file/index';
import type { FeedPiece } from '../../../src/main/core/media/feed/feed-piece';
import type { FeedFanout, FeedSink } from '../../../src/main/core/media/rtmp/index';

const found = findFfmpeg();
if (!found) throw new Error('ffmpeg must be installed for the recording tests');
export const FFMPEG = found.path;
export const FFPROBE = join(dirname(found.path), 'ffprobe');

/** Scratch space inside the repo (git-ignored `test-results/`): the tests read nothing outside it. */
const SCRATCH = join(import.meta.dirname, '..', '..', '..', 'test-results', 'recording');

export function scratchDir(label: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, `${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const FEED_FPS = 30;
/** Keyframe every 15 frames: MP4 fragments of 0.5 s, as MediaRecorder makes them. */
export const FRAGMENT_S = 0.5;

/**
 * A program feed like the studio's: lavfi testsrc2 + a sine tone → H.264 (libx264 ultrafast,
 * keyint 15) + Opus in fragmented MP4, written by ffmpeg to its stdout.
 */
export function makeFeed(seconds: number, size = '320x180'): Buffer {
  return execFileSync(
    FFMPEG,
    [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${FEED_FPS}`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0',
      '-c:a', 'libopus', '-b:a', '64k',
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Byte offsets where each `moof` (a fragment) starts. */
export function fragmentOffsets(feed: Buffer): number[] {
  const offsets: number[] = [];
  for (let offset = 0; offset + 8 <= feed.length; offset += feed.readUInt32BE(offset)) {
    if (feed.toString('latin1', offset + 4, offset + 8) === 'moof') offsets.push(offset);
  }
  return offsets;
}

/** Top-level box types of an MP4 file, in order. */
export function topLevelBoxes(file: string): string[] {
  const bytes = readFileSync(file);
  const types: string[] = [];
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    const size32 = bytes.readUInt32BE(offset);
    types.push(bytes.toString('latin1', offset + 4, offset + 8));
    const size = size32 === 1 ? Number(bytes.readBigUInt64BE(offset + 8)) : size32 === 0 ? bytes.length - offset : size32;
    offset += size;
  }
  return types;
}

/** Writes feed[from, to) into the fan-out in arbitrary 24 KiB chunks, yielding between them. */
export async function play(fanout: FeedFanout, feed: Buffer, from: number, to: number): Promise<void> {
  for (let offset = from; offset < to; offset += 24 * 1024) {
    fanout.write(feed.subarray(offset, Math.min(to, offset + 24 * 1024)));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A sink that keeps every byte it is given: the "other output" on the same feed. */
export class KeepingSink implements FeedSink {
  private parts: Buffer[] = [];
  write(piece: FeedPiece): void {
    this.parts.push(Buffer.from(piece.data));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface Probe {
  codecs: string[];
  formatName: string;
  durationS: number;
}

export function probe(file: string): Probe {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_name:format=format_name,duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as { streams: { codec_name: string }[]; format: { format_name: string; duration?: string } };
  return { codecs: json.streams.map((s) => s.codec_name), formatName: json.format.format_name, durationS: Number(json.format.duration ?? Number.NaN) };
}

/** Decodes every frame (`ffmpeg -v error -i f -f null -`) and counts the video frames ffprobe reads. */
export function decode(file: string): { exitCode: number | null; errors: string; videoFrames: number } {
  const run = spawnSync(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  const count = spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return { exitCode: run.status, errors: run.stderr.trim(), videoFrames: Number.parseInt(count.stdout.trim(), 10) || 0 };
}

export async function waitFor<T>(probeFn: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probeFn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function waitForRecorderState(recorder: FileRecorder, states: FileRecorderState['state'][], timeoutMs = 15_000): Promise<FileRecorderState> {
  return waitFor(() => (states.includes(recorder.state().state) ? recorder.state() : null), `recorder state ${states.join('|')} (now ${recorder.state().state})`, timeoutMs);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every ffmpeg these recorders started has exited. */
export async function expectNoFfmpegLeft(recorders: Iterable<FileRecorder | null | undefined>): Promise<void> {
  const pids = [...recorders].flatMap((recorder) => [...(recorder?.processIds() ?? [])]);
  await waitFor(() => pids.every((pid) => !alive(pid)), `ffmpeg processes ${pids.join(', ')} to exit`, 10_000).catch(() => {});
  expect(pids.filter(alive)).toEqual([]);
}

/** Mounts a tmpfs of `size` on `dir` when this process may (root); false otherwise. */
export function mountTmpfs(dir: string, options: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}
