import { latencyNow, latencyWindows, MAIN_STAGES, type MainLatency } from '../../../../shared/latency';
import type { FeedPiece } from './feed-piece';

/** Video samples remembered between the stage's stdin and its stdout (beyond this the oldest are forgotten). */
const IN_FLIGHT_MAX = 600;

/**
 * Main's latency stages of the program feed (`src/shared/latency.ts`: `toMain`, `toStage`,
 * `stage`, `toOutputs`), on the same clock as the renderer's marks. Read with `summary()`
 * (`media.latency`); nothing is logged or sent per frame.
 */
export class FeedLatency {
  private readonly stages = latencyWindows(MAIN_STAGES);

  /** A `media.chunk` call the page made at `sentAt` arrived at `at`. */
  arrived(sentAt: number | undefined, at: number): void {
    if (sentAt !== undefined) this.stages.windows.toMain.add(at - sentAt);
  }

  summary(): MainLatency {
    return this.stages.summary();
  }

  /** A transit through one ffmpeg that copies the video (the shared stage), matched by video sample order. */
  transit(): StageTransit {
    return new StageTransit(this.stages.windows);
  }
}

/**
 * One ffmpeg run's video samples in flight: the n-th video sample written to its stdin is the n-th
 * it writes out (it copies the video: none dropped, none added), so each sample's time in the
 * stage is out − in without reading timestamps. A new run starts a new transit.
 */
export class StageTransit {
  private inAt: number[] = [];

  constructor(private readonly windows: ReturnType<typeof latencyWindows<(typeof MAIN_STAGES)[number]>>['windows']) {}

  /** `piece` (of the program feed) was written to the stage's stdin at `at`. */
  written(piece: FeedPiece, at: number = latencyNow()): void {
    const samples = piece.videoSamples ?? 0;
    if (samples === 0) return;
    if (piece.at !== undefined) this.windows.toStage.add(at - piece.at);
    for (let i = 0; i < samples; i++) this.inAt.push(at);
    if (this.inAt.length > IN_FLIGHT_MAX) this.inAt.splice(0, this.inAt.length - IN_FLIGHT_MAX);
  }

  /** The stage put out `pieces` at `outAt`; they were handed to every output by `deliveredAt`. */
  out(pieces: readonly FeedPiece[], outAt: number, deliveredAt: number): void {
    for (const piece of pieces) {
      const samples = piece.videoSamples ?? 0;
      if (samples === 0) continue;
      for (const inAt of this.inAt.splice(0, samples)) this.windows.stage.add(outAt - inAt);
      this.windows.toOutputs.add(deliveredAt - outAt);
    }
  }
}
