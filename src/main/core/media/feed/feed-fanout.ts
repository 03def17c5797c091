import { type FeedFormat, FeedFramer } from './framing';

export interface FeedSink {
  write(bytes: Uint8Array): void;
}

/**
 * The program feed to many outputs. An output added while the feed runs gets the MP4 init
 * segment first and then the feed from the next fragment (or TS packet) start, so it sees a
 * well-formed stream of its own; an output added before the first byte gets every byte.
 * A sink that throws is cut off from nothing and disturbs no other sink.
 */
export class FeedFanout {
  private readonly framer: FeedFramer;
  private readonly sinks = new Map<FeedSink, { synced: boolean }>();
  private started = false;

  constructor(format?: FeedFormat) {
    this.framer = new FeedFramer(format);
  }

  get size(): number {
    return this.sinks.size;
  }

  add(sink: FeedSink): void {
    if (!this.sinks.has(sink)) this.sinks.set(sink, { synced: !this.started });
  }

  remove(sink: FeedSink): void {
    this.sinks.delete(sink);
  }

  write(bytes: Uint8Array): void {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pieces = this.framer.push(buffer);
    this.started = true;
    for (const [sink, entry] of this.sinks) {
      for (const piece of pieces) {
        if (!entry.synced) {
          if (!piece.boundary) continue;
          entry.synced = true;
          const init = this.framer.init;
          if (init) deliver(sink, init);
        }
        deliver(sink, piece.data);
      }
    }
  }
}

function deliver(sink: FeedSink, data: Buffer): void {
  try {
    sink.write(data);
  } catch {
    // One output's failure is its own business.
  }
}
