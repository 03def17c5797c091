/** What the compositor reports: how long a frame takes to draw, and how many were drawn or dropped. */
export interface CompositorStats {
  /** Time to draw one program frame and hand it on, over the last frames (300 unless told: 10 s at 30 fps) (ms). */
  frameMs: { median: number; p95: number; max: number };
  framesDrawn: number;
  /** Output frames not produced at their time: the timer came late by a whole frame or more, or the consumer was still full. */
  framesDropped: number;
}

export const NO_STATS: CompositorStats = { frameMs: { median: 0, p95: 0, max: 0 }, framesDrawn: 0, framesDropped: 0 };

/** Frames the median and p95 are taken over by default (10 s at 30 fps). */
export const STATS_WINDOW = 300;

/** The nearest-rank percentile `p` (0..100) of ascending `sorted` values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Frame times in a ring of the last `window` frames, and the drawn/dropped counts. */
export class FrameStats {
  private readonly times: number[] = [];
  private next = 0;
  framesDrawn = 0;
  framesDropped = 0;

  constructor(private readonly window = STATS_WINDOW) {}

  drawn(ms: number): void {
    this.framesDrawn += 1;
    if (this.times.length < this.window) this.times.push(ms);
    else this.times[this.next] = ms;
    this.next = (this.next + 1) % this.window;
  }

  dropped(count = 1): void {
    this.framesDropped += count;
  }

  snapshot(): CompositorStats {
    const sorted = [...this.times].sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      frameMs: { median: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1) ?? 0) },
      framesDrawn: this.framesDrawn,
      framesDropped: this.framesDropped,
    };
  }
}
