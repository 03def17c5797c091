import { describe, expect, it } from 'vitest';
import { OTHER_BASE_SLACK_US, type Placed, TrackClock, VIDEO_SETTLE_HOLD } from '../../src/renderer/program/encoder/track-clock';

const FRAME = 33_333;
/** The camera's own time base: its timestamp for a capture at encoder-clock time t is BASE + t. */
const BASE = 7_000_000_000;

interface Sample {
  id: string;
}

/** A clock on the encoder's time (0 = the page asked for the encoder), recording what it let go. */
function clock(options: { settleUs?: number; maxHold?: number } = {}) {
  const dropped: string[] = [];
  const track = new TrackClock<Sample>({ ...options, drop: (sample) => dropped.push(sample.id) });
  return { track, dropped };
}

describe('TrackClock: a track’s samples on the encoder’s clock', () => {
  it('holds the whole settle window, then releases what was captured after the start request — including what came before the worker’s first sample — at its capture time', () => {
    const { track, dropped } = clock({ settleUs: 500_000 });
    // A busy machine: the worker reads its first sample 0.6 s after the page asked; the frames
    // captured since the request (from 0.25 s on) reach it 20–45 ms after their capture.
    const released: Array<Placed<Sample>> = [];
    for (let i = 0; i < 30; i++) {
      const capturedAt = 250_000 + i * FRAME;
      const arrivalUs = Math.max(600_000, capturedAt + 20_000 + (i % 3) * 12_500);
      released.push(...track.push({ id: `f${i}` }, BASE + capturedAt, arrivalUs));
      // Nothing leaves while the window (0.6 → 1.1 s) lasts.
      if (arrivalUs < 1_100_000) expect(released).toEqual([]);
    }
    expect(track.settling()).toBe(false);
    // Every frame is kept, the ones that waited for the worker too, in order, each at its capture
    // time plus the least delay seen (20 ms): the recording starts 0.27 s after the request, not 1.1 s.
    expect(released.map((placed) => placed.sample.id)).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}`));
    expect(released.map((placed) => placed.atUs)).toEqual(Array.from({ length: 30 }, (_, i) => 250_000 + i * FRAME + 20_000));
    expect(dropped).toEqual([]);
    // Settled: later samples come one by one on the same offset.
    expect(track.push({ id: 'late' }, BASE + 2_000_000, 2_400_000)).toEqual([{ sample: { id: 'late' }, atUs: 2_020_000 }]);
  });

  it('drops the stale burst from before the start request and a sample on another time base; neither becomes the anchor', () => {
    const { track, dropped } = clock({ settleUs: 500_000 });
    const released: Array<Placed<Sample>> = [];
    // What the streams held while the worker started: frames captured 3 s before the request, and
    // one audio-like buffer stamped 24.6 s ahead of the steady stream.
    released.push(...track.push({ id: 'stale1' }, BASE - 3_000_000, 400_000));
    released.push(...track.push({ id: 'stale2' }, BASE - 3_000_000 + FRAME, 401_000));
    released.push(...track.push({ id: 'ahead' }, BASE + 24_600_000, 402_000));
    for (let i = 0; i < 20; i++) released.push(...track.push({ id: `f${i}` }, BASE + 390_000 + i * FRAME, 400_000 + i * FRAME + 10_000 + (i % 2) * 5_000));
    expect(dropped).toEqual(['stale1', 'stale2', 'ahead']);
    // Anchored on the fresh frames' least delay (20 ms), not on the burst's 3 s or the other base's −24.6 s.
    expect(released[0]).toEqual({ sample: { id: 'f0' }, atUs: 410_000 });
    expect(released).toHaveLength(20);
    // Every released sample lands at or before its arrival (plus the slack for another base).
    for (const placed of released) expect(placed.atUs).toBeLessThanOrEqual(400_000 + 20 * FRAME + OTHER_BASE_SLACK_US);
  });

  it('a settling video track holds at most 15 frames, thinned evenly, so the window keeps its span (the encoder repeats into the gaps)', () => {
    const { track, dropped } = clock({ settleUs: 500_000, maxHold: VIDEO_SETTLE_HOLD });
    const sixty = 1_000_000 / 60;
    const released: Array<Placed<Sample>> = [];
    // 60 fps for the whole window: 30 frames arrive before it ends.
    let i = 0;
    for (; 100_000 + i * sixty < 600_000; i++) {
      released.push(...track.push({ id: `f${i}` }, BASE + 90_000 + i * sixty, 100_000 + i * sixty));
      expect(released).toEqual([]);
      expect(i + 1 - dropped.length).toBeLessThanOrEqual(VIDEO_SETTLE_HOLD);
    }
    expect(dropped).toHaveLength(i - VIDEO_SETTLE_HOLD);
    released.push(...track.push({ id: 'end' }, BASE + 90_000 + i * sixty, 100_000 + i * sixty));
    // The 15 held and the one that ended the window; the first captured frame is kept, and no gap is
    // wider than three frames (30 frames into 15 cannot all be two apart).
    expect(released).toHaveLength(VIDEO_SETTLE_HOLD + 1);
    expect(released[0]!.sample.id).toBe('f0');
    const gaps = released.slice(1).map((placed, n) => placed.atUs - released[n]!.atUs);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(3 * sixty + 1);
  });

  it('once settled the offset stays: late and early samples keep their own spacing (no freeze, no gap)', () => {
    const { track } = clock({ settleUs: 0 });
    expect(track.push({ id: 'a' }, 0, 1_000_000)).toEqual([{ sample: { id: 'a' }, atUs: 1_000_000 }]);
    // A stall: a frame comes 400 ms late; later one comes 30 ms before its time. Each keeps its timestamp's place.
    expect(track.push({ id: 'b' }, FRAME, 1_400_000 + FRAME)[0]!.atUs).toBe(1_000_000 + FRAME);
    expect(track.push({ id: 'c' }, 100 * FRAME, 970_000 + 100 * FRAME)[0]!.atUs).toBe(1_000_000 + 100 * FRAME);
  });

  it('an encoder stopped while its track settles still gets what was held (drain)', () => {
    const { track, dropped } = clock({ settleUs: 500_000 });
    for (let i = 0; i < 5; i++) expect(track.push({ id: `f${i}` }, BASE + 100_000 + i * FRAME, 120_000 + i * FRAME)).toEqual([]);
    expect(track.drain().map((placed) => placed.sample.id)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(dropped).toEqual([]);
    expect(track.drain()).toEqual([]);
  });
});
