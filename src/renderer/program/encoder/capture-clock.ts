/**
 * The encoder's clock for one track: µs since the encoder started. A track's samples carry their
 * own timestamps (the camera's or the compositor's clock); the first sample's arrival anchors them
 * here, and every later sample keeps its distance from the first, so the spacing the source gave
 * stays. The anchor is late by however long the first sample took to arrive (a cold worker on a
 * busy machine: most of a second). The sample that came through fastest tells how far, so
 * `capturedAt` can place an instant (a Stop recording click) among the samples the source gave then.
 */
export class CaptureClock {
  private offsetUs: number | null = null;
  /** The earliest any sample arrived relative to its place on this clock (µs, ≤ 0). */
  private earliestArrivalUs = 0;

  /** Where the sample with `timestampUs` (the source's clock), arriving at `arrivalUs` (this clock), goes. */
  place(timestampUs: number, arrivalUs: number): number {
    this.offsetUs ??= arrivalUs - timestampUs;
    const placed = timestampUs + this.offsetUs;
    this.earliestArrivalUs = Math.min(this.earliestArrivalUs, arrivalUs - placed);
    return placed;
  }

  /** Where a sample the source gave at `atUs` (this clock's instant) goes. */
  capturedAt(atUs: number): number {
    return atUs - this.earliestArrivalUs;
  }
}
