import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { StudioError } from '../../../../shared/errors';
import { copiesVideo } from '../feed/feed-codecs';
import { FfmpegProcess } from '../ffmpeg/ffmpeg-process';
import { segmentArgs } from './segment-args';
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
  id: string;
  ffmpeg: FfmpegProcess;
  transcoding: boolean;
  expectedSeq: number;
  /** The first segment of this run starts a discontinuity (not for the first run). */
  discontinuity: boolean;
  firstSequence: number;
  exited: Promise<number | null>;
  exitCode: number | null | undefined;
  /** The studio ended this ingest on purpose (stdin closed, processor ended, disposed). */
  stopping: boolean;
  /** Segments this run finished. */
  segments: number;
  /** The segment this run's ffmpeg writes now, or will write first (the one after the last it listed). */
  writingSequence: number;
  /** ffmpeg's last words when this run failed; null while it runs and after a clean end. */
  failure: string | null;
  /** Why ffmpeg could not be started (ENOENT, EACCES…), or null. */
  spawnError: string | null;
}

/** What the current (or last) ingest is doing: waiting for its first segment, live, ended cleanly, or failed. */
export type IngestState = 'waiting' | 'live' | 'ended' | 'failed';

/**
 * The HLS packager of one MediaProcessor: the program feed goes into ffmpeg (one process per
 * ingest; a new ingest continues the same playlist after a discontinuity), finished segments
 * come back as CSV lines, and the playlist is rendered on request. Keeps only a sliding window
 * of segment files on disk.
 */
export class HlsPackager {
  state: PackagerState = 'waiting';
  readonly segments: Segment[] = [];
  private run: Run | null = null;
  private nextSequence = 0;
  private firstSegmentSeen = false;
  private runs = 0;
  /** Segments before this index have had their files removed (see prune). */
  private pruned = 0;

  constructor(private readonly options: PackagerOptions) {}

  /** The ingest that is running now (null once its ffmpeg has exited). */
  get ingestId(): string | null {
    return this.run && this.run.exitCode === undefined ? this.run.id : null;
  }

  /** The current ingest, or the last one after it ended: the one the status speaks of. */
  get lastIngestId(): string | null {
    return this.run?.id ?? null;
  }

  get ingestState(): IngestState | null {
    const run = this.run;
    if (!run) return null;
    if (run.failure) return 'failed';
    if (run.exitCode !== undefined) return 'ended';
    return run.segments > 0 ? 'live' : 'waiting';
  }

  /** Why the current ingest failed; an earlier ingest's failure is not reported once a new one opened. */
  get failure(): string | null {
    return this.run?.failure ?? null;
  }

  get pid(): number | null {
    return this.run && this.run.exitCode === undefined ? this.run.ffmpeg.pid : null;
  }

  get transcoding(): boolean {
    return this.run?.transcoding ?? false;
  }

  get queuedBytes(): number {
    return this.run && this.run.exitCode === undefined ? this.run.ffmpeg.queuedBytes : 0;
  }

  get maxQueueBytes(): number {
    return this.options.maxQueueBytes;
  }

  /**
   * Starts ffmpeg for a new ingest; a running one is ended first (its segments stay listed).
   * `ffmpegPath` is the program checked just before this call (default: the one given at construction).
   */
  async open(id: string, mimeType: string, ffmpegPath = this.options.ffmpegPath): Promise<void> {
    if (this.state === 'ending' || this.state === 'ended') throw new StudioError('media.not_live', 'This broadcast has ended.');
    if (this.run && this.run.exitCode === undefined) await this.stopRun(this.run);
    await mkdir(this.options.dir, { recursive: true });
    const transcoding = !copiesVideo(mimeType);
    const args = segmentArgs({
      mimeType,
      segmentSeconds: this.options.segmentSeconds,
      startNumber: this.nextSequence,
      pattern: join(this.options.dir, 's%05d.ts'),
    });
    // The run's segment lines come on stdout, before the exit is judged (the runner waits for 'close').
    let onSegment: (line: string) => void = () => {};
    const ffmpeg = new FfmpegProcess({
      path: ffmpegPath,
      args,
      stdout: 'lines',
      maxQueueBytes: this.options.maxQueueBytes,
      linesKept: 50,
      onStdoutLine: (line) => onSegment(line),
    });
    const run: Run = {
      id,
      ffmpeg,
      transcoding,
      expectedSeq: 0,
      discontinuity: this.runs > 0,
      firstSequence: this.nextSequence,
      exitCode: undefined,
      stopping: false,
      segments: 0,
      writingSequence: this.nextSequence,
      failure: null,
      spawnError: null,
      exited: ffmpeg.exited.then((exit) => {
        run.spawnError = exit.spawnError;
        return exit.spawnError ? null : exit.code;
      }),
    };
    onSegment = (line) => this.onSegmentLine(run, line);
    this.runs += 1;
    this.run = run;
    void run.exited.then((code) => this.onExit(run, code));
    this.options.log(`packager: ffmpeg ${ffmpeg.pid ?? '?'} started (${transcoding ? 'video re-encoded' : 'video copied'})`);
    this.options.onChange();
  }

  /** Takes one chunk of the feed, in order. Refuses (`media.backpressure`) when the queue is full. */
  push(id: string, seq: number, data: Uint8Array): { seq: number; queuedBytes: number; maxQueueBytes: number } {
    const run = this.run;
    if (!run || run.id !== id || run.exitCode !== undefined || this.state === 'ending' || this.state === 'ended') {
      throw new StudioError('media.not_live', 'This program feed is no longer being received.');
    }
    if (seq !== run.expectedSeq) {
      throw new StudioError('media.ingest_failed', `Chunk ${seq} arrived, ${run.expectedSeq} was expected.`, { reason: 'sequence' });
    }
    // Not a byte may be lost: a chunk that does not fit is refused, and the studio sends it again.
    if (run.ffmpeg.write(data) === 'behind') {
      throw new StudioError('media.backpressure', 'The packager is behind; send this chunk again shortly.', { reason: String(run.ffmpeg.queuedBytes) });
    }
    run.expectedSeq += 1;
    return { seq, queuedBytes: run.ffmpeg.queuedBytes, maxQueueBytes: this.options.maxQueueBytes };
  }

  /** Ends the ingest: ffmpeg gets end-of-input and finishes the last segment. */
  async closeIngest(id: string): Promise<void> {
    if (this.run?.id === id && this.run.exitCode === undefined) await this.stopRun(this.run);
  }

  /** The broadcast ended: finish the last segment, then the playlist gets `#EXT-X-ENDLIST`. */
  async end(): Promise<void> {
    if (this.state === 'ended' || this.state === 'failed') return;
    this.state = 'ending';
    this.options.onChange();
    if (this.run && this.run.exitCode === undefined) await this.stopRun(this.run);
    this.finish('ended');
  }

  /** Kills ffmpeg if needed and removes the session folder. */
  async dispose(): Promise<void> {
    if (this.run && this.run.exitCode === undefined) {
      this.run.stopping = true;
      await this.run.ffmpeg.kill();
      await this.run.exited;
    }
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
    const run = this.run;
    if (!run || run.exitCode !== undefined || run.stopping || run.segments === 0) return null;
    if (this.state !== 'waiting' && this.state !== 'live') return null;
    // A new ingest's first segment (after `#EXT-X-DISCONTINUITY`) is listed, never prefetched.
    return { name: segmentName(run.writingSequence), discontinuity: false };
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
    const run = this.run;
    if (!run || run.writingSequence !== sequence) return null;
    if (run.exitCode !== undefined && !existsSync(path)) return null;
    return { stream: Readable.from(this.growing(run, sequence, path)) };
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
  private async *growing(run: Run, sequence: number, path: string): AsyncGenerator<Buffer> {
    const next = join(this.options.dir, segmentName(sequence + 1));
    const listed = () => this.segments.some((s) => s.sequence === sequence);
    /** ffmpeg is done with this file: it opened the next one, or it exited. */
    const closed = () => run.exitCode !== undefined || existsSync(next);
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    const deadline = Date.now() + 10_000;
    while (!handle) {
      try {
        handle = await open(path, 'r');
      } catch {
        if (run.exitCode !== undefined || Date.now() > deadline) return;
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
          const rest = run.exitCode === undefined || listed() ? cutter.end() : null;
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

  private onSegmentLine(run: Run, line: string): void {
    const [name, start, end] = line.split(',');
    const sequence = sequenceOf(name);
    if (!name || sequence === null) return;
    const duration = Math.max(0, Number(end) - Number(start));
    const discontinuity = run.discontinuity && sequence === run.firstSequence;
    this.segments.push({ name, sequence, duration: Number.isFinite(duration) ? duration : this.options.segmentSeconds, discontinuity });
    run.segments += 1;
    this.nextSequence = sequence + 1;
    run.writingSequence = sequence + 1;
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

  /** Ends the run's ffmpeg: every queued byte is written, then end of input; killed after `stopTimeoutMs`. */
  private async stopRun(run: Run): Promise<void> {
    run.stopping = true;
    const exit = await run.ffmpeg.end(this.options.stopTimeoutMs);
    if (exit.signal === 'SIGKILL') this.options.log(`packager: ffmpeg ${run.ffmpeg.pid ?? '?'} did not finish in time; killed`);
    await run.exited;
  }

  private onExit(run: Run, code: number | null): void {
    run.exitCode = code;
    // A segment ffmpeg opened but never finished (it was killed) keeps its number: the next
    // ingest starts after it, so a player still reading that file never gets another run's bytes.
    if (!this.segments.some((s) => s.sequence === run.writingSequence) && existsSync(join(this.options.dir, segmentName(run.writingSequence)))) {
      this.nextSequence = Math.max(this.nextSequence, run.writingSequence + 1);
    }
    this.options.log(`packager: ffmpeg ${run.ffmpeg.pid ?? '?'} exited (${code ?? 'signal'})`);
    if (code !== 0 && !this.endedOnPurpose(run, code)) {
      const words = run.spawnError ? `ffmpeg could not be started (${run.spawnError})` : run.ffmpeg.lines().join(' ');
      run.failure = words.slice(0, 400) || `ffmpeg exited with ${code ?? 'a signal'}`;
      this.options.log(`packager: ${run.failure}`);
    } else if (code !== 0) {
      this.options.log(`packager: ingest ${run.id} ended on purpose; exit ${code ?? 'signal'} is not a failure`);
    }
    this.options.onChange();
  }

  /**
   * A run the studio ended (stdin closed, processor or streamer ended, disposed) has not failed,
   * even when ffmpeg exits 1 because the last fMP4 fragment was cut off, or had to be killed. It
   * has failed when it ended with an error without having made a single segment: that input was
   * never media ffmpeg could read.
   */
  private endedOnPurpose(run: Run, code: number | null): boolean {
    if (this.state === 'ending' || this.state === 'ended') return true;
    if (!run.stopping) return false;
    return code === null || run.segments > 0;
  }

  private finish(state: 'ended' | 'failed'): void {
    this.state = state;
    this.options.onChange();
  }
}
