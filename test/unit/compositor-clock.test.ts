import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runClock } from '../../src/renderer/compositor/clock';
import { FramePacer } from '../../src/renderer/compositor/pacer';

describe('the compositor clock', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('arms one repeating timer for its life, not a timer per frame (each one is garbage a quiet worker keeps)', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const frames: { missed: number; dueAt: number }[] = [];
    const stop = runClock(30, (due) => frames.push(due));
    vi.advanceTimersByTime(10_000);
    stop();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    // 10 s at 30 fps: frames 0..300, each once, none missed, a whole interval apart on the media clock.
    expect(frames).toHaveLength(301);
    expect(frames.every((f) => f.missed === 0)).toBe(true);
    const gaps = frames.slice(1).map((f, i) => f.dueAt - frames[i]!.dueAt);
    expect(Math.min(...gaps)).toBeCloseTo(1000 / 30, 3);
    expect(Math.max(...gaps)).toBeCloseTo(1000 / 30, 3);
    vi.advanceTimersByTime(1000);
    expect(frames).toHaveLength(301);
  });

  it('a frame leaves at most a third of an interval after it is due', () => {
    for (const fps of [24, 25, 30, 50, 60]) {
      const pacer = new FramePacer(fps, 0);
      expect(pacer.tickMs).toBeGreaterThanOrEqual(1);
      expect(pacer.tickMs).toBeLessThanOrEqual(pacer.interval / 3);
    }
  });
});
