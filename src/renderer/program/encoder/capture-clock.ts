/**
 * The encoder's clock for one track: µs since the encoder started. A track's samples carry their
 * own timestamps (the camera's, the compositor's or the microphone's clock); this places them where
 * they were captured on the encoder's clock, so the picture and the sound placed here line up and
 * a Stop recording click can be found among them.
 *
 * The offset between the two clocks is the smallest arrival − timestamp seen so far: the sample
 * that came through fastest. Anchoring at the first sample instead put a whole track late by however
 * long that sample had waited — a cold worker on a busy machine read a frame 0.4–0.9 s old first —
 * and so the picture played that much after its sound, the muxer held every frame that long for the
 * audio of the same time, and a recording's end lost it. When a faster sample lowers the offset,
 * the frames after it are placed earlier than the ones before, and `FrameGrid` leaves out those that
 * would overlap them: once, at the start, a skip of what the stale frame had held back.
 */
export class CaptureClock {
  private offsetUs: number | null = null;

  /**
   * `learns` false: the offset stays the first sample's. For sound: the Opus encoder counts its
   * output's time in samples from its first input, so moving later inputs would only make their
   * timestamps disagree with what comes out (and leaving samples out would put the sound behind).
   */
  constructor(private readonly learns = true) {}

  /** Where the sample with `timestampUs` (the source's clock), arriving at `arrivalUs` (this clock), goes. */
  place(timestampUs: number, arrivalUs: number): number {
    const offset = arrivalUs - timestampUs;
    if (this.offsetUs === null || (this.learns && offset < this.offsetUs)) this.offsetUs = offset;
    return timestampUs + this.offsetUs;
  }
}
