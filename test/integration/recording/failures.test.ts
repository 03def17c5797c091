import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder } from '../../../src/main/core/media/file/index';
import { FeedFanout } from '../../../src/main/core/media/rtmp/index';
import { RecordingService } from '../../../src/main/core/recording/index';
import { FFMPEG, decode, expectNoFfmpegLeft, KeepingSink, makeFeed, mountTmpfs, play, removeDir, scratchDir, unmount, waitFor } from './support';

let feed: Buffer;
let root: string;
const mounts: string[] = [];
const used: (FileRecorder | null)[] = [];

beforeAll(() => {
  // Bigger than the tiny disk below.
  feed = makeFeed(6, '640x360');
  root = scratchDir('failures');
});
afterEach(async () => {
  await expectNoFfmpegLeft(used.splice(0));
});
afterAll(() => {
  for (const dir of mounts) unmount(dir);
  removeDir(root);
});

function service(folder: string, extra: ConstructorParameters<typeof RecordingService>[0]['recorder'] = {}): RecordingService {
  return new RecordingService({ findFfmpeg: () => ({ path: FFMPEG, source: 'path' }), settings: () => ({ folder, format: 'mp4' }), recorder: { watchMs: 100, ...extra } });
}

describe('a failing recording disturbs no other output', { timeout: 30_000 }, () => {
  it('disk full → failed disk_full (what fit is kept and decodes) while another sink gets every byte', async () => {
    const other = new KeepingSink();
    const fanout = new FeedFanout();
    fanout.add(other);
    const tiny = join(root, 'tiny');
    mkdirSync(tiny);
    // Root (here and in CI): a 256 KiB tmpfs. Elsewhere: the crash-safe file is /dev/full.
    const mounted = mountTmpfs(tiny, 'size=256k,mode=0777');
    if (mounted) mounts.push(tiny);
    const recording = service(tiny);
    await recording.start(fanout);
    const recorder = recording.currentRecorder!;
    used.push(recorder);
    if (!mounted) {
      // ffmpeg opens its output once the feed's header arrives: by then the name leads to /dev/full.
      rmSync(recorder.recordingPath);
      symlinkSync('/dev/full', recorder.recordingPath);
    }
    await play(fanout, feed, 0, feed.length);
    const status = await waitFor(() => (recording.status().state === 'failed' ? recording.status() : null), 'recording to fail');
    expect(status.error).toMatchObject({ code: 'recording.disk_full', reason: 'disk_full' });
    if (mounted) {
      expect(status.error!.keptPath).toBe(recorder.recordingPath);
      expect(status.error!.message).toContain(recorder.recordingPath);
      const decoded = decode(recorder.recordingPath);
      expect(decoded.exitCode).toBe(0);
      expect(decoded.videoFrames).toBeGreaterThan(0);
    }
    expect(other.bytes().equals(feed)).toBe(true);
    expect(fanout.size).toBe(1);
  });

  it('the folder removed mid-recording → failed folder_missing; the other sink gets every byte', async () => {
    const other = new KeepingSink();
    const fanout = new FeedFanout();
    fanout.add(other);
    const folder = join(root, 'vanishing');
    mkdirSync(folder);
    const recording = service(folder);
    await recording.start(fanout);
    used.push(recording.currentRecorder);
    await play(fanout, feed, 0, feed.length / 3);
    rmSync(folder, { recursive: true, force: true });
    await play(fanout, feed, feed.length / 3, feed.length);
    const status = await waitFor(() => (recording.status().state === 'failed' ? recording.status() : null), 'recording to fail');
    expect(status.error).toMatchObject({ code: 'recording.folder_missing', reason: 'folder_missing', keptPath: null });
    expect(other.bytes().equals(feed)).toBe(true);
    expect(fanout.size).toBe(1);
  });

  it('a recorder far behind (ffmpeg not reading) → failed behind with a bounded queue; the other sink gets every byte', async () => {
    const stuck = join(root, 'stuck-ffmpeg');
    writeFileSync(stuck, '#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version stand-in"; exit 0; fi\nexec sleep 30\n');
    chmodSync(stuck, 0o755);
    const folder = join(root, 'behind');
    mkdirSync(folder);
    const recording = new RecordingService({
      findFfmpeg: () => ({ path: stuck, source: 'settings' }),
      settings: () => ({ folder, format: 'mp4' }),
      recorder: { maxQueueBytes: 512 * 1024, watchMs: 100 },
    });
    const other = new KeepingSink();
    const fanout = new FeedFanout();
    fanout.add(other);
    await recording.start(fanout);
    const recorder = recording.currentRecorder!;
    used.push(recorder);
    let maxQueued = 0;
    for (let offset = 0; offset < feed.length; offset += 64 * 1024) {
      await play(fanout, feed, offset, Math.min(feed.length, offset + 64 * 1024));
      maxQueued = Math.max(maxQueued, recorder.health().queuedBytes);
    }
    const status = await waitFor(() => (recording.status().state === 'failed' ? recording.status() : null), 'recording to fail');
    expect(status.error).toMatchObject({ code: 'recording.behind', reason: 'behind' });
    expect(maxQueued).toBeLessThanOrEqual(512 * 1024 + 64 * 1024);
    expect(recorder.health().droppedBytes).toBeGreaterThan(0);
    expect(other.bytes().equals(feed)).toBe(true);
    expect(fanout.size).toBe(1);
  });
});
