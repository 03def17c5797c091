import { latencyNow, latencyWindows, type LatencySummary } from '../../../shared/latency';

/** Frames remembered between `encode()` and the encoder's output (a frame the encoder never puts out is forgotten). */
const PENDING_MAX = 120;

/**
 * The worker's two latency stages (`src/shared/latency.ts`): `encode` — a program frame reaches the
 * worker → the VideoEncoder puts it out; `mux` — put out → its fMP4 fragment is cut. Frames are
 * matched by their timestamp on the encoder's clock; the figures ride on the health report.
 */
export class EncoderLatency {
  private readonly stages = latencyWindows(['encode', 'mux'] as const);
  private readonly pending = new Map<number, number>();

  /** The frame that will be encoded at `timestampUs` reached the worker at `at`. */
  frameIn(timestampUs: number, at: number): void {
    if (this.pending.size >= PENDING_MAX) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(timestampUs, at);
  }

  /** The encoder put out the frame of `timestampUs` at `at`. */
  encoded(timestampUs: number, at: number = latencyNow()): void {
    const arrived = this.pending.get(timestampUs);
    if (arrived === undefined) return;
    this.pending.delete(timestampUs);
    this.stages.windows.encode.add(at - arrived);
  }

  /** A video sample's fragment was cut `ms` after it was encoded. */
  readonly muxed = (ms: number): void => this.stages.windows.mux.add(ms);

  summary(): { encode: LatencySummary; mux: LatencySummary } {
    return this.stages.summary();
  }
}
