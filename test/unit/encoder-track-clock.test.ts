import { describe, expect, it } from 'vitest';
import { TrackClock } from '../../src/renderer/program/encoder/track-clock';

const FRAME = 33_333;

describe('TrackClock: a track’s samples on the encoder’s clock', () => {
  it('while it settles, samples are left out; the stale first burst is ignored and the least-delayed later sample becomes the anchor', () => {
    const clock = new TrackClock(500_000);
    // The first samples the worker gets are old (what a stream held while the worker started) and on another base.
    expect(clock.map(0, 2_000_000)).toBeNull();
    expect(clock.map(30_000_000, 2_001_000)).toBeNull();
    // Then fresh frames, 10–25 ms after their timestamps.
    for (let i = 1; i < 15; i++) expect(clock.map(2_000_000 + i * FRAME, 2_010_000 + i * FRAME + (i % 3) * 7_500)).toBeNull();
    // Settled: a frame lands at its timestamp plus the freshest delay seen in the second half (10 ms), not 2 s ahead or 28 s behind.
    expect(clock.map(2_000_000 + 20 * FRAME, 2_010_000 + 20 * FRAME + 4_000)).toBe(2_010_000 + 20 * FRAME);
  });

  it('once settled the offset stays: late and early samples keep their own spacing (no freeze, no gap)', () => {
    const clock = new TrackClock(0);
    expect(clock.map(0, 1_000_000)).toBe(1_000_000);
    // A stall: a frame comes 400 ms late; later one comes 30 ms before its time. Each keeps its timestamp's place.
    expect(clock.map(FRAME, 1_400_000 + FRAME)).toBe(1_000_000 + FRAME);
    expect(clock.map(100 * FRAME, 970_000 + 100 * FRAME)).toBe(1_000_000 + 100 * FRAME);
  });
});
