/**
 * Puts one track's samples (the program's video frames, the microphone's audio) on the encoder's
 * clock: µs since the encoder started, where a sample's time is its own timestamp plus an offset
 * so that it lands at about the moment it reached the encoder. Both tracks are anchored this way
 * (their own timestamps have no common base: a camera's are the monotonic clock since boot, the
 * compositor's its worker's `performance.now()`, the audio's the page's), so the offset decides
 * both the A/V sync and how long the muxer holds the video: mediabunny writes a video frame only
 * once audio at or past its time is queued, so video stamped ahead of the audio waits that long.
 *
 * Measured with the latency split (README, "Latency where it is spent"): anchored on each track's
 * first sample, a worker that took seconds to start under load got a stale first frame and a stale
 * first audio buffer (the oldest a transferred stream held), the video then ran seconds ahead of
 * its arrival, and every frame waited in the muxer (0.77 s at load 9, 3.7–5.2 s at 18–33); the
 * audio's own timestamps also jumped back ~25 s once. So:
 * - **Settle**: for its first `settleUs` a track only finds its anchor — the least-delayed sample,
 *   the smallest arrival − timestamp — and its samples are left out (the first half second).
 * - **Early**: a sample that arrives more than `earlyUs` before its time on the clock proves the
 *   anchor stale or the source's timestamps jumped ahead: the track is re-anchored on it (its next
 *   samples land on times already used: the frame grid and the audio guard leave those out).
 * - **Late**: when every sample for `lateForUs` arrives more than `lateUs` after its time (the
 *   source's clock runs slow, or jumped back), the track is re-anchored (a gap; the frame grid
 *   fills short ones). A short stall of the worker, after which fresh samples come on time, is not.
 */
export const TRACK_SETTLE_US = 500_000;
export const TRACK_EARLY_US = 50_000;
export const TRACK_LATE_US = 300_000;
export const TRACK_LATE_FOR_US = 1_000_000;

export class TrackClock {
  private offsetUs: number | null = null;
  private settledAtUs = 0;
  private lateSinceUs: number | null = null;
  /** Times the track was re-anchored after it settled. */
  resyncs = 0;

  constructor(
    private readonly settleUs = TRACK_SETTLE_US,
    private readonly earlyUs = TRACK_EARLY_US,
    private readonly lateUs = TRACK_LATE_US,
    private readonly lateForUs = TRACK_LATE_FOR_US,
  ) {}

  /** The sample's time (µs) on the encoder's clock; null while the track settles (the sample is left out). */
  map(timestampUs: number, arrivalUs: number): number | null {
    const offsetUs = arrivalUs - timestampUs;
    if (this.offsetUs === null) {
      this.offsetUs = offsetUs;
      this.settledAtUs = arrivalUs + this.settleUs;
    }
    if (arrivalUs < this.settledAtUs) {
      this.offsetUs = Math.min(this.offsetUs, offsetUs);
      return null;
    }
    // How long after its time on the clock the sample arrived.
    const lagUs = offsetUs - this.offsetUs;
    if (lagUs < -this.earlyUs) {
      this.reanchor(offsetUs);
    } else if (lagUs > this.lateUs) {
      this.lateSinceUs ??= arrivalUs;
      if (arrivalUs - this.lateSinceUs >= this.lateForUs) this.reanchor(offsetUs);
    } else {
      this.lateSinceUs = null;
    }
    return timestampUs + this.offsetUs;
  }

  private reanchor(offsetUs: number): void {
    this.offsetUs = offsetUs;
    this.lateSinceUs = null;
    this.resyncs += 1;
  }
}
