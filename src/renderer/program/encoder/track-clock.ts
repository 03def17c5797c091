/**
 * Puts one track's samples (the program's video frames, the microphone's audio) on the encoder's
 * clock: µs since the encoder started, where a sample's time is its own timestamp plus one offset
 * per track, so that it lands at about the moment it reached the encoder. The tracks' own
 * timestamps have no common base (a camera's are the monotonic clock since boot, the compositor's
 * its worker's `performance.now()`, the audio's the page's), so the offsets decide both the A/V
 * sync and how long the muxer holds the video: mediabunny writes a video frame only once audio at
 * or past its time is queued, so video stamped ahead of the audio waits that long in the worker.
 *
 * The offset was taken from each track's first sample. Measured with the latency split (README,
 * "Latency where it is spent"): the worker's first frame and first audio buffer are the oldest its
 * transferred streams held while it started — seconds old on a busy machine — so the video ran
 * that far ahead of its arrival and every frame waited in the muxer for the audio to catch up
 * (the `mux` stage: 0.77 s at load average 9, 3.7–5.2 s at 18–33); and the first few audio buffers
 * carried timestamps from another base than the rest (24.6 s ahead of the steady stream, once).
 * So a track first **settles**: for the first half of `settleUs` after its first sample its samples
 * are left out (the burst of stale ones the worker finds waiting), for the second half they only
 * find the anchor — the least-delayed sample, the smallest arrival − timestamp — and are left out
 * too; from then on the offset stays. (Re-anchoring later as well, whenever samples came early or
 * late, was tried and made it worse under load: the compositor's frames arrive with seconds of
 * jitter there, each re-anchor froze or gapped the video, and the audio's own timestamps jitter by
 * several ms per 10 ms buffer.)
 */
export const TRACK_SETTLE_US = 500_000;

export class TrackClock {
  private firstUs: number | null = null;
  private candidateUs: number | null = null;
  private offsetUs: number | null = null;

  constructor(private readonly settleUs = TRACK_SETTLE_US) {}

  /** The sample's time (µs) on the encoder's clock; null while the track settles (the sample is left out). */
  map(timestampUs: number, arrivalUs: number): number | null {
    const offsetUs = arrivalUs - timestampUs;
    if (this.offsetUs === null) {
      this.firstUs ??= arrivalUs;
      if (arrivalUs < this.firstUs + this.settleUs / 2) return null;
      if (arrivalUs < this.firstUs + this.settleUs) {
        this.candidateUs = Math.min(this.candidateUs ?? offsetUs, offsetUs);
        return null;
      }
      this.offsetUs = Math.min(this.candidateUs ?? offsetUs, offsetUs);
    }
    return timestampUs + this.offsetUs;
  }
}
