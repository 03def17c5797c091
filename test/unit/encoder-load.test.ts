import { describe, expect, it } from 'vitest';
import { encoderLoad, LOAD_WINDOW, withReport } from '../../src/renderer/program/encoder/encoder-load';
import type { EncoderHealth } from '../../src/renderer/program/encoder/webcodecs-encoder';

/** Reports a second apart: `encoded` and `dropped` frames per second from the start. */
function reports(perSecond: Array<{ encoded: number; dropped: number; queue?: number }>): EncoderHealth[] {
  let window: EncoderHealth[] = [];
  const total = { framesEncoded: 0, framesDropped: 0 };
  window = withReport(window, { ...total, keyframes: 0, framesRepeated: 0, queue: 0, outputs: 0 });
  for (const second of perSecond) {
    total.framesEncoded += second.encoded;
    total.framesDropped += second.dropped;
    window = withReport(window, { ...total, keyframes: 0, framesRepeated: 0, queue: second.queue ?? 0, outputs: total.framesEncoded });
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
    });
  });

  it('a 1080p60 encoder on two cores: 41 fps with 19 skipped a second is overloaded', () => {
    const load = encoderLoad(reports(Array.from({ length: 5 }, () => ({ encoded: 41, dropped: 19, queue: 3 }))), 60, 1000);
    expect(load).toEqual({ encodeFps: 41, skipped: 95, queue: 3, overloaded: true });
  });

  it('one skipped frame now and then is no overload; the window forgets old skips', () => {
    expect(encoderLoad(reports([{ encoded: 29, dropped: 1 }, ...Array.from({ length: 4 }, () => ({ encoded: 30, dropped: 0 }))]), 30, 1000)?.overloaded).toBe(false);
    const burstThenCalm = reports([{ encoded: 10, dropped: 20 }, ...Array.from({ length: LOAD_WINDOW }, () => ({ encoded: 30, dropped: 0 }))]);
    expect(burstThenCalm).toHaveLength(LOAD_WINDOW);
    expect(encoderLoad(burstThenCalm, 30, 1000)).toMatchObject({ skipped: 0, overloaded: false });
  });
});
