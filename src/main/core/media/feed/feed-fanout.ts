import { FeedJoin } from './feed-join';
import type { FeedPiece } from './feed-piece';
import { type FeedFormat, FeedFramer } from './framing';

/** What a fan-out feeds: the pieces its framer cut, in order (an output's `write`). */
export interface FeedSink {
  write(piece: FeedPiece): void;
}

/**
 * The program feed to many outputs, cut into pieces once (its FeedFramer) for all of them. An
 * output added while the feed runs gets the init segment first and then the feed from the next
 * fragment (or TS packet) start, so it sees a well-formed stream of its own; an output added
 * before the first byte gets every byte. A sink that throws disturbs no other sink.
 */
export class FeedFanout {
  private readonly framer: FeedFramer;
  private readonly sinks = new Map<FeedSink, FeedJoin>();
  private started = false;

  constructor(format?: FeedFormat) {
    this.framer = new FeedFramer(format);
  }

  get size(): number {
    return this.sinks.size;
  }

  add(sink: FeedSink): void {
    if (!this.sinks.has(sink)) this.sinks.set(sink, new FeedJoin(!this.started));
  }

  remove(sink: FeedSink): void {
    this.sinks.delete(sink);
  }

  /** Whether an output added mid-stream still waits for the next start (a fragment that begins with a keyframe). */
  waiting(): boolean {
    for (const join of this.sinks.values()) if (join.waiting) return true;
    return false;
  }

  /**
   * Cuts `bytes` and hands the pieces to every sink; returns the pieces. `at`: when the bytes
   * arrived (`latencyNow()`), carried on each piece for the latency stages behind it.
   */
  write(bytes: Uint8Array, at?: number): FeedPiece[] {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pieces = this.framer.push(buffer);
    if (at !== undefined) for (const piece of pieces) piece.at = at;
    this.started = true;
    for (const [sink, join] of this.sinks) {
      for (const piece of pieces) join.pass(piece, (taken) => deliver(sink, taken));
    }
    return pieces;
  }
}

function deliver(sink: FeedSink, piece: FeedPiece): void {
  try {
    sink.write(piece);
  } catch {
    // One output's failure is its own business.
  }
}
