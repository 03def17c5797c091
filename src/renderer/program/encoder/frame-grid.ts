/**
 * Constant frame rate for the program encoder. Frames are placed on a grid of `fps` slots
 * (µs, from the first frame): a frame takes the nearest free slot after the last one, a frame
 * that comes less than ¾ of a slot after the previous one (a camera faster than the preset) is
 * left out, and the empty slots a late frame leaves behind it (the compositor or the page missed
 * its time) are handed back to be filled with the last picture — so a platform receives `fps`
 * frames a second while the program is briefly late, as OBS's output does. A gap longer than
 * `maxFill` slots is a stall, not jitter: it stays a gap.
 */
export interface Placement {
  /** This frame's timestamp on the grid (µs). */
  timestampUs: number;
  /** Timestamps (µs, ascending) of the empty slots before it, to repeat the last picture at. */
  repeatAtUs: number[];
}

export class FrameGrid {
  private readonly slotUs: number;
  private originUs: number | null = null;
  private lastSlot = -1;
  private lastArrivalUs = -Infinity;

  constructor(
    fps: number,
    private readonly maxFill = Math.ceil(fps / 2),
  ) {
    this.slotUs = 1_000_000 / fps;
  }

  /** Where the frame that arrived with `timestampUs` goes, or null when it is left out. */
  place(timestampUs: number): Placement | null {
    if (timestampUs - this.lastArrivalUs < this.slotUs * 0.75) return null;
    this.lastArrivalUs = timestampUs;
    this.originUs ??= timestampUs;
    const slot = Math.max(this.lastSlot + 1, Math.round((timestampUs - this.originUs) / this.slotUs));
    const empty = this.lastSlot < 0 ? 0 : slot - this.lastSlot - 1;
    const repeatAtUs = empty > 0 && empty <= this.maxFill ? Array.from({ length: empty }, (_, i) => this.at(this.lastSlot + 1 + i)) : [];
    this.lastSlot = slot;
    return { timestampUs: this.at(slot), repeatAtUs };
  }

  private at(slot: number): number {
    return Math.round(this.originUs! + slot * this.slotUs);
  }
}
