import { describe, expect, it } from 'vitest';
import { admit } from '../../src/renderer/program/encoder/admission';

const SLOT = 16_667;
/** Slots 1..n before the picture at slot n+1 (µs). */
const late = (empty: number) => ({ repeatAtUs: Array.from({ length: empty }, (_, i) => (i + 1) * SLOT), pictureAtUs: (empty + 1) * SLOT });
const never = () => false;

describe('what of a late program frame the encoder takes (new picture first, keyframes always)', () => {
  it('an encoder with room: every empty slot gets the last picture again, then the new picture', () => {
    expect(admit({ queue: 0, maxQueue: 3, ...late(2), keyDue: never })).toEqual({ repeats: [SLOT, 2 * SLOT], picture: true });
  });

  it('a busy encoder (queue at its bound): the new picture is taken, the repeats are not', () => {
    // Before: the repeats filled the queue and the new picture was dropped, frame after frame, so
    // viewers saw an old picture at full rate (0.8 new pictures a second at 1080p60 on two cores).
    expect(admit({ queue: 3, maxQueue: 3, ...late(3), keyDue: never })).toEqual({ repeats: [], picture: true });
    expect(admit({ queue: 2, maxQueue: 3, ...late(3), keyDue: never })).toEqual({ repeats: [SLOT], picture: true });
  });

  it('an encoder behind (queue past its bound): nothing is taken, unless a keyframe is due in it', () => {
    expect(admit({ queue: 4, maxQueue: 3, ...late(2), keyDue: never })).toEqual({ repeats: [], picture: false });
    // The keyframe falls on the new picture: it is taken; the repeats before it are not.
    expect(admit({ queue: 4, maxQueue: 3, ...late(2), keyDue: (at) => at >= 3 * SLOT })).toEqual({ repeats: [], picture: true });
    // The keyframe falls on an empty slot: that repeat is encoded (the GOP stays 2 s); the new picture waits its turn.
    expect(admit({ queue: 4, maxQueue: 3, ...late(2), keyDue: (at) => at >= 2 * SLOT })).toEqual({ repeats: [2 * SLOT], picture: false });
  });

  it('only the first due slot is the keyframe: the slots after it are not forced in', () => {
    expect(admit({ queue: 5, maxQueue: 3, ...late(3), keyDue: (at) => at >= SLOT })).toEqual({ repeats: [SLOT], picture: false });
  });
});
