import { MEDIA_CHUNK_MAX_BYTES } from '../../shared/media';
import type { ErrorCode } from '../../shared/errors';
import { asIpcError, unwrap } from '../ipc/client';
import { LatencyWindow, latencyNow, type LatencySummary } from '../../shared/latency';

/** What the renderer may hold while main is behind before it gives up (instead of growing memory). */
export const LOCAL_BACKLOG_LIMIT = 32 * 1024 * 1024;
const RETRY_MS = 100;

export interface FeedSenderSnapshot {
  /** Bytes recorded but not yet accepted by main. */
  localBytes: number;
  /** Bytes main has accepted but ffmpeg has not taken yet (from the last acknowledgement). */
  mainBytes: number;
  maxQueueBytes: number;
  /** Main refused a chunk (its queue was full) and it is waiting to be sent again. */
  refused: boolean;
  failed: ErrorCode | 'overflow' | null;
}

function concat(parts: Array<Uint8Array<ArrayBuffer>>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Sends the recorder's chunks to main in order, one call at a time (chunks that wait are sent
 * together, up to MEDIA_CHUNK_MAX_BYTES): each call is
 * acknowledged with main's queue size; a `media.backpressure` refusal is retried. Chunks
 * recorded before the ingest is open wait here. The backlog is bounded: beyond
 * LOCAL_BACKLOG_LIMIT the sender fails with `overflow` rather than hold more.
 */
export class FeedSender {
  private queue: Array<Uint8Array<ArrayBuffer>> = [];
  /** Per queued chunk: when the encoder's worker cut it (NaN: not a video fragment, or not known). */
  private madeAt: number[] = [];
  /** The `send` latency stage: a video fragment cut in the worker → put in a `media.chunk` call. */
  private readonly sendLatency = new LatencyWindow();
  private localBytes = 0;
  private mainBytes = 0;
  private maxQueueBytes = 0;
  private refused = false;
  private failed: FeedSenderSnapshot['failed'] = null;
  private ingestId: string | null = null;
  private seq = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** The last acknowledgement said that an output waits for a keyframe. */
  private keyframeWanted = false;
  /** Queued parts that begin a keyframe's fragment. */
  private readonly keyframeParts = new WeakSet<Uint8Array>();
  /** Bytes pushed, and bytes main has accepted, since the sender began. */
  private pushedTotal = 0;
  private acceptedTotal = 0;
  /** `delivered()` calls waiting for main to accept everything up to `upTo` bytes. */
  private waiters: Array<{ upTo: number; resolve: () => void }> = [];

  /**
   * `onKeyframeWanted`: main said that an output waits for a keyframe to join, and none is queued
   * here to reach it (once per wait, not on every acknowledgement while the keyframe is on its way).
   */
  constructor(
    private readonly onChange: (snapshot: FeedSenderSnapshot) => void,
    private readonly onKeyframeWanted: () => void = () => {},
  ) {}

  snapshot(): FeedSenderSnapshot {
    return { localBytes: this.localBytes, mainBytes: this.mainBytes, maxQueueBytes: this.maxQueueBytes, refused: this.refused, failed: this.failed };
  }

  /** Chunks flow once main has opened the ingest. */
  attach(ingestId: string, maxQueueBytes: number): void {
    this.ingestId = ingestId;
    this.maxQueueBytes = maxQueueBytes;
    this.seq = 0;
    this.keyframeWanted = false;
    void this.pump();
  }

  /** The `send` latency stage over the last video fragments (`src/shared/latency.ts`). */
  latency(): LatencySummary {
    return this.sendLatency.summary();
  }

  /**
   * Queues `data`. `keyframe`: it is a fragment that begins with a keyframe; `madeAt`
   * (`latencyNow()`'s clock): it is a video fragment the worker cut then.
   */
  push(data: Uint8Array<ArrayBuffer>, { keyframe = false, madeAt = Number.NaN }: { keyframe?: boolean; madeAt?: number } = {}): void {
    if (this.closed || this.failed || data.byteLength === 0) return;
    for (let offset = 0; offset < data.byteLength; offset += MEDIA_CHUNK_MAX_BYTES) {
      const part = data.subarray(offset, Math.min(data.byteLength, offset + MEDIA_CHUNK_MAX_BYTES));
      if (keyframe && offset === 0) this.keyframeParts.add(part);
      this.queue.push(part);
      this.madeAt.push(offset === 0 ? madeAt : Number.NaN);
    }
    this.localBytes += data.byteLength;
    this.pushedTotal += data.byteLength;
    if (this.localBytes > LOCAL_BACKLOG_LIMIT) {
      this.fail('overflow');
      return;
    }
    this.emit();
    void this.pump();
  }

  /**
   * Resolves once main has accepted everything pushed so far (Stop recording waits for it, so the
   * file keeps what was captured before the click). At once when nothing can be delivered: no
   * ingest yet, or the sender is closed or has failed.
   */
  delivered(): Promise<void> {
    if (!this.ingestId || this.closed || this.failed || this.acceptedTotal >= this.pushedTotal) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo: this.pushedTotal, resolve }));
  }

  /** Sends what is left (the recorder's last chunk included), then closes the ingest. */
  async finish(): Promise<void> {
    await this.pump();
    this.closed = true;
    this.release();
    const ingestId = this.ingestId;
    this.ingestId = null;
    if (ingestId) await unwrap(() => window.onair.media.close({ ingestId })).catch(() => {});
  }

  /** Drops everything (the broadcast is gone). */
  abandon(): void {
    this.closed = true;
    this.queue = [];
    this.madeAt = [];
    this.localBytes = 0;
    this.ingestId = null;
    this.release();
    this.emit();
  }

  private pump(): Promise<void> {
    // A pump asked for while one runs (or has just finished its loop) makes it look again:
    // otherwise chunks pushed right before attach() waited for the next push.
    this.again = true;
    this.pumping ??= (async () => {
      while (this.again) {
        this.again = false;
        await this.drain();
      }
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async drain(): Promise<void> {
    while (this.ingestId && this.queue.length > 0 && !this.failed && !this.closed) {
      const ingestId = this.ingestId;
      const count = this.batchLength();
      const data = count === 1 ? this.queue[0]! : concat(this.queue.slice(0, count));
      // The call's send time goes with it: main measures the hop to it on the same clock.
      const sentAt = latencyNow();
      try {
        const ack = await unwrap(() => window.onair.media.chunk({ ingestId, seq: this.seq, data, sentAt }));
        this.queue.splice(0, count);
        for (const madeAt of this.madeAt.splice(0, count)) if (!Number.isNaN(madeAt)) this.sendLatency.add(sentAt - madeAt);
        this.seq += 1;
        this.localBytes -= data.byteLength;
        this.acceptedTotal += data.byteLength;
        this.release();
        this.mainBytes = ack.queuedBytes;
        this.maxQueueBytes = ack.maxQueueBytes;
        this.refused = false;
        this.emit();
        // One call at a time: what was sent after the acknowledged chunk is still in this queue, so a
        // keyframe queued here reaches the waiting output without asking for another.
        const wanted = ack.keyframeWanted === true;
        if (wanted && !this.keyframeWanted && !this.queue.some((part) => this.keyframeParts.has(part))) this.onKeyframeWanted();
        this.keyframeWanted = wanted;
      } catch (error) {
        const { code } = asIpcError(error);
        if (code !== 'media.backpressure') {
          this.fail(code);
          return;
        }
        this.refused = true;
        this.emit();
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /**
   * How many queued chunks go in the next call: all that fit in one chunk. The WebCodecs encoder
   * hands over a fragment per frame (~45/s with audio); one acknowledged call each made the
   * round trip the limit on a busy machine, so whatever piled up during a call goes in the next.
   */
  private batchLength(): number {
    let bytes = this.queue[0]!.byteLength;
    let count = 1;
    while (count < this.queue.length && bytes + this.queue[count]!.byteLength <= MEDIA_CHUNK_MAX_BYTES) {
      bytes += this.queue[count]!.byteLength;
      count += 1;
    }
    return count;
  }

  private fail(reason: NonNullable<FeedSenderSnapshot['failed']>): void {
    this.failed = reason;
    this.queue = [];
    this.madeAt = [];
    this.localBytes = 0;
    this.release();
    this.emit();
  }

  /** Answers the `delivered()` calls that main's acceptance (or the end of the sender) has settled. */
  private release(): void {
    const over = this.closed || this.failed !== null;
    const settled = this.waiters.filter((waiter) => over || waiter.upTo <= this.acceptedTotal);
    if (settled.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !settled.includes(waiter));
    for (const waiter of settled) waiter.resolve();
  }

  private emit(): void {
    this.onChange(this.snapshot());
  }
}
