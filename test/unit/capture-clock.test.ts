import { describe, expect, it } from 'vitest';
import { CaptureClock } from '../../src/renderer/program/encoder/capture-clock';
import { FrameGrid } from '../../src/renderer/program/encoder/frame-grid';

const FRAME_US = 33_333;

describe('the encoder’s capture clock', () => {
  it('keeps the spacing the source gave: a sample that arrives late still goes where its timestamp says', () => {
    const clock = new CaptureClock();
    // The source's own clock starts at 5 s; its first frame arrives 1 s into the encoder's clock.
    expect(clock.place(5_000_000, 1_000_000)).toBe(1_000_000);
    expect(clock.place(5_000_000 + FRAME_US, 1_400_000)).toBe(1_000_000 + FRAME_US);
    expect(clock.place(5_000_000 + 2 * FRAME_US, 1_000_000 + 2 * FRAME_US)).toBe(1_000_000 + 2 * FRAME_US);
  });

  it('a stale first frame (a cold worker under load read one 700 ms old) does not put the whole track 700 ms late', () => {
    const clock = new CaptureClock();
    // Captured at 0 on the encoder's clock, read at 700 ms: placed where it arrived, for now.
    expect(clock.place(0, 700_000)).toBe(700_000);
    // The next frames come through in 10 ms: the clock learns that, and places each 10 ms after its
    // capture (where it arrived), no longer 700 ms.
    expect(clock.place(1_000_000, 1_010_000)).toBe(1_010_000);
    for (let index = 1; index <= 90; index++) expect(clock.place(1_000_000 + index * FRAME_US, 1_010_000 + index * FRAME_US)).toBe(1_010_000 + index * FRAME_US);
    // A slower frame later on does not move the clock back.
    expect(clock.place(5_000_000, 5_300_000)).toBe(5_010_000);
  });

  it('a picture whose first frame waited (the cold start) lines up with the sound of the same instant', () => {
    const video = new CaptureClock();
    const audio = new CaptureClock(false);
    // Each source has its own clock; both were captured at 0.5 s on the encoder's clock.
    video.place(77_000_000, 500_000 + 400_000); // read 400 ms late
    audio.place(3_000_000, 500_000 + 5_000);
    // From the next samples on, both come through in 5 ms.
    for (let index = 1; index <= 10; index++) {
      video.place(77_000_000 + index * FRAME_US, 500_000 + index * FRAME_US + 5_000);
      audio.place(3_000_000 + index * 10_000, 500_000 + index * 10_000 + 5_000);
    }
    // The frame and the sound captured at 2.5 s land on the same instant.
    expect(video.place(79_000_000, 2_505_000)).toBe(audio.place(5_000_000, 2_505_000));
  });

  it('after the clock is corrected, the frames that would overlap the ones before are left out by the grid, once', () => {
    const clock = new CaptureClock();
    const grid = new FrameGrid(30);
    const placed: number[] = [];
    const offer = (timestampUs: number, arrivalUs: number) => {
      const at = grid.place(Math.round(clock.place(timestampUs, arrivalUs)));
      if (at) placed.push(at.timestampUs);
    };
    offer(0, 300_000); // stale: placed at 300 ms
    for (let index = 1; index <= 30; index++) offer(index * FRAME_US, index * FRAME_US + 2_000);
    // Frames captured before 300 ms are left out; the rest follow on the grid, in order, one slot apart.
    expect(placed[0]).toBe(300_000);
    expect(placed.length).toBeLessThan(31);
    for (let index = 1; index < placed.length; index++) expect(placed[index]! - placed[index - 1]!).toBeGreaterThanOrEqual(FRAME_US);
    expect(placed.at(-1)!).toBeLessThanOrEqual(30 * FRAME_US + 2_000 + FRAME_US);
  });

  it('the sound’s clock keeps its first offset (the Opus encoder counts its time in samples from its first input)', () => {
    const audio = new CaptureClock(false);
    expect(audio.place(0, 20_000)).toBe(20_000);
    expect(audio.place(10_000, 25_000)).toBe(30_000);
  });
});
