/**
 * The HLS output (the media plane's output contract, `../output.ts`): one ingest of the program
 * feed into one ffmpeg that cuts MPEG-TS segments into the session folder and lists each finished
 * one on stdout as a CSV line. The packager (`packager.ts`) owns the playlist these segments join;
 * a new ingest is a new HlsIngest that continues the same playlist after a discontinuity.
 *
 *   waiting (no segment yet) → live → ended | failed {failure}
 */
import { join } from 'node:path';
import { copiesVideo } from '../feed/feed-codecs';
import type { FeedPiece } from '../feed/feed-piece';
import { FfmpegProcess } from '../ffmpeg/ffmpeg-process';
import { OutputBase } from '../output';
import type { Segment } from './playlist';
import { sequenceOf } from './playlist';
import { segmentArgs } from './segment-args';

export interface HlsIngestOptions {
  id: string;
  ffmpegPath: string;
  mimeType: string;
  /** The session folder the segments go to. */
  dir: string;
  segmentSeconds: number;
  /** The number of this ingest's first segment (the one after the playlist's last). */
  firstSequence: number;
  /** Not the playlist's first ingest: its first segment starts a discontinuity. */
  discontinuity: boolean;
  /** Bound of the ingest queue (bytes accepted from the studio, not yet taken by ffmpeg). */
  maxQueueBytes: number;
  /** How long `stop()` may take (queue drain + last segment) before ffmpeg is killed. */
  stopTimeoutMs: number;
  /** True while the broadcast is ending: an ingest that ends then has not failed, whatever ffmpeg says. */
  broadcastEnding: () => boolean;
  onSegment: (segment: Segment) => void;
  log: (line: string) => void;
}

export type HlsIngestState = { state: 'waiting' } | { state: 'live' } | { state: 'ended'; code: number | null } | { state: 'failed'; failure: string };

export interface HlsIngestHealth {
  state: HlsIngestState['state'];
  segments: number;
  queuedBytes: number;
  transcoding: boolean;
}

export class HlsIngest extends OutputBase<HlsIngestState, HlsIngestHealth> {
  readonly id: string;
  /** The video is re-encoded (not H.264 in MP4). */
  readonly transcoding: boolean;
  /** Segments this ingest finished. */
  segments = 0;
  /** The segment ffmpeg writes now, or will write first (the one after the last it listed). */
  writingSequence: number;
  /** The studio ended this ingest on purpose (stdin closed, processor ended, disposed). */
  stopping = false;
  private ffmpeg: FfmpegProcess | null = null;
  private exitCode: number | null | undefined = undefined;
  private exitedValue: Promise<void> = Promise.resolve();

  constructor(private readonly options: HlsIngestOptions) {
    super({ state: 'waiting' });
    this.id = options.id;
    this.transcoding = !copiesVideo(options.mimeType);
    this.writingSequence = options.firstSequence;
  }

  /** ffmpeg has exited (or never started). */
  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Resolves once ffmpeg has exited and the state says how. */
  get done(): Promise<void> {
    return this.exitedValue;
  }

  get queuedBytes(): number {
    return this.ffmpeg && !this.exited ? this.ffmpeg.queuedBytes : 0;
  }

  /** Would `bytes` more be taken now? (Not a byte may be lost: a chunk that does not fit is refused and sent again.) */
  accepts(bytes: number): boolean {
    const ffmpeg = this.ffmpeg;
    return !!ffmpeg && (ffmpeg.fits(bytes) || ffmpeg.queuedBytes === 0);
  }

  processId(): number | null {
    return this.ffmpeg && !this.exited ? this.ffmpeg.pid : null;
  }

  health(): HlsIngestHealth {
    return { state: this.state().state, segments: this.segments, queuedBytes: this.queuedBytes, transcoding: this.transcoding };
  }

  start(): void {
    if (this.ffmpeg) return;
    const { options } = this;
    const ffmpeg = new FfmpegProcess({
      path: options.ffmpegPath,
      args: segmentArgs({ mimeType: options.mimeType, segmentSeconds: options.segmentSeconds, startNumber: options.firstSequence, pattern: join(options.dir, 's%05d.ts') }),
      // The segment lines come on stdout, before the exit is judged (the runner waits for 'close').
      stdout: 'lines',
      maxQueueBytes: options.maxQueueBytes,
      linesKept: 50,
      onStdoutLine: (line) => this.onSegmentLine(line),
    });
    this.ffmpeg = ffmpeg;
    this.exitedValue = ffmpeg.exited.then((exit) => this.onExit(exit.spawnError ? null : exit.code, exit.spawnError));
  }

  /** The next piece of the feed; the caller asked `accepts` first. */
  write(piece: FeedPiece): void {
    this.ffmpeg?.write(piece.data);
  }

  /** Ends the ingest: every queued byte is written, then end of input; killed after `stopTimeoutMs`. */
  async stop(): Promise<HlsIngestState> {
    this.stopping = true;
    const ffmpeg = this.ffmpeg;
    if (ffmpeg && !this.exited) {
      const exit = await ffmpeg.end(this.options.stopTimeoutMs);
      if (exit.signal === 'SIGKILL') this.options.log(`packager: ffmpeg ${ffmpeg.pid ?? '?'} did not finish in time; killed`);
    }
    await this.exitedValue;
    return this.state();
  }

  /** Ends ffmpeg now (the session is disposed). */
  async kill(): Promise<void> {
    this.stopping = true;
    await this.ffmpeg?.kill();
    await this.exitedValue;
  }

  private onSegmentLine(line: string): void {
    const [name, start, end] = line.split(',');
    const sequence = sequenceOf(name);
    if (!name || sequence === null) return;
    const duration = Math.max(0, Number(end) - Number(start));
    const discontinuity = this.options.discontinuity && sequence === this.options.firstSequence;
    this.segments += 1;
    this.writingSequence = sequence + 1;
    if (this.state().state === 'waiting') this.setState({ state: 'live' });
    this.options.onSegment({ name, sequence, duration: Number.isFinite(duration) ? duration : this.options.segmentSeconds, discontinuity });
    this.emit('health', this.health());
  }

  private onExit(code: number | null, spawnError: string | null): void {
    this.exitCode = code;
    const pid = this.ffmpeg?.pid ?? '?';
    this.options.log(`packager: ffmpeg ${pid} exited (${code ?? 'signal'})`);
    if (code !== 0 && !this.endedOnPurpose(code)) {
      const words = spawnError ? `ffmpeg could not be started (${spawnError})` : (this.ffmpeg?.lines() ?? []).join(' ');
      const failure = words.slice(0, 400) || `ffmpeg exited with ${code ?? 'a signal'}`;
      this.options.log(`packager: ${failure}`);
      this.setState({ state: 'failed', failure });
      return;
    }
    if (code !== 0) this.options.log(`packager: ingest ${this.id} ended on purpose; exit ${code ?? 'signal'} is not a failure`);
    this.setState({ state: 'ended', code });
  }

  /**
   * An ingest the studio ended (stdin closed, processor or streamer ended, disposed) has not failed,
   * even when ffmpeg exits 1 because the last fMP4 fragment was cut off, or had to be killed. It
   * has failed when it ended with an error without having made a single segment: that input was
   * never media ffmpeg could read.
   */
  private endedOnPurpose(code: number | null): boolean {
    if (this.options.broadcastEnding()) return true;
    if (!this.stopping) return false;
    return code === null || this.segments > 0;
  }
}
