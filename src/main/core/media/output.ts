/**
 * The one output contract of the media plane: every output that turns the program feed into
 * something — the HLS ingest of the local preview, an RTMP push per destination, the recording
 * file, the shared audio stage in front of the destinations — fills the same table of operations
 * (as every OBS output fills `obs_output_info`), each on the one ffmpeg runner (`FfmpegProcess`).
 *
 * - `start()` starts the output (its ffmpeg); a refusal throws or becomes a `failed` state, as the output says.
 * - `write(piece)` hands it the next piece of the feed, as the feed's framer cut it; never blocks,
 *   never throws — an output that falls behind deals with it itself (drop, restart, fail).
 * - `stop()` lets ffmpeg finish what it has (killed after the output's bound) and resolves with
 *   the state the output ended in; never rejects.
 * - `state()` / `health()` now, and the same as `state` / `health` events; `log` carries ffmpeg's lines.
 * - `processId()`: the ffmpeg running for it now, or null.
 */
import { EventEmitter } from 'node:events';
import type { FeedPiece } from './feed/feed-piece';

export interface MediaOutputEvents<State, Health> {
  state: [State];
  health: [Health];
  /** ffmpeg's diagnostics, one line at a time (masked where they could carry a secret). */
  log: [string];
}

export interface MediaOutput<State extends { state: string }, Health> extends EventEmitter<MediaOutputEvents<State, Health>> {
  start(): void | Promise<void>;
  write(piece: FeedPiece): void;
  stop(): Promise<State>;
  state(): State;
  health(): Health;
  processId(): number | null;
}

/** What every output shares: its events, and its state kept and announced in one place. */
export abstract class OutputBase<State extends { state: string }, Health>
  extends EventEmitter<MediaOutputEvents<State, Health>>
  implements MediaOutput<State, Health>
{
  private current: State;

  protected constructor(initial: State) {
    super();
    this.current = initial;
  }

  abstract start(): void | Promise<void>;
  abstract write(piece: FeedPiece): void;
  abstract stop(): Promise<State>;
  abstract health(): Health;
  abstract processId(): number | null;

  state(): State {
    return this.current;
  }

  protected setState(state: State): void {
    this.current = state;
    this.emit('state', state);
  }
}
