import { randomBytes } from 'node:crypto';
import type { MediaChunkAck } from '../../../../shared/media';
import { StudioError } from '../../../../shared/errors';
import { latencyNow } from '../../../../shared/latency';
import { FeedFanout, type FeedSink } from './feed-fanout';
import { FeedLatency } from './feed-latency';

/**
 * Why the program feed is wanted: a broadcast (the local preview), destinations, a recording, …
 * The renderer's `media.open` is accepted while at least one reason holds.
 */
export type FeedReason = 'broadcast' | 'destinations' | 'recording' | (string & {});

/** A sink that wants to know when a new feed (a new init segment) starts or the feed ends. */
export interface ProgramFeedSink extends FeedSink {
  /** A new ingest opened; bytes from its first byte follow. */
  feedStarted?(info: { ingestId: string; mimeType: string }): void;
  /** The ingest was closed (by the renderer or because nothing needs it any more). */
  feedEnded?(): void;
  /**
   * Backpressure: true when this sink cannot take `bytes` more now. Only sinks that must not
   * lose a byte (the preview's packager) say so; the chunk is then refused with
   * `media.backpressure` for every sink and the renderer sends it again.
   */
  wouldBlock?(bytes: number): boolean;
}

export interface FeedSession {
  ingestId: string;
  mimeType: string;
  expectedSeq: number;
  fanout: FeedFanout;
  bytes: number;
}

/** Bound advertised to the renderer when no sink bounds it (the outputs queue and drop on their own). */
export const PROGRAM_FEED_QUEUE_BYTES = 8 * 1024 * 1024;

/**
 * The program feed, once: chunks arrive in order (seq), each goes once into a FeedFanout whose
 * outputs are the sinks added here (the local preview's ingest, one RTMP output per destination,
 * a recording). A sink added while the feed runs joins at the next fragment that starts with a
 * keyframe, with the init segment first; until it has joined, every chunk's acknowledgement says
 * `keyframeWanted` so that the encoder makes that keyframe now rather than at its next GOP (a
 * recording then starts at the Record click, not up to 2 s later). A sink that throws disturbs nobody.
 */
export class ProgramFeed {
  private readonly reasons = new Set<FeedReason>();
  private readonly sinks = new Set<ProgramFeedSink>();
  private session: FeedSession | null = null;
  private readonly listeners = new Set<() => void>();
  /** Where this feed's latency goes in main (the stage records its part; `media.latency` reads it). */
  readonly latency = new FeedLatency();

  /** Something needs the feed from now on. */
  need(reason: FeedReason): void {
    if (this.reasons.has(reason)) return;
    this.reasons.add(reason);
    this.changed();
  }

  /** `reason` no longer needs the feed; when nothing does, the current ingest ends. */
  release(reason: FeedReason): void {
    if (!this.reasons.delete(reason)) return;
    if (this.reasons.size === 0) this.end();
    this.changed();
  }

  needed(): boolean {
    return this.reasons.size > 0;
  }

  neededBy(): FeedReason[] {
    return [...this.reasons];
  }

  /** Called when the reasons change (the renderer may then open or close its feed). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(sink: ProgramFeedSink): void {
    if (this.sinks.has(sink)) return;
    this.sinks.add(sink);
    if (this.session) {
      safely(() => sink.feedStarted?.({ ingestId: this.session!.ingestId, mimeType: this.session!.mimeType }));
      this.session.fanout.add(sink);
    }
  }

  remove(sink: ProgramFeedSink): void {
    if (!this.sinks.delete(sink)) return;
    this.session?.fanout.remove(sink);
  }

  current(): Readonly<FeedSession> | null {
    return this.session;
  }

  /** A new ingest: the previous one (if any) ends; every sink sees the new feed from its first byte. */
  open(mimeType: string, notLive: () => StudioError, ingestId?: string): FeedSession {
    if (!this.needed()) throw notLive();
    this.end();
    const session: FeedSession = { ingestId: ingestId ?? randomBytes(12).toString('hex'), mimeType, expectedSeq: 0, fanout: new FeedFanout(), bytes: 0 };
    this.session = session;
    for (const sink of this.sinks) {
      safely(() => sink.feedStarted?.({ ingestId: session.ingestId, mimeType }));
      session.fanout.add(sink);
    }
    return session;
  }

  /** The next chunk of the feed; `sentAt`: when the page sent it (the latency clock), if it says. */
  chunk(ingestId: string, seq: number, data: Uint8Array, sentAt?: number): MediaChunkAck {
    const arrivedAt = latencyNow();
    const session = this.session;
    if (!session || session.ingestId !== ingestId) throw new StudioError('media.not_live', 'This program feed is no longer being received.');
    if (seq !== session.expectedSeq) {
      throw new StudioError('media.ingest_failed', `Chunk ${seq} arrived, ${session.expectedSeq} was expected.`, { reason: 'sequence' });
    }
    for (const sink of this.sinks) {
      if (blocks(sink, data.byteLength)) throw new StudioError('media.backpressure', 'An output is behind; send this chunk again shortly.');
    }
    session.expectedSeq += 1;
    session.bytes += data.byteLength;
    this.latency.arrived(sentAt, arrivedAt);
    session.fanout.write(data, arrivedAt);
    return { seq, queuedBytes: 0, maxQueueBytes: PROGRAM_FEED_QUEUE_BYTES, keyframeWanted: session.fanout.waiting() };
  }

  close(ingestId: string): void {
    if (this.session?.ingestId === ingestId) this.end();
  }

  private end(): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    for (const sink of this.sinks) safely(() => sink.feedEnded?.());
  }

  private changed(): void {
    for (const listener of this.listeners) safely(listener);
  }
}

function blocks(sink: ProgramFeedSink, bytes: number): boolean {
  try {
    return sink.wouldBlock?.(bytes) ?? false;
  } catch {
    return false;
  }
}

function safely(work: () => void): void {
  try {
    work();
  } catch {
    // One sink's failure is its own.
  }
}
