import { describe, expect, it } from 'vitest';
import { CaptureClock } from '../../src/renderer/program/encoder/capture-clock';

const FRAME_US = 33_333;

describe('the encoder’s capture clock', () => {
  it('keeps the spacing the source gave, anchored at the first sample’s arrival', () => {
    const clock = new CaptureClock();
    // The source's own clock starts at 5 s; its first frame arrives 1 s into the encoder's clock.
    expect(clock.place(5_000_000, 1_000_000)).toBe(1_000_000);
    // A frame that arrives late still goes where its timestamp says.
    expect(clock.place(5_000_000 + FRAME_US, 1_400_000)).toBe(1_000_000 + FRAME_US);
    expect(clock.place(5_000_000 + 2 * FRAME_US, 1_000_000 + 2 * FRAME_US)).toBe(1_000_000 + 2 * FRAME_US);
  });

  it('places a click among the frames the source gave then, though the first frame came 700 ms late (a cold worker under load)', () => {
    const clock = new CaptureClock();
    // Captured at 0 (encoder's clock), arrived at 700 ms: the anchor puts it at 700 ms.
    clock.place(0, 700_000);
    // Until a faster frame comes, nothing says the anchor was late.
    expect(clock.capturedAt(2_000_000)).toBe(2_000_000);
    // The next frames come through in 10 ms: each sits 690 ms later on the clock than it arrived.
    for (let index = 1; index <= 90; index++) clock.place(index * FRAME_US, index * FRAME_US + 10_000);
    // A frame the source gave at 2 s carries 2 s − 690 ms on the source's clock, so it is placed at 2.69 s.
    expect(clock.capturedAt(2_000_000)).toBe(2_690_000);
    expect(clock.place(2_000_000 - 10_000, 2_000_000)).toBe(2_690_000);
  });

  it('a frame slower than the fastest one does not move where a click is placed', () => {
    const clock = new CaptureClock();
    clock.place(0, 0);
    clock.place(FRAME_US, FRAME_US + 500_000);
    expect(clock.capturedAt(1_000_000)).toBe(1_000_000);
  });
});
