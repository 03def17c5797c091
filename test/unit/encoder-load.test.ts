import { describe, expect, it } from 'vitest';
import { encoderLoad, LOAD_WINDOW, withReport } from '../../src/renderer/program/encoder/encoder-load';
import type { EncoderHealth } from '../../src/renderer/program/encoder/webcodecs-encoder';

/** Reports a second apart: `encoded` and `dropped` frames per second from the start. */
function reports(perSecond: Array<{ encoded: number; dropped: number; repeated?: number; queue?: number }>): EncoderHealth[] {
  let window: EncoderHealth[] = [];
  const total = { framesEncoded: 0, framesDropped: 0, framesRepeated: 0 };
  window = withReport(window, { ...total, keyframes: 0, queue: 0, outputs: 0 });
  for (const second of perSecond) {
    total.framesEncoded += second.encoded;
    total.framesDropped += second.dropped;
    total.framesRepeated += second.repeated ?? 0;
    window = withReport(window, { ...total, keyframes: 0, queue: second.queue ?? 0, outputs: total.framesEncoded });
  }
  return window;
}

describe('the encoder load (encode rate, frames skipped, the overload warning)', () => {
  it('says nothing before two reports', () => {
    expect(encoderLoad(reports([]), 30, 1000)).toBeNull();
  });

  it('an encoder that keeps up: 30 fps, nothing skipped, not overloaded', () => {
    expect(encoderLoad(reports([{ encoded: 30, dropped: 0 }, { encoded: 30, dropped: 0, queue: 1 }]), 30, 1000)).toEqual({
      encodeFps: 30,
      skipped: 0,
      queue: 1,
      overloaded: false,
      programFps: 30,
      targetFps: 30,
      lagging: false,
    });
  });

  it('a 1080p60 encoder on two cores: 41 fps with 19 skipped a second is overloaded', () => {
    const load = encoderLoad(reports(Array.from({ length: 5 }, () => ({ encoded: 41, dropped: 19, queue: 3 }))), 60, 1000);
    expect(load).toEqual({ encodeFps: 41, skipped: 95, queue: 3, overloaded: true, programFps: 41, targetFps: 60, lagging: true });
  });

  it('one skipped frame now and then is no overload; the window forgets old skips', () => {
    expect(encoderLoad(reports([{ encoded: 29, dropped: 1 }, ...Array.from({ length: 4 }, () => ({ encoded: 30, dropped: 0 }))]), 30, 1000)?.overloaded).toBe(false);
    const burstThenCalm = reports([{ encoded: 10, dropped: 20 }, ...Array.from({ length: LOAD_WINDOW }, () => ({ encoded: 30, dropped: 0 }))]);
    expect(burstThenCalm).toHaveLength(LOAD_WINDOW);
    expect(encoderLoad(burstThenCalm, 30, 1000)).toMatchObject({ skipped: 0, overloaded: false });
  });

  it('a program drawn at 22 of 60 fps: the encoder keeps up by repeating pictures, but the program lags', () => {
    const load = encoderLoad(reports(Array.from({ length: 5 }, () => ({ encoded: 60, dropped: 0, repeated: 38 }))), 60, 1000);
    expect(load).toMatchObject({ encodeFps: 60, skipped: 0, overloaded: false, programFps: 22, lagging: true });
  });

  it('a late picture now and then (a few repeats) is no lag; gaps count against the rate as well', () => {
    expect(encoderLoad(reports(Array.from({ length: 5 }, () => ({ encoded: 30, dropped: 0, repeated: 2 }))), 30, 1000)).toMatchObject({ programFps: 28, lagging: false });
    // Stalls longer than the grid fills leave gaps: fewer frames encoded at all.
    expect(encoderLoad(reports(Array.from({ length: 5 }, () => ({ encoded: 24, dropped: 0 }))), 30, 1000)).toMatchObject({ encodeFps: 24, programFps: 24, lagging: true });
  });
});
