/**
 * When the program encoder asks for a keyframe: every `intervalSeconds` of media time (by the
 * frames' timestamps, not by counting frames, so a camera that delivers 29.6 fps or drops frames
 * still gets a keyframe every 2 s). The schedule keeps a fixed grid (first keyframe + n ×
 * interval) so the interval does not drift by a frame each GOP; a frame within half a frame of
 * the grid point counts as on time. After a gap longer than a frame past the grid point (frames
 * dropped, the tab stalled) the grid starts again from that frame.
 */
export class KeyframeSchedule {
  private nextUs: number | null = null;
  private readonly intervalUs: number;
  private readonly halfFrameUs: number;

  constructor(intervalSeconds: number, fps: number) {
    this.intervalUs = Math.round(intervalSeconds * 1_000_000);
    this.halfFrameUs = 1_000_000 / fps / 2;
  }

  /**
   * Whether a frame at `timestampUs` would be a keyframe, without counting it: the encoder keeps
   * such a frame even when it is behind (skipping it would stretch the GOP past 2 s).
   */
  due(timestampUs: number): boolean {
    return this.nextUs === null || timestampUs >= this.nextUs - this.halfFrameUs;
  }

  /** Whether the frame at `timestampUs` (µs, increasing) is to be a keyframe; call once per encoded frame. */
  isKey(timestampUs: number): boolean {
    if (this.nextUs === null) {
      this.nextUs = timestampUs + this.intervalUs;
      return true;
    }
    if (timestampUs < this.nextUs - this.halfFrameUs) return false;
    const late = timestampUs - this.nextUs > 2 * this.halfFrameUs;
    this.nextUs = (late ? timestampUs : this.nextUs) + this.intervalUs;
    return true;
  }

  /** The next frame is a keyframe and the grid starts again from it (an output joining the feed asked for one). */
  reset(): void {
    this.nextUs = null;
  }
}

/** Frames waiting in an encoder beyond which a new frame is skipped rather than queued (the encoder is behind; `admission.ts`). */
export const MAX_ENCODE_QUEUE = 3;

