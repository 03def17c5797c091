/**
 * Puts one track's samples (the program's video frames, the microphone's audio) on the encoder's
 * clock: µs since the page asked for the encoder, where a sample's time is its own timestamp plus
 * one offset per track, so that it lands at about the moment it was captured. The tracks' own
 * timestamps have no common base (a camera's are the monotonic clock since boot, the compositor's
 * its worker's `performance.now()`, the audio's the page's), so the offsets decide both the A/V
 * sync and how long the muxer holds the video: mediabunny writes a video frame only once audio at
 * or past its time is queued, so video stamped ahead of the audio waits that long in the worker.
 *
 * The offset was once taken from each track's first sample. Measured with the latency split
 * (README, "Latency where it is spent"): the worker's first frame and first audio buffer are the
 * oldest its transferred streams held while it started — seconds old on a busy machine — so the
 * video ran that far ahead of its arrival and every frame waited in the muxer for the audio to
 * catch up; and the first few audio buffers carried timestamps from another base than the rest
 * (24.6 s ahead of the steady stream, once).
 *
 * So a track first **settles**: for `settleUs` after its first sample its samples are held, and
 * those of the window's second half find the anchor — the least-delayed sample, the smallest
 * arrival − timestamp (the stale burst and another base's samples come first). Then the whole
 * window is released on that offset, except what it places before the start request (the stale
 * burst: captured before the page asked for the encoder) or after the sample's own arrival by more
 * than `OTHER_BASE_SLACK_US` (a timestamp on another base). From then on the offset stays. (Leaving
 * the window out instead cost a recording that starts at Record its first 0.5 s — ~1 s of real
 * media on a busy machine, since the worker itself starts late — and the crash-safe file came out
 * short. Re-anchoring later as well, whenever samples came early or late, made it worse under
 * load: the compositor's frames arrive with seconds of jitter there, each re-anchor froze or gapped
 * the video, and the audio's own timestamps jitter by several ms per 10 ms buffer.)
 *
 * A settling track holds at most `maxHold` samples (a video track 15: held frames keep the capture's
 * buffers); past that it lets go of the one whose neighbours are closest in time, so the window
 * keeps its span and the encoder fills the gaps with repeats.
 */
export const TRACK_SETTLE_US = 500_000;
/** Frames a settling video track holds at most. */
export const VIDEO_SETTLE_HOLD = 15;
/** How far past its arrival a released sample may land before it counts as on another time base. */
export const OTHER_BASE_SLACK_US = 100_000;

export interface TrackClockOptions<T> {
  settleUs?: number;
  maxHold?: number;
  /** Where the start request lies on the encoder's clock (µs); what lands before it is left out. */
  startUs?: number;
  /** A sample left out (its resources to free). */
  drop: (sample: T) => void;
}

export interface Placed<T> {
  sample: T;
  /** Its time on the encoder's clock (µs). */
  atUs: number;
}

interface Held<T> {
  sample: T;
  timestampUs: number;
  arrivalUs: number;
}

export class TrackClock<T> {
  private readonly settleUs: number;
  private readonly maxHold: number;
  private readonly startUs: number;
  private readonly drop: (sample: T) => void;
  private held: Array<Held<T>> = [];
  private firstUs: number | null = null;
  private candidateUs: number | null = null;
  private offsetUs: number | null = null;

  constructor(options: TrackClockOptions<T>) {
    this.settleUs = options.settleUs ?? TRACK_SETTLE_US;
    this.maxHold = Math.max(2, options.maxHold ?? Infinity);
    this.startUs = options.startUs ?? 0;
    this.drop = options.drop;
  }

  /** Whether the track is still settling (its samples held). */
  settling(): boolean {
    return this.offsetUs === null;
  }

  /**
   * A sample that reached the encoder at `arrivalUs` (the encoder's clock). Returns the samples to
   * encode now, in order: none while the track settles, then the window's batch, then each one as it comes.
   */
  push(sample: T, timestampUs: number, arrivalUs: number): Array<Placed<T>> {
    if (this.offsetUs !== null) return [{ sample, atUs: timestampUs + this.offsetUs }];
    this.firstUs ??= arrivalUs;
    const offsetUs = arrivalUs - timestampUs;
    if (arrivalUs >= this.firstUs + this.settleUs / 2) this.candidateUs = Math.min(this.candidateUs ?? offsetUs, offsetUs);
    this.held.push({ sample, timestampUs, arrivalUs });
    if (arrivalUs < this.firstUs + this.settleUs) {
      if (this.held.length > this.maxHold) this.thin();
      return [];
    }
    return this.settle();
  }

  /** Settles on what is held (the encoder stops before the window ended) and returns it; [] once settled. */
  drain(): Array<Placed<T>> {
    if (this.offsetUs !== null || this.held.length === 0) return [];
    return this.settle();
  }

  private settle(): Array<Placed<T>> {
    const offsetUs = this.candidateUs ?? Math.min(...this.held.map((held) => held.arrivalUs - held.timestampUs));
    this.offsetUs = offsetUs;
    const out: Array<Placed<T>> = [];
    for (const held of this.held.splice(0)) {
      const atUs = held.timestampUs + offsetUs;
      const previous = out.at(-1)?.atUs ?? -Infinity;
      if (atUs < this.startUs || atUs > held.arrivalUs + OTHER_BASE_SLACK_US || atUs <= previous) this.drop(held.sample);
      else out.push({ sample: held.sample, atUs });
    }
    return out;
  }

  /** Lets go of the held sample (not the first or last) whose neighbours are closest in time. */
  private thin(): void {
    let best = 1;
    for (let i = 2; i < this.held.length - 1; i++) {
      if (this.held[i + 1]!.timestampUs - this.held[i - 1]!.timestampUs < this.held[best + 1]!.timestampUs - this.held[best - 1]!.timestampUs) best = i;
    }
    const [gone] = this.held.splice(best, 1);
    this.drop(gone!.sample);
  }
}
