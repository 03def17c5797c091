/**
 * The recording output (the media plane's output contract, `../output.ts`): pipes the program feed into one ffmpeg writing a
 * crash-safe fragmented MP4 (`<base>.recording.mp4`), and on a clean stop remuxes it into the
 * final file (`<base>.mp4` or `.mkv`). No Electron, no Twilio.
 *
 *   idle → recording → finalizing → done {path}
 *                  ↘            ↘ failed {reason, keptPath}
 *
 * - Nothing is lost: the crash-safe file is removed only after the remux succeeded and the final
 *   file is in place; otherwise it is kept and the failure says where it is.
 * - `write()` never blocks and never throws. Bytes wait for stdin's drain; a recorder that falls
 *   more than `maxQueueBytes` behind fails (`behind`) instead of growing memory.
 * - A file (or folder) that vanishes while recording, a full disk and an ffmpeg that dies each end
 *   the recording as `failed` with a reason; the other outputs of the feed never notice.
 */
import { rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingFailureReason, RecordingFormat } from '../../../../shared/recording';
import { ffmpegChecker } from '../ffmpeg/check';
import { FfmpegProcess } from '../ffmpeg/ffmpeg-process';
import type { FeedPiece } from '../feed/feed-piece';
import { type MediaOutputEvents, OutputBase } from '../output';
import { classifyErrno, classifyFfmpegLines, failureMessage } from './failure';
import { recordArgs, remuxArgs } from './ffmpeg-args';
import { checkRecordingFolder, RecordingRefused, reserveFile } from './folder-check';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg';

/** The three files of a recording: crash-safe (while recording), the remux's hidden part file, the final file. */
export function recordingPaths(folder: string, baseName: string, format: RecordingFormat): { recordingPath: string; partPath: string; finalPath: string } {
  return {
    recordingPath: join(folder, `${baseName}.recording.mp4`),
    partPath: join(folder, `.${baseName}.${format}.part`),
    finalPath: join(folder, `${baseName}.${format}`),
  };
}

export type FileRecorderState =
  | { state: 'idle' }
  | { state: 'recording'; since: number }
  | { state: 'finalizing' }
  | { state: 'done'; path: string }
  | { state: 'failed'; reason: RecordingFailureReason; message: string; keptPath: string | null };

export interface FileRecorderHealth {
  state: FileRecorderState['state'];
  /** Wall-clock time recorded: from the first feed bytes written (the encoder's first frame), not from the spawn. */
  elapsedMs: number;
  /** When the first feed bytes were written (ms since the epoch); null until then. */
  firstWriteAt: number | null;
  /** When the file's first video frame went into the encoder (epoch ms, from its fragment's `prft`); null until then or when the feed does not say. */
  fileStartsAt: number | null;
  /** Bytes in the crash-safe file (or the final file, once done). */
  bytesWritten: number;
  /** Feed bytes waiting for ffmpeg's stdin (ours + the pipe's buffer). */
  queuedBytes: number;
  /** Feed bytes not written: before start, after a failure, or thrown away when behind. */
  droppedBytes: number;
}

export interface FileRecorderOptions {
  ffmpegPath: string;
  /** Absolute folder; checked (exists, writable) by `start()`. */
  folder: string;
  /** File name without extension, e.g. `OnAir 2026-12-01 09-30-12`. */
  baseName: string;
  format: RecordingFormat;
  /** Checked right before each ffmpeg is started. Default: the studio's ffmpegChecker. */
  checkFfmpeg?: (path: string) => Promise<void>;
  /** Bytes that may wait for ffmpeg before the recording fails as `behind`. Default 64 MiB. */
  maxQueueBytes?: number;
  /** How long a stop lets ffmpeg write what it has before it is killed. Default 20 s. */
  stopTimeoutMs?: number;
  /** Longest remux. Default 30 min (a long recording on a slow disk). */
  remuxTimeoutMs?: number;
  /** How often the file is looked at (size; vanished?). Default 1 s. */
  watchMs?: number;
  /** ffmpeg `-stats_period` for the health figures. Default 1 s. */
  progressPeriodMs?: number;
  /** The feed's audio is AAC already: the file copies it instead of encoding it again. Default false. */
  feedAudioIsAac?: boolean;
  now?: () => number;
}

/** The output contract's events: state, health (on each ffmpeg progress report), ffmpeg's error lines. */
export type FileRecorderEvents = MediaOutputEvents<FileRecorderState, FileRecorderHealth>;

const LINES_KEPT = 40;

export class FileRecorder extends OutputBase<FileRecorderState, FileRecorderHealth> {
  /** The crash-safe file written while recording. */
  readonly recordingPath: string;
  /** The final file a clean stop produces. */
  readonly finalPath: string;
  private readonly partPath: string;
  private readonly now: () => number;
  private readonly maxQueueBytes: number;
  private readonly checkFfmpeg: (path: string) => Promise<void>;

  /** The recording ffmpeg (kept after it exited: its last lines say why). */
  private ffmpeg: FfmpegProcess | null = null;
  private readonly pids: number[] = [];
  /** Set when we end ffmpeg ourselves because of a failure we saw first. */
  private abortReason: RecordingFailureReason | null = null;
  private stopping: Promise<FileRecorderState> | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  /** The first feed bytes handed to ffmpeg: the file's time begins here (a cold encoder's start-up comes before it). */
  private firstWriteAt: number | null = null;
  /** The first written piece with video decides (undefined: none yet). */
  private fileStartsAt: number | null | undefined = undefined;
  private endedAt: number | null = null;
  private fileBytes = 0;
  private progressBytes = 0;
  private droppedBytes = 0;

  constructor(private readonly options: FileRecorderOptions) {
    super({ state: 'idle' });
    const paths = recordingPaths(options.folder, options.baseName, options.format);
    this.recordingPath = paths.recordingPath;
    this.finalPath = paths.finalPath;
    this.partPath = paths.partPath;
    this.now = options.now ?? Date.now;
    this.maxQueueBytes = options.maxQueueBytes ?? 64 * 1024 * 1024;
    this.checkFfmpeg = options.checkFfmpeg ?? ((path) => ffmpegChecker.check(path));
  }

  /** The recording folder. */
  get folder(): string {
    return this.options.folder;
  }

  /** The file name without extension (`OnAir 2026-12-01 09-30-12`). */
  get baseName(): string {
    return this.options.baseName;
  }

  /** Every ffmpeg this recorder started (recording and remux), for diagnostics and tests. */
  processIds(): readonly number[] {
    return this.pids;
  }

  /** The recording ffmpeg's pid while it runs. */
  processId(): number | null {
    return this.ffmpeg?.running ? this.ffmpeg.pid : null;
  }

  health(): FileRecorderHealth {
    return {
      state: this.state().state,
      elapsedMs: this.firstWriteAt !== null ? Math.max(0, (this.endedAt ?? this.now()) - this.firstWriteAt) : 0,
      firstWriteAt: this.firstWriteAt,
      fileStartsAt: this.fileStartsAt ?? null,
      bytesWritten: Math.max(this.fileBytes, this.progressBytes),
      queuedBytes: this.ffmpeg?.running ? this.ffmpeg.queuedBytes : 0,
      droppedBytes: this.droppedBytes,
    };
  }

  /**
   * Checks the folder and ffmpeg, then starts ffmpeg. Fails (nothing started) with
   * `recording.folder_missing|folder_not_writable|disk_full|failed` or `ffmpeg.*`.
   */
  async start(): Promise<void> {
    if (this.state().state !== 'idle') throw new RecordingRefused('spawn_failed', 'this recorder was already started');
    // Synchronously, before anything else runs: the name is taken (no other recording picks it).
    reserveFile(this.options.folder, this.recordingPath);
    try {
      await checkRecordingFolder(this.options.folder);
      await this.checkFfmpeg(this.options.ffmpegPath);
    } catch (error) {
      await unlink(this.recordingPath).catch(() => {});
      throw error;
    }
    const ffmpeg = new FfmpegProcess({
      path: this.options.ffmpegPath,
      args: recordArgs(this.recordingPath, this.options.format, this.options.progressPeriodMs ?? 1000, this.options.feedAudioIsAac ?? false),
      // -progress pipe:3: stdout is not used.
      progressOnFd3: true,
      maxQueueBytes: this.maxQueueBytes,
      linesKept: LINES_KEPT,
      onLine: (line) => this.emit('log', line),
      onProgress: (block) => {
        this.progressBytes = Math.max(this.progressBytes, block.totalSize);
        this.emit('health', this.health());
      },
    });
    if (!(await ffmpeg.started)) {
      await unlink(this.recordingPath).catch(() => {});
      throw new RecordingRefused('spawn_failed', (await ffmpeg.exited).spawnError ?? undefined);
    }
    if (ffmpeg.pid) this.pids.push(ffmpeg.pid);
    this.ffmpeg = ffmpeg;
    void ffmpeg.exited.then(({ code, signal }) => this.onExit(code, signal));
    this.startedAt = this.now();
    this.setState({ state: 'recording', since: this.startedAt });
    this.watchTimer = setInterval(() => void this.watch(), this.options.watchMs ?? 1000);
    this.watchTimer.unref();
  }

  /** The next piece of the program feed. Never blocks, never throws. */
  write(piece: FeedPiece): void {
    try {
      const ffmpeg = this.ffmpeg;
      const result = this.state().state !== 'recording' || this.abortReason || !ffmpeg ? 'closed' : ffmpeg.write(piece.data);
      if (result !== 'closed' && result !== 'behind') {
        this.firstWriteAt ??= this.now();
        if (piece.videoSamples && this.fileStartsAt === undefined) this.fileStartsAt = piece.inputAt ?? null;
      }
      if (result === 'closed' || result === 'behind') this.droppedBytes += piece.data.length;
      if (result === 'behind') this.abort('behind');
    } catch {
      // A recorder's trouble is its own: the fan-out goes on.
    }
  }

  /**
   * Ends the recording: ffmpeg writes what it has, then the crash-safe file is remuxed into the
   * final file, which replaces it. Resolves with `done` or `failed` (never rejects).
   */
  stop(): Promise<FileRecorderState> {
    if (this.stopping) return this.stopping;
    const ffmpeg = this.ffmpeg;
    if (this.state().state !== 'recording' || !ffmpeg?.running) return Promise.resolve(this.state());
    if (this.abortReason) return ffmpeg.exited.then(() => this.state());
    this.stopping = this.finish(ffmpeg, this.options.stopTimeoutMs ?? 20_000);
    return this.stopping;
  }

  // ---------------------------------------------------------------------------------------------

  private async finish(ffmpeg: FfmpegProcess, stopTimeoutMs: number): Promise<FileRecorderState> {
    this.endedAt = this.now();
    this.stopWatch();
    this.setState({ state: 'finalizing' });
    // What is queued is written, then end of input; killed if it takes longer than stopTimeoutMs.
    const exit = await ffmpeg.end(stopTimeoutMs);
    await this.measureFile();
    if (exit.code !== 0) {
      const detail = exit.signal ? `ffmpeg ended by ${exit.signal}` : `ffmpeg exit ${exit.code}: ${this.lastLine()}`;
      return this.fail(classifyFfmpegLines(ffmpeg.lines()), detail);
    }
    try {
      await this.checkFfmpeg(this.options.ffmpegPath);
    } catch (error) {
      return this.fail('remux_failed', (error as Error).message);
    }
    const remux = await runFfmpeg(this.options.ffmpegPath, remuxArgs(this.recordingPath, this.partPath, this.options.format), {
      timeoutMs: this.options.remuxTimeoutMs ?? 30 * 60_000,
      onSpawn: (pid) => this.pids.push(pid),
    });
    if (remux.code !== 0) {
      await unlink(this.partPath).catch(() => {});
      const reason = classifyFfmpegLines(remux.lines) === 'disk_full' ? 'disk_full' : 'remux_failed';
      return this.fail(reason, remux.lines.at(-1) ?? (remux.signal ? `remux ended by ${remux.signal}` : `remux exit ${remux.code}`));
    }
    try {
      await rename(this.partPath, this.finalPath);
    } catch (error) {
      await unlink(this.partPath).catch(() => {});
      return this.fail(classifyErrno((error as NodeJS.ErrnoException).code) ?? 'remux_failed', (error as Error).message);
    }
    // Only now, with the final file in place, the crash-safe copy goes.
    await unlink(this.recordingPath).catch(() => {});
    try {
      this.fileBytes = (await stat(this.finalPath)).size;
    } catch {
      // Measured before; the size shown stays.
    }
    this.setState({ state: 'done', path: this.finalPath });
    return this.state();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state().state !== 'recording') return; // stop() tells the rest of the story.
    this.endedAt = this.now();
    this.stopWatch();
    const reason = this.abortReason ?? classifyFfmpegLines(this.ffmpeg?.lines() ?? []);
    const detail = this.abortReason ? undefined : signal ? `ffmpeg ended by ${signal}` : `ffmpeg exit ${code}: ${this.lastLine()}`;
    void this.measureFile().then(() => this.fail(reason, detail));
  }

  /** We saw the failure before ffmpeg did: end it now (the crash-safe file keeps what it wrote). */
  private abort(reason: RecordingFailureReason): void {
    const ffmpeg = this.ffmpeg;
    if (this.abortReason || !ffmpeg?.running) return;
    this.abortReason = reason;
    this.droppedBytes += ffmpeg.queuedBytes;
    void ffmpeg.kill();
  }

  private async watch(): Promise<void> {
    if (this.state().state !== 'recording' || this.abortReason) return;
    try {
      this.fileBytes = Math.max(this.fileBytes, (await stat(this.recordingPath)).size);
    } catch (error) {
      // The file exists from start() on: gone means it (or its folder) was removed or unmounted.
      this.abort(classifyErrno((error as NodeJS.ErrnoException).code) ?? 'folder_missing');
    }
  }

  /** Size of the crash-safe file; an empty one (nothing recorded) is removed. */
  private async measureFile(): Promise<void> {
    try {
      const size = (await stat(this.recordingPath)).size;
      this.fileBytes = Math.max(this.fileBytes, size);
      if (size === 0) await unlink(this.recordingPath).catch(() => {});
    } catch {
      // Gone: keptPath says so.
    }
  }

  private async fail(reason: RecordingFailureReason, detail?: string): Promise<FileRecorderState> {
    let keptPath: string | null = null;
    try {
      if ((await stat(this.recordingPath)).size > 0) keptPath = this.recordingPath;
    } catch {
      keptPath = null;
    }
    this.setState({ state: 'failed', reason, message: failureMessage(reason, keptPath, detail), keptPath });
    return this.state();
  }

  private lastLine(): string {
    return this.ffmpeg?.lines().at(-1) ?? 'no message';
  }

  private stopWatch(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }
}
