import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder, recordArgs } from '../../../src/main/core/media/file/index';
import { FeedFanout } from '../../../src/main/core/media/rtmp/index';
import { FFMPEG, FEED_FPS, FRAGMENT_S, topLevelBoxes, decode, expectNoFfmpegLeft, fragmentOffsets, KeepingSink, makeFeed, play, probe, removeDir, scratchDir, waitFor, waitForRecorderState } from './support';

const STAND_IN_STUDIO = `
const { spawn } = require('node:child_process');
const [ffmpeg, args] = process.argv.slice(1);
const child = spawn(ffmpeg, JSON.parse(args), { stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
child.stdio[3].resume();
process.stdin.pipe(child.stdin);
`;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

let feed: Buffer;
let fragments: number[];
let dir: string;
const used: FileRecorder[] = [];

function recorder(baseName: string): FileRecorder {
  const made = new FileRecorder({ ffmpegPath: FFMPEG, folder: dir, baseName, format: 'mp4', watchMs: 200, progressPeriodMs: 200 });
  used.push(made);
  return made;
}

/** Fragments (moof boxes) complete in the file so far. */
function fragmentsIn(file: string): number {
  const boxes = topLevelBoxes(file);
  // The last box may still be being written.
  return Math.max(0, boxes.filter((type) => type === 'moof').length - 1);
}

/** Feeds the first half and waits until at least 3 s (6 fragments) are in the file; returns that count. */
async function recordHalf(fanout: FeedFanout, rec: FileRecorder): Promise<number> {
  await play(fanout, feed, 0, fragments[Math.floor(fragments.length / 2)]!);
  return waitFor(() => (fragmentsIn(rec.recordingPath) >= 6 ? fragmentsIn(rec.recordingPath) : 0), '3 s of fragments in the crash-safe file');
}

beforeAll(() => {
  feed = makeFeed(8);
  fragments = fragmentOffsets(feed);
  dir = scratchDir('crash');
});
let stopStudio: (() => void) | null = null;
afterEach(async () => {
  stopStudio?.();
  stopStudio = null;
  await expectNoFfmpegLeft(used.splice(0));
});
afterAll(() => removeDir(dir));

describe('a recording survives a crash', { timeout: 20_000 }, () => {
  it("the recorder's ffmpeg SIGKILLed mid-recording: failed, the crash-safe file kept and decoding up to the kill", async () => {
    const fanout = new FeedFanout();
    const other = new KeepingSink();
    fanout.add(other);
    const rec = recorder('killed');
    await rec.start();
    fanout.add(rec);
    const inFile = await recordHalf(fanout, rec);
    process.kill(rec.processId()!, 'SIGKILL');
    const failed = await waitForRecorderState(rec, ['failed']);
    expect(failed).toMatchObject({ state: 'failed', reason: 'ffmpeg_failed', keptPath: rec.recordingPath });
    expect(failed.state === 'failed' && failed.message).toContain(rec.recordingPath);
    // The feed goes on: writes to the dead recorder neither throw nor reach the other output late.
    await play(fanout, feed, fragments[Math.floor(fragments.length / 2)]!, feed.length);
    expect(other.bytes().equals(feed)).toBe(true);
    // A stop afterwards changes nothing: no remux of a broken run, the file stays.
    expect((await rec.stop()).state).toBe('failed');

    const decoded = decode(rec.recordingPath);
    expect(decoded.exitCode).toBe(0);
    // All but the fragment being built (≤ 1 s) of what ffmpeg had muxed before the kill.
    expect(decoded.videoFrames).toBeGreaterThanOrEqual(inFile * FRAGMENT_S * FEED_FPS);
    expect(probe(rec.recordingPath).codecs).toEqual(['h264', 'aac']);
    expect(existsSync(rec.finalPath)).toBe(false);
  });

  it('the studio dying (its whole process group SIGKILLed mid-recording, stop never called): the crash-safe file decodes', async () => {
    // A stand-in studio: a Node process that pipes the feed into ffmpeg with the recorder's own
    // arguments. Killing its process group kills both at once,
    // as the OS does with a crashed app: nothing of ours runs after that.
    const path = join(dir, 'studio-died.recording.mp4');
    const studio = spawn(process.execPath, ['-e', STAND_IN_STUDIO, FFMPEG, JSON.stringify(recordArgs(path, 'mp4', 200))], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    stopStudio = () => {
      if (groupAlive(studio.pid!)) process.kill(-studio.pid!, 'SIGKILL');
    };
    studio.stdin!.on('error', () => {});
    studio.stdin!.write(feed.subarray(0, fragments[Math.floor(fragments.length / 2)]!));
    const inFile = await waitFor(() => (existsSync(path) && fragmentsIn(path) >= 6 ? fragmentsIn(path) : 0), '3 s of fragments in the stand-in studio\'s file');
    const closed = new Promise((resolve) => studio.once('close', resolve));
    process.kill(-studio.pid!, 'SIGKILL');
    await closed;
    await waitFor(() => !groupAlive(studio.pid!), 'the process group to be gone');

    const decoded = decode(path);
    expect(decoded.exitCode).toBe(0);
    expect(decoded.videoFrames).toBeGreaterThanOrEqual(inFile * FRAGMENT_S * FEED_FPS);
    const info = probe(path);
    expect(info.codecs).toEqual(['h264', 'aac']);
    expect(info.durationS).toBeGreaterThanOrEqual(inFile * FRAGMENT_S - 0.05);
  });
});
