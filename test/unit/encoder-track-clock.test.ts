import { describe, expect, it } from 'vitest';
import { TrackClock } from '../../src/renderer/program/encoder/track-clock';

const FRAME = 33_333;

describe('TrackClock: a track’s samples on the encoder’s clock', () => {
  it('while it settles, samples are left out and the least-delayed one becomes the anchor (a stale first sample does not put the track ahead)', () => {
    const clock = new TrackClock(500_000, 50_000, 300_000, 1_000_000);
    // The first frame the worker gets is 2 s old (the oldest a stream held while the worker started), then fresh ones.
    expect(clock.map(0, 2_000_000)).toBeNull();
    for (let i = 1; i < 15; i++) expect(clock.map(2_000_000 + i * FRAME, 2_010_000 + i * FRAME)).toBeNull();
    // Settled: a fresh frame lands at its arrival less the freshest delay seen (10 ms), not 2 s ahead of it.
    const at = clock.map(2_000_000 + 20 * FRAME, 2_010_000 + 20 * FRAME + 4_000);
    expect(at).toBe(2_010_000 + 20 * FRAME);
    expect(clock.resyncs).toBe(0);
  });

  it('a sample that arrives well before its time re-anchors the track on it (the source jumped ahead)', () => {
    const clock = new TrackClock(0, 50_000, 300_000, 1_000_000);
    expect(clock.map(0, 1_000_000)).toBe(1_000_000);
    // Jitter within the tolerance keeps the anchor.
    expect(clock.map(FRAME, 1_000_000 + FRAME - 30_000)).toBe(1_000_000 + FRAME);
    // The source's timestamps jump 5 s ahead.
    expect(clock.map(5_000_000 + 2 * FRAME, 1_000_000 + 2 * FRAME)).toBe(1_000_000 + 2 * FRAME);
    expect(clock.resyncs).toBe(1);
  });

  it('re-anchors only when every sample is late for a while (a slow or rewound source), not on a short stall', () => {
    const clock = new TrackClock(0, 50_000, 300_000, 1_000_000);
    clock.map(0, 0);
    // A stall: 0.5 s of samples arrive late together, then fresh ones on time again.
    for (let i = 1; i <= 15; i++) clock.map(i * FRAME, 500_000 + 15 * FRAME);
    expect(clock.map(16 * FRAME, 16 * FRAME)).toBe(16 * FRAME);
    expect(clock.resyncs).toBe(0);
    // The source's timestamps go back 25 s (audio buffers of 10 ms from then on, each on time by the wall clock).
    let last: number | null = null;
    for (let t = 0; t <= 1_200_000; t += 10_000) last = clock.map(1_000_000 + t - 25_000_000, 1_000_000 + t);
    expect(clock.resyncs).toBe(1);
    // After the re-anchor the samples land at their arrival again.
    expect(last).toBe(2_200_000);
  });
});
