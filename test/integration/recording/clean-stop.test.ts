import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecorder } from '../../../src/main/core/media/file/index';
import { FeedFanout } from '../../../src/main/core/media/rtmp/index';
import { RecordingService } from '../../../src/main/core/recording/index';
import type { RecordingSettings, RecordingStatus } from '../../../src/shared/recording';
import { recordingStatusSchema } from '../../../src/shared/recording';
import { FFMPEG, FRAGMENT_S, decode, expectNoFfmpegLeft, fragmentOffsets, makeFeed, play, probe, removeDir, scratchDir, topLevelBoxes, waitFor } from './support';

const FEED_S = 6;
let feed: Buffer;
let fragments: number[];
let dir: string;
const used: (FileRecorder | null)[] = [];

function service(settings: RecordingSettings): RecordingService {
  return new RecordingService({ findFfmpeg: () => ({ path: FFMPEG, source: 'path' }), settings: () => settings, recorder: { watchMs: 200, progressPeriodMs: 250 } });
}

beforeAll(() => {
  feed = makeFeed(FEED_S);
  fragments = fragmentOffsets(feed);
  dir = scratchDir('clean');
});
afterEach(async () => {
  await expectNoFfmpegLeft(used.splice(0));
});
afterAll(() => removeDir(dir));

describe('a clean stop', { timeout: 20_000 }, () => {
  it('counts the recorded time from the first frame written, not from Record: an encoder that starts late does not make the REC time longer than the file', async () => {
    // The studio's clock, moved by hand: Record at 1000 s, the encoder's first frame 3 s later.
    let clock = 1_000_000;
    const recording = new RecordingService({
      findFfmpeg: () => ({ path: FFMPEG, source: 'path' }),
      settings: () => ({ folder: dir, format: 'mp4' }),
      recorder: { watchMs: 200, progressPeriodMs: 250 },
      now: () => clock,
    });
    const fanout = new FeedFanout();
    const started = await recording.start(fanout);
    used.push(recording.currentRecorder);
    expect(started).toMatchObject({ state: 'recording', startedAt: new Date(1_000_000).toISOString(), firstFrameAt: null, elapsedMs: 0 });
    clock += 3_000;
    expect(recording.status()).toMatchObject({ firstFrameAt: null, elapsedMs: 0 });
    await play(fanout, feed, 0, feed.length);
    expect(recording.status().firstFrameAt).toBe(new Date(1_003_000).toISOString());
    await waitFor(() => recording.status().bytesWritten > 0, 'bytes in the crash-safe file');
    clock += 6_000;
    expect(recording.status().elapsedMs).toBe(6_000);
    const done = await recording.stop();
    expect(done).toMatchObject({ state: 'done', firstFrameAt: new Date(1_003_000).toISOString(), elapsedMs: 6_000 });
    expect(probe(done.path!).durationS).toBeGreaterThan(FEED_S - 0.3);
  });

  it('leaves a plain MP4 (H.264 + AAC, index first) as long as the feed, and removes the crash-safe file', async () => {
    const recording = service({ folder: dir, format: 'mp4' });
    const seen: RecordingStatus['state'][] = [];
    recording.on('status', (status) => seen.push(status.state));
    const fanout = new FeedFanout();
    const started = await recording.start(fanout);
    used.push(recording.currentRecorder);
    expect(started.state).toBe('recording');
    expect(basename(started.path!)).toMatch(/^OnAir \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mp4$/);
    expect(basename(started.recordingPath!)).toBe(basename(started.path!).replace(/\.mp4$/, '.recording.mp4'));

    await play(fanout, feed, 0, feed.length);
    await waitFor(() => recording.status().bytesWritten > 0, 'bytes in the crash-safe file');
    const done = await recording.stop();
    expect(recordingStatusSchema.parse(done)).toEqual(done);
    expect(done).toMatchObject({ state: 'done', error: null, recordingPath: null, path: started.path });
    expect(done.elapsedMs).toBeGreaterThan(0);
    // The states it went through (a slow machine also sees the once-a-second 'recording' tick in between).
    expect(seen.filter((state, index) => state !== seen[index - 1])).toEqual(['recording', 'finalizing', 'done']);

    const file = done.path!;
    const info = probe(file);
    expect(info.codecs).toEqual(['h264', 'aac']);
    expect(info.durationS).toBeGreaterThan(FEED_S - 0.3);
    expect(info.durationS).toBeLessThan(FEED_S + 0.3);
    // Plain MP4: no fragments, the index before the media (faststart).
    const boxes = topLevelBoxes(file);
    expect(boxes).not.toContain('moof');
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const decoded = decode(file);
    expect(decoded).toMatchObject({ exitCode: 0, errors: '' });
    expect(decoded.videoFrames).toBe(FEED_S * 30);
    expect(done.bytesWritten).toBeGreaterThan(feed.length / 2);

    expect(existsSync(started.recordingPath!)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
    // A second stop is the same answer.
    expect((await recording.stop()).state).toBe('done');
  });

  it('records from the next fragment when started while the feed runs (init segment first)', async () => {
    const recording = service({ folder: dir, format: 'mp4' });
    const fanout = new FeedFanout();
    const skipped = 4; // 4 fragments of 0.5 s before the recording starts
    await play(fanout, feed, 0, fragments[skipped]! + 1000); // into the middle of a fragment
    const started = await recording.start(fanout);
    used.push(recording.currentRecorder);
    await play(fanout, feed, fragments[skipped]! + 1000, feed.length);
    const done = await recording.stop();
    expect(done.state).toBe('done');
    const info = probe(done.path!);
    expect(info.codecs).toEqual(['h264', 'aac']);
    // From the fragment after the one it joined in: FEED_S - (skipped + 1) fragments.
    const expected = FEED_S - (skipped + 1) * FRAGMENT_S;
    expect(info.durationS).toBeGreaterThan(expected - 0.3);
    expect(info.durationS).toBeLessThan(expected + 0.3);
    expect(decode(done.path!)).toMatchObject({ exitCode: 0, errors: '' });
    expect(started.path).not.toBe(null);
  });

  it('Matroska as the final format keeps the Opus audio, and a second recording in the same second gets its own name', async () => {
    const first = service({ folder: dir, format: 'mkv' });
    const second = service({ folder: dir, format: 'mkv' });
    const fanout = new FeedFanout();
    const a = await first.start(fanout);
    const b = await second.start(fanout);
    used.push(first.currentRecorder, second.currentRecorder);
    expect(b.path).not.toBe(a.path);
    await play(fanout, feed, 0, feed.length);
    const [doneA, doneB] = await Promise.all([first.stop(), second.stop()]);
    for (const done of [doneA, doneB]) {
      expect(done.state).toBe('done');
      expect(done.path).toMatch(/\.mkv$/);
      const info = probe(done.path!);
      expect(info.formatName).toContain('matroska');
      expect(info.codecs).toEqual(['h264', 'opus']);
      expect(info.durationS).toBeGreaterThan(FEED_S - 0.3);
    }
  });
});
