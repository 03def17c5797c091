/**
 * What of a late program frame goes to the encoder: the frame itself, and the repeats of the last
 * picture for the grid slots it left empty (`frame-grid.ts`). The new picture comes first: a repeat
 * never takes its place in a busy encoder — otherwise an encoder that is behind fills its queue with
 * copies of an old picture and drops every new one, and viewers see a still picture at full frame
 * rate. A slot a keyframe is due in is always encoded (the GOP stays 2 s).
 */
export interface Admission {
  /** The repeat slots (µs) to encode, in order. */
  repeats: number[];
  /** Whether the new picture is encoded (false: skipped, the encoder is behind). */
  picture: boolean;
}

export function admit(options: {
  /** Frames waiting in the encoder now. */
  queue: number;
  /** Frames beyond which the encoder counts as behind. */
  maxQueue: number;
  /** The new picture's slot (µs) and the empty slots before it. */
  pictureAtUs: number;
  repeatAtUs: readonly number[];
  /** Whether a keyframe is due in the slot at `atUs` (due from some slot on: the schedule's grid point). */
  keyDue: (atUs: number) => boolean;
}): Admission {
  const { queue, maxQueue, pictureAtUs, repeatAtUs, keyDue } = options;
  // The first slot a keyframe is due in takes it; the next one is 2 s later, past these slots.
  const slots = [...repeatAtUs, pictureAtUs];
  const keyIndex = slots.findIndex((at) => keyDue(at));
  const picture = queue <= maxQueue || keyIndex === slots.length - 1;
  // Room left for repeats once the picture has its place (none when the picture itself is skipped).
  let room = picture ? Math.max(0, maxQueue - queue) : 0;
  const repeats: number[] = [];
  repeatAtUs.forEach((at, index) => {
    if (index === keyIndex) repeats.push(at);
    else if (room > 0) {
      repeats.push(at);
      room -= 1;
    }
  });
  return { repeats, picture };
}
