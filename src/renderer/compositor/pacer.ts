/** A timer may fire this much of an interval early (Chromium rounds timeouts to whole ms). */
const EARLY = 0.1;

/**
 * Output frame pacing on a plain timer: frames are due at `start + n × interval`. `due(now)` says
 * which frame is due (null: none since the last one) and how many were skipped because the timer
 * came a whole interval (or more) late — those are dropped, never drawn in a burst to catch up.
 * `tickMs` is the period of the repeating timer that asks: a third of an interval in whole ms (timers
 * take whole ms), so a frame leaves at most a third of an interval after it is due.
 */
export class FramePacer {
  readonly interval: number;
  readonly tickMs: number;
  private last = -1;

  constructor(
    fps: number,
    private readonly start: number,
  ) {
    this.interval = 1000 / fps;
    this.tickMs = Math.max(1, Math.floor(this.interval / 3));
  }

  due(now: number): { tick: number; missed: number; dueAt: number } | null {
    const tick = Math.floor((now - this.start) / this.interval + EARLY);
    if (tick <= this.last) return null;
    const missed = this.last < 0 ? 0 : tick - this.last - 1;
    this.last = tick;
    return { tick, missed, dueAt: this.start + tick * this.interval };
  }
}
