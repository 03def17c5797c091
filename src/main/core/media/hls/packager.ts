import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { StudioError } from '../../../../shared/errors';
import { wholePiece } from '../feed/feed-piece';
import { HlsIngest } from './hls-ingest';
import { renderPlaylist, type Segment, segmentName, sequenceOf } from './playlist';
import { WholePesCutter } from './ts-cutter';

export interface PackagerOptions {
  ffmpegPath: string;
  /** The session folder (created, and removed by `dispose`). */
  dir: string;
  segmentSeconds: number;
  /** Finished segments listed by the live playlist. */
  window: number;
  /** Bound of the ingest queue (bytes accepted from the studio, not yet taken by ffmpeg). */
  maxQueueBytes: number;
  /** How long ending an ingest may take (queue drain + last segment) before ffmpeg is killed. */
  stopTimeoutMs: number;
  onFirstSegment: () => void;
  onChange: () => void;
  log: (line: string) => void;
}

export type PackagerState = 'waiting' | 'live' | 'ending' | 'ended' | 'failed';

interface Run {
  ingest: HlsIngest;
  expectedSeq: number;
}

/** What the current (or last) ingest is doing: waiting for its first segment, live, ended cleanly, or failed. */
export type IngestState = 'waiting' | 'live' | 'ended' | 'failed';

/**
 * The HLS packager of one MediaProcessor: the playlist of its broadcast. Each ingest of the program
 * feed is one HLS output (`HlsIngest`, one ffmpeg; a new ingest continues the same playlist after
 * a discontinuity) whose finished segments join the playlist, rendered on request. Keeps only a
 * sliding window of segment files on disk. Its `push` is the local cloud's byte port: chunks in
 * order, refused with `media.backpressure` when the ingest's queue is full.
 */
export class HlsPackager {
  state: PackagerState = 'waiting';
  readonly segments: Segment[] = [];
  private run: Run | null = null;
  private nextSequence = 0;
  private firstSegmentSeen = false;
  /** Segments before this index have had their files removed (see prune). */
  private pruned = 0;
  /** The opens in flight, one after the other (each stops the ingest before it). */
  private opening: Promise<void> = Promise.resolve();
  /** `dispose()` was called: nothing starts any more. */
  private disposed = false;

  constructor(private readonly options: PackagerOptions) {}

  /** The ingest that is running now (null once its ffmpeg has exited). */
  get ingestId(): string | null {
    return this.running()?.ingest.id ?? null;
  }

  /** The current ingest, or the last one after it ended: the one the status speaks of. */
  get lastIngestId(): string | null {
    return this.run?.ingest.id ?? null;
  }

  get ingestState(): IngestState | null {
    return this.run?.ingest.state().state ?? null;
  }

  /** Why the current ingest failed; an earlier ingest's failure is not reported once a new one opened. */
  get failure(): string | null {
    const state = this.run?.ingest.state();
    return state?.state === 'failed' ? state.failure : null;
  }

  get pid(): number | null {
    return this.run?.ingest.processId() ?? null;
  }

  get transcoding(): boolean {
    return this.run?.ingest.transcoding ?? false;
  }

  get queuedBytes(): number {
    return this.run?.ingest.queuedBytes ?? 0;
  }

  get maxQueueBytes(): number {
    return this.options.maxQueueBytes;
  }

  /**
   * Starts ffmpeg for a new ingest; a running one is ended first (its segments stay listed).
   * `ffmpegPath` is the program checked just before this call (default: the one given at construction).
   * Opens run one after the other, and one that finds the broadcast ended (also while it waited for
   * the ingest before it to finish) starts nothing: two opens at once, or an open racing the end,
   * used to leave an ffmpeg that nobody would ever stop.
   */
  open(id: string, mimeType: string, ffmpegPath = this.options.ffmpegPath): Promise<void> {
    const opened = this.opening.then(() => this.openNow(id, mimeType, ffmpegPath));
    this.opening = opened.catch(() => {});
    return opened;
  }

  private async openNow(id: string, mimeType: string, ffmpegPath: string): Promise<void> {
    this.assertOpen();
    const previous = this.running();
    if (previous) await previous.ingest.stop();
    this.assertOpen();
    await mkdir(this.options.dir, { recursive: true });
    this.assertOpen();
    const { dir, segmentSeconds, maxQueueBytes, stopTimeoutMs, log } = this.options;
    const ingest = new HlsIngest({
      id,
      ffmpegPath,
      mimeType,
      dir,
      segmentSeconds,
      firstSequence: this.nextSequence,
      discontinuity: this.run !== null,
      maxQueueBytes,
      stopTimeoutMs,
      broadcastEnding: () => this.state === 'ending' || this.state === 'ended',
      onSegment: (segment) => this.onSegment(segment),
      log,
    });
    ingest.start();
    this.run = { ingest, expectedSeq: 0 };
    void ingest.done.then(() => this.onIngestExit(ingest));
    log(`packager: ffmpeg ${ingest.processId() ?? '?'} started (${ingest.transcoding ? 'video re-encoded' : 'video copied'})`);
    this.options.onChange();
  }

  private assertOpen(): void {
    if (this.disposed || this.state === 'ending' || this.state === 'ended') throw new StudioError('media.not_live', 'This broadcast has ended.');
  }

  /** Takes one chunk of the feed, in order. Refuses (`media.backpressure`) when the queue is full. */
  push(id: string, seq: number, data: Uint8Array): { seq: number; queuedBytes: number; maxQueueBytes: number } {
    const run = this.running();
    if (!run || run.ingest.id !== id || this.state === 'ending' || this.state === 'ended') {
      throw new StudioError('media.not_live', 'This program feed is no longer being received.');
    }
    if (seq !== run.expectedSeq) {
      throw new StudioError('media.ingest_failed', `Chunk ${seq} arrived, ${run.expectedSeq} was expected.`, { reason: 'sequence' });
    }
    // Not a byte may be lost: a chunk that does not fit is refused, and the studio sends it again.
    if (!run.ingest.accepts(data.byteLength)) {
      throw new StudioError('media.backpressure', 'The packager is behind; send this chunk again shortly.', { reason: String(run.ingest.queuedBytes) });
    }
    run.ingest.write(wholePiece(data));
    run.expectedSeq += 1;
    return { seq, queuedBytes: run.ingest.queuedBytes, maxQueueBytes: this.options.maxQueueBytes };
  }

  /** Ends the ingest: ffmpeg gets end-of-input and finishes the last segment. */
  async closeIngest(id: string): Promise<void> {
    const run = this.running();
    if (run?.ingest.id === id) await run.ingest.stop();
  }

  /** The broadcast ended: finish the last segment, then the playlist gets `#EXT-X-ENDLIST`. */
  async end(): Promise<void> {
    if (this.state === 'ended' || this.state === 'failed') return;
    this.state = 'ending';
    this.options.onChange();
    await this.running()?.ingest.stop();
    this.finish('ended');
  }

  /** Kills ffmpeg if needed and removes the session folder. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.running()?.ingest.kill();
    if (this.state !== 'ended' && this.state !== 'failed') this.finish('ended');
    await rm(this.options.dir, { recursive: true, force: true });
  }

  playlist(): string {
    return renderPlaylist({
      segments: this.segments,
      writing: this.prefetch(),
      ended: this.state === 'ended' || this.state === 'failed',
      window: this.options.window,
      targetSeconds: this.options.segmentSeconds,
    });
  }

  /**
   * The segment announced as `#EXT-X-PREFETCH`: only one that will be written whole. That is the
   * segment a running ffmpeg is writing after it listed at least one segment (so it has cut, and
   * the file is open), while its input is still open. Not while the ingest is being closed (its
   * last listed segment may be the last one: the player would ask for a segment that never
   * comes, get a 404 and stop with "A network error occurred"), not between two ingests (the
   * next run starts a new timeline, which a prefetch without `#EXT-X-DISCONTINUITY` would hide),
   * not once the broadcast is ending.
   */
  private prefetch(): { name: string; discontinuity: boolean } | null {
    const ingest = this.running()?.ingest;
    if (!ingest || ingest.stopping || ingest.segments === 0) return null;
    if (this.state !== 'waiting' && this.state !== 'live') return null;
    // A new ingest's first segment (after `#EXT-X-DISCONTINUITY`) is listed, never prefetched.
    return { name: segmentName(ingest.writingSequence), discontinuity: false };
  }

  hasSegments(): boolean {
    return this.segments.length > 0;
  }

  /**
   * A segment as a stream: a finished one from its file; the one ffmpeg is writing as it grows,
   * whole PES packets at a time, until ffmpeg has closed it. Null when the name is neither.
   */
  async openSegment(name: string): Promise<{ stream: Readable; length?: number } | null> {
    const sequence = sequenceOf(name);
    if (sequence === null) return null;
    const path = join(this.options.dir, name);
    const finished = this.segments.find((s) => s.name === name);
    if (finished) {
      try {
        const { size } = await stat(path);
        const stream: ReadStream = createReadStream(path);
        return { stream, length: size };
      } catch {
        return null;
      }
    }
    // The segment the current (or last) ffmpeg writes; also while the broadcast is ending, since
    // that segment is finished and listed then. One its ffmpeg never started is not served.
    const ingest = this.run?.ingest;
    if (!ingest || ingest.writingSequence !== sequence) return null;
    if (ingest.exited && !existsSync(path)) return null;
    return { stream: Readable.from(this.growing(ingest, sequence, path)) };
  }

  /**
   * Streams the segment `run` is writing while it grows. What leaves is always whole TS packets
   * ending before the latest PES start, i.e. complete PES packets (ffmpeg's MPEG-TS muxer writes
   * each PES in one piece, so a PES is complete once any later one starts); the rest follows once
   * the segment is known to be whole: ffmpeg opened the next segment (it closes this one first),
   * or it exited after listing it. If ffmpeg died without finishing it, the unconfirmed last PES
   * is dropped: the player never gets a cut access unit (its demuxer logs `AVC finishFrame called
   * without active frame` for one).
   */
  private async *growing(ingest: HlsIngest, sequence: number, path: string): AsyncGenerator<Buffer> {
    const next = join(this.options.dir, segmentName(sequence + 1));
    const listed = () => this.segments.some((s) => s.sequence === sequence);
    /** ffmpeg is done with this file: it opened the next one, or it exited. */
    const closed = () => ingest.exited || existsSync(next);
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    const deadline = Date.now() + 10_000;
    while (!handle) {
      try {
        handle = await open(path, 'r');
      } catch {
        if (ingest.exited || Date.now() > deadline) return;
        await sleep(10);
      }
    }
    try {
      const cutter = new WholePesCutter();
      const buffer = Buffer.alloc(256 * 1024);
      let position = 0;
      let grewAt = Date.now();
      for (;;) {
        const done = closed();
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead > 0) {
          position += bytesRead;
          grewAt = Date.now();
          const ready = cutter.push(buffer.subarray(0, bytesRead));
          if (ready.length > 0) yield ready;
          continue;
        }
        if (done) {
          // Whole once ffmpeg closed it normally; after a crash only what is confirmed leaves.
          const rest = !ingest.exited || listed() ? cutter.end() : null;
          if (rest && rest.length > 0) yield rest;
          return;
        }
        // A feed that stopped for this long leaves the player what is complete.
        if (Date.now() - grewAt > 30_000) return;
        await sleep(10);
      }
    } finally {
      await handle.close();
    }
  }

  private onSegment(segment: Segment): void {
    this.segments.push(segment);
    this.nextSequence = segment.sequence + 1;
    this.prune();
    if (!this.firstSegmentSeen) {
      this.firstSegmentSeen = true;
      this.options.onFirstSegment();
    }
    if (this.state === 'waiting') this.state = 'live';
    this.options.onChange();
  }

  /** Deletes segment files that left the window long ago (players may still be reading the last few). */
  private prune(): void {
    const keep = this.options.window * 2 + 2;
    const upTo = Math.max(0, this.segments.length - keep);
    // Each file once: unlinking every old segment again at each new one was one more file operation per
    // segment of the broadcast, every second — after half an hour on air thousands a second, which the
    // thread pool could not keep up with (main's memory grew with the waiting requests).
    for (const segment of this.segments.slice(this.pruned, upTo)) void unlink(join(this.options.dir, segment.name)).catch(() => {});
    this.pruned = Math.max(this.pruned, upTo);
  }

  /** The current ingest while its ffmpeg runs. */
  private running(): Run | null {
    return this.run && !this.run.ingest.exited ? this.run : null;
  }

  private onIngestExit(ingest: HlsIngest): void {
    // A segment ffmpeg opened but never finished (it was killed) keeps its number: the next
    // ingest starts after it, so a player still reading that file never gets another run's bytes.
    if (!this.segments.some((s) => s.sequence === ingest.writingSequence) && existsSync(join(this.options.dir, segmentName(ingest.writingSequence)))) {
      this.nextSequence = Math.max(this.nextSequence, ingest.writingSequence + 1);
    }
    this.options.onChange();
  }

  private finish(state: 'ended' | 'failed'): void {
    this.state = state;
    this.options.onChange();
  }
}
