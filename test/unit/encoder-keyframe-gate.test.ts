import { describe, expect, it } from 'vitest';
import { admit } from '../../src/renderer/program/encoder/admission';
import { KeyframeSchedule, MAX_ENCODE_QUEUE } from '../../src/renderer/program/encoder/gop';
import { previewLegPlan } from '../../src/renderer/program/encoder/preview-leg-config';
import { outputPreset } from '../../src/shared/output';

/** Frames on a 30 fps grid for `seconds`; returns the timestamps (µs) that became keyframes and how many were taken. */
function run(intervalSeconds: number, fps: number, seconds: number, queued: (index: number) => number) {
  const schedule = new KeyframeSchedule(intervalSeconds, fps);
  const keys: number[] = [];
  let taken = 0;
  for (let index = 0; index < seconds * fps; index++) {
    const at = Math.round((index * 1_000_000) / fps);
    const { picture } = admit({ queue: queued(index), maxQueue: MAX_ENCODE_QUEUE, pictureAtUs: at, repeatAtUs: [], keyDue: (slot) => schedule.due(slot) });
    if (!picture) continue;
    taken += 1;
    if (schedule.isKey(at)) keys.push(at);
  }
  return { keys, taken };
}

const gaps = (keys: number[]) => keys.slice(1).map((at, index) => at - keys[index]!);

describe('keyframe cadence while frames are skipped for load', () => {
  const preview = previewLegPlan(outputPreset('720p', 30, null));

  it('the preview leg keeps a keyframe every 8 frames (267 ms) when its encoder is always behind', () => {
    const { keys, taken } = run(preview.keyframeSeconds, 30, 10, () => MAX_ENCODE_QUEUE + 5);
    expect(keys.length).toBe(38);
    for (const gap of gaps(keys)) expect(Math.abs(gap - 266_667)).toBeLessThanOrEqual(1);
    // Behind: only the keyframes were taken.
    expect(taken).toBe(keys.length);
  });

  it('and when it falls behind now and then (a pseudo-random queue), the cadence does not move', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const { keys, taken } = run(preview.keyframeSeconds, 30, 20, () => (random() < 0.6 ? MAX_ENCODE_QUEUE + 1 : 0));
    expect(taken).toBeLessThan(600);
    expect(taken).toBeGreaterThan(keys.length);
    for (const gap of gaps(keys)) expect(Math.abs(gap - 266_667)).toBeLessThanOrEqual(1);
  });

  it('the program keeps its 2 s GOP under the same load', () => {
    const { keys } = run(2, 30, 10, () => MAX_ENCODE_QUEUE + 5);
    expect(gaps(keys)).toEqual([2_000_000, 2_000_000, 2_000_000, 2_000_000]);
  });

  it('a keyframe asked for mid-GOP (an output joined the feed) comes on the next frame, and the 2 s grid starts again from it', () => {
    const schedule = new KeyframeSchedule(2, 30);
    const at = (index: number) => Math.round((index * 1_000_000) / 30);
    const keys: number[] = [];
    for (let index = 0; index < 300; index++) {
      if (index === 75) schedule.reset();
      if (schedule.isKey(at(index))) keys.push(index);
    }
    expect(keys).toEqual([0, 60, 75, 135, 195, 255]);
  });

  it('an encoder that keeps up takes every frame', () => {
    expect(run(preview.keyframeSeconds, 30, 2, () => MAX_ENCODE_QUEUE).taken).toBe(60);
  });
});
