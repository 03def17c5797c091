import { describe, expect, it } from 'vitest';
import { FrameStats, percentile } from '../../src/renderer/compositor/frame-stats';
import { FramePacer } from '../../src/renderer/compositor/pacer';

describe('compositor frame pacing', () => {
  it('one frame per interval; none twice', () => {
    const pacer = new FramePacer(30, 1000);
    expect(pacer.due(1000)).toEqual({ tick: 0, missed: 0, dueAt: 1000 });
    expect(pacer.due(1010)).toBeNull();
    expect(pacer.due(1034)).toMatchObject({ tick: 1, missed: 0 });
    expect(pacer.due(1034)).toBeNull();
  });

  it('a timer that fires a little early still gets its frame', () => {
    const pacer = new FramePacer(30, 0);
    pacer.due(0);
    expect(pacer.due(33)).toMatchObject({ tick: 1, missed: 0 });
    expect(pacer.due(66)).toMatchObject({ tick: 2, missed: 0 });
  });

  it('a timer late by whole intervals skips those frames and says how many (no burst)', () => {
    const pacer = new FramePacer(30, 0);
    pacer.due(0);
    const late = pacer.due(150)!;
    expect(late).toEqual({ tick: 4, missed: 3, dueAt: 4 * (1000 / 30) });
    expect(pacer.due(151)).toBeNull();
  });
});

describe('compositor frame stats', () => {
  it('percentile is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 100)]).toEqual([50, 95, 100]);
    expect(percentile([], 50)).toBe(0);
  });

  it('median, p95 and max over the last frames of the window; counts are totals', () => {
    const stats = new FrameStats(10);
    for (let i = 0; i < 20; i++) stats.drawn(i < 10 ? 100 : i - 9);
    stats.dropped(2);
    stats.dropped();
    // The window holds 1..10 (the 100 ms frames rolled out).
    expect(stats.snapshot()).toEqual({ frameMs: { median: 5, p95: 10, max: 10 }, framesDrawn: 20, framesDropped: 3 });
  });
});
