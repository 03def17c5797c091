/**
 * The recording service: Record / Stop recording of the program feed into the user's folder,
 * independent of any broadcast. It owns at most one FileRecorder, attaches it to the feed and
 * detaches it when the recording stops or fails, so nothing else on the feed is touched.
 * The IPC layer and the CLI call this; they never drive a FileRecorder themselves.
 */
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { StudioError } from '../../../shared/errors';
import {
  DEFAULT_RECORDING_SETTINGS,
  IDLE_RECORDING,
  type RecordingError,
  type RecordingFailureReason,
  type RecordingSettings,
  recordingSettingsSchema,
  type RecordingStatus,
  type RecoveredRecording,
} from '../../../shared/recording';
import type { FoundFfmpeg } from '../media/ffmpeg/find';
import { aacAudio } from '../media/feed/feed-codecs';
import { FileRecorder, type FileRecorderOptions, type FileRecorderState, RecordingRefused, recordingErrorCode } from '../media/file/index';
import type { FeedSink } from '../media/rtmp/index';
import { processOwner } from '../media/process-owner';
import { freeBaseName, recordingBaseName } from './file-names';
import { recoverRecordings } from './recover';
import { RecordingJournal } from './recording-journal';
import { defaultVideosFolder } from './videos-folder';

/** What the service needs of the program feed: a FeedFanout, or anything shaped like it. */
export interface RecordingFeed {
  add(sink: FeedSink): void;
  remove(sink: FeedSink): void;
  /**
   * The studio's program feed runs only while something needs it: the service says so for as
   * long as it records (`need('recording')` before the recorder starts, `release('recording')`
   * once it is done, failed or refused), so a recording runs without any broadcast.
   */
  need?(reason: 'recording'): void;
  release?(reason: 'recording'): void;
  /**
   * The feed that runs now, if any: when its audio is AAC already, an MP4 file copies it. A
   * recording started before the feed opens (Record while not live) encodes the audio to AAC.
   */
  current?(): { mimeType: string } | null;
}

export interface RecordingServiceOptions {
  /** The studio's ffmpeg lookup (`findFfmpeg` with the Settings path). */
  findFfmpeg: () => FoundFfmpeg | null;
  /** Default: the studio's ffmpegChecker. */
  checkFfmpeg?: (path: string) => Promise<void>;
  /** Folder and format, read at each start. Default: Videos folder, MP4. */
  settings?: () => RecordingSettings;
  /** The user's Videos folder; in Electron the shell passes `() => app.getPath('videos')`. */
  videosFolder?: () => string;
  now?: () => number;
  /** Recorder tuning (tests): queue bound, stop/remux timeouts, watch period. */
  recorder?: Pick<FileRecorderOptions, 'maxQueueBytes' | 'stopTimeoutMs' | 'remuxTimeoutMs' | 'watchMs' | 'progressPeriodMs'>;
  /** While recording, a `status` event this often (elapsed time and size for the UI); default 1000 ms, 0 = none. */
  tickMs?: number;
  /**
   * The journal of recordings in progress (`<dataDir>/recordings-in-progress.json`): each recording
   * is written down while it runs, and `recover()` finishes those a killed run left. None: no journal.
   */
  journalPath?: string;
  /** Recovery tuning (tests): how long to wait for a dead run's recorder ffmpeg to exit. */
  writerWaitMs?: number;
  log?: (line: string) => void;
}

export interface RecordingServiceEvents {
  /** Every change of state (recording, finalizing, done, failed), and every `tickMs` while recording. */
  status: [RecordingStatus];
}

export class RecordingService extends EventEmitter<RecordingServiceEvents> {
  private readonly now: () => number;
  private recorder: FileRecorder | null = null;
  private feed: RecordingFeed | null = null;
  private format: RecordingSettings['format'] = 'mp4';
  private folder: string | null = null;
  private refusal: RecordingError | null = null;
  private startedAt: string | null = null;
  private starting: Promise<RecordingStatus> | null = null;
  private stopping: Promise<RecordingStatus> | null = null;
  private ticker: NodeJS.Timeout | null = null;
  /** The feed this service said it needs (released once the recording is over). */
  private needing: RecordingFeed | null = null;
  private readonly journal: RecordingJournal | null;
  private recovered: RecoveredRecording[] = [];
  private recovering: Promise<RecoveredRecording[]> | null = null;
  private readonly recoveryAbort = new AbortController();

  constructor(private readonly options: RecordingServiceOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.journal = options.journalPath ? new RecordingJournal(options.journalPath, { log: options.log }) : null;
  }

  /**
   * Finishes (remuxes) the recordings an earlier run was writing when it was killed, once per
   * service; what was saved or kept goes into the status (`recovered`) and a `status` event.
   * Never rejects.
   */
  recover(): Promise<RecoveredRecording[]> {
    const journal = this.journal;
    if (!journal) return Promise.resolve([]);
    this.recovering ??= recoverRecordings({
      journal,
      findFfmpeg: () => this.options.findFfmpeg()?.path ?? null,
      checkFfmpeg: this.options.checkFfmpeg,
      remuxTimeoutMs: this.options.recorder?.remuxTimeoutMs,
      writerWaitMs: this.options.writerWaitMs,
      signal: this.recoveryAbort.signal,
      log: this.options.log,
    })
      .catch((error: unknown) => {
        this.options.log?.(`recording recovery failed: ${(error as Error).message}`);
        return [];
      })
      .then((found) => {
        if (found.length > 0) {
          this.recovered = [...this.recovered, ...found];
          this.emit('status', this.status());
        }
        return found;
      });
    return this.recovering;
  }

  /** The recorder of the current (or last) recording; tests and diagnostics only. */
  get currentRecorder(): FileRecorder | null {
    return this.recorder;
  }

  /**
   * Starts recording `feed` (a second start while recording returns the same recording). Refused,
   * with nothing started, by `recording.folder_missing|folder_not_writable|disk_full|ffmpeg_missing|failed`
   * or `ffmpeg.*`; the status then says `failed` with that error.
   */
  async start(feed: RecordingFeed): Promise<RecordingStatus> {
    if (this.starting) return this.starting;
    if (this.stopping) await this.stopping;
    if (this.recorder?.state().state === 'recording') return this.status();
    this.needFeed(feed);
    this.starting = this.begin(feed).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Stops and finishes the file; resolves with `done` or `failed` (idempotent, never rejects). */
  async stop(): Promise<RecordingStatus> {
    if (this.starting) await this.starting.catch(() => {});
    if (this.stopping) return this.stopping;
    const recorder = this.recorder;
    if (!recorder || recorder.state().state !== 'recording') return this.status();
    this.stopping = (async () => {
      // No new bytes; ffmpeg writes all it was given.
      this.feed?.remove(recorder);
      await recorder.stop();
      this.settled();
      return this.status();
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  /** Stops a running recording (app quit); a recovery still remuxing is cut short (and done at the next start). */
  async close(): Promise<void> {
    this.recoveryAbort.abort();
    await this.stop();
    await this.recovering;
  }

  status(): RecordingStatus {
    const recorder = this.recorder;
    if (!recorder) {
      if (!this.refusal) return { ...IDLE_RECORDING, format: this.format, folder: this.folder, recovered: this.recovered };
      return { ...IDLE_RECORDING, state: 'failed', format: this.format, folder: this.folder, error: this.refusal, recovered: this.recovered };
    }
    const state = recorder.state();
    const health = recorder.health();
    return {
      state: state.state === 'idle' ? 'idle' : state.state,
      format: this.format,
      folder: this.folder,
      path: state.state === 'done' ? state.path : recorder.finalPath,
      recordingPath: state.state === 'done' ? null : recorder.recordingPath,
      startedAt: this.startedAt,
      firstFrameAt: health.firstWriteAt === null ? null : new Date(health.firstWriteAt).toISOString(),
      fileStartsAt: health.fileStartsAt === null ? null : new Date(health.fileStartsAt).toISOString(),
      elapsedMs: Math.max(0, Math.round(health.elapsedMs)),
      bytesWritten: health.bytesWritten,
      queuedBytes: health.queuedBytes,
      error: state.state === 'failed' ? errorOf(state) : null,
      recovered: this.recovered,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private async begin(feed: RecordingFeed): Promise<RecordingStatus> {
    const parsed = recordingSettingsSchema.safeParse(this.options.settings?.() ?? DEFAULT_RECORDING_SETTINGS);
    const settings = parsed.success ? parsed.data : null;
    this.format = settings?.format ?? 'mp4';
    this.recorder = null;
    this.refusal = null;
    this.startedAt = null;
    try {
      if (!settings) throw new RecordingRefused('folder_missing', 'the recording settings are not valid');
      const folder = settings.folder ?? (this.options.videosFolder ?? (() => defaultVideosFolder()))();
      this.folder = folder;
      // A fresh account may have no Videos folder yet; a folder the user chose is never created.
      if (settings.folder === null) await mkdir(folder, { recursive: true }).catch(() => {});
      const found = this.options.findFfmpeg();
      if (!found) throw new RecordingRefused('ffmpeg_missing');
      const at = this.now();
      // Matroska keeps any audio; an MP4 file copies the feed's only if it is AAC.
      const mimeType = feed.current?.()?.mimeType;
      const feedAudioIsAac = settings.format === 'mp4' && mimeType !== undefined && aacAudio(mimeType);
      if (feedAudioIsAac) this.options.log?.('[recording] the feed\'s audio is AAC: the file copies it (nothing encoded in main)');
      const recorder = new FileRecorder({
        ...this.options.recorder,
        feedAudioIsAac,
        ffmpegPath: found.path,
        folder,
        baseName: freeBaseName(folder, recordingBaseName(new Date(at)), settings.format),
        format: settings.format,
        checkFfmpeg: this.options.checkFfmpeg,
        now: this.now,
      });
      // Written down before the file exists (and before the free name is taken: no await between),
      // so that a killed run's recording is found at the next start.
      const entry = { folder, baseName: recorder.baseName, format: settings.format };
      this.journal?.add({ ...entry, startedAt: new Date(at).toISOString() });
      try {
        await recorder.start();
      } catch (error) {
        this.journal?.remove(entry);
        throw error;
      }
      const pid = recorder.processId();
      if (pid) this.journal?.setWriter(entry, processOwner(pid));
      this.recorder = recorder;
      this.feed = feed;
      this.startedAt = new Date(at).toISOString();
      recorder.on('state', (state) => this.onRecorderState(recorder, state));
      feed.add(recorder);
      this.startTicker(recorder);
    } catch (error) {
      this.refusal = refusalOf(error);
      this.settled();
      this.emit('status', this.status());
      throw error instanceof StudioError ? error : new StudioError('recording.failed', this.refusal.message, { reason: this.refusal.reason });
    }
    const status = this.status();
    this.emit('status', status);
    return status;
  }

  private onRecorderState(recorder: FileRecorder, state: FileRecorderState): void {
    // Done, or failed with the failure saying where the file is kept: no longer in progress.
    if (state.state === 'done' || state.state === 'failed') this.journal?.remove({ folder: recorder.folder, baseName: recorder.baseName });
    if (recorder !== this.recorder) return;
    // A failed recorder leaves the feed at once; the other outputs go on.
    if (state.state === 'failed') {
      this.feed?.remove(recorder);
      this.settled();
    }
    if (state.state !== 'recording') this.stopTicker();
    this.emit('status', this.status());
  }

  private needFeed(feed: RecordingFeed): void {
    if (this.needing === feed) return;
    this.needing?.release?.('recording');
    this.needing = feed;
    feed.need?.('recording');
  }

  /** The recording is over (done, failed or refused): the feed is no longer needed for it. */
  private settled(): void {
    this.stopTicker();
    const feed = this.needing;
    this.needing = null;
    feed?.release?.('recording');
  }

  private startTicker(recorder: FileRecorder): void {
    this.stopTicker();
    const every = this.options.tickMs ?? 1000;
    if (every <= 0) return;
    this.ticker = setInterval(() => {
      if (recorder === this.recorder && recorder.state().state === 'recording') this.emit('status', this.status());
    }, every);
    this.ticker.unref?.();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }
}

function errorOf(state: Extract<FileRecorderState, { state: 'failed' }>): RecordingError {
  return { code: recordingErrorCode(state.reason), reason: state.reason, message: state.message, keptPath: state.keptPath };
}

function refusalOf(error: unknown): RecordingError {
  if (error instanceof RecordingRefused) return { code: error.code, reason: error.reason, message: error.message, keptPath: null };
  if (error instanceof StudioError) {
    const reason: RecordingFailureReason = error.code.startsWith('ffmpeg.') ? 'ffmpeg_refused' : 'spawn_failed';
    return { code: error.code, reason, message: error.message, keptPath: null };
  }
  return { code: 'recording.failed', reason: 'spawn_failed', message: error instanceof Error ? error.message : String(error), keptPath: null };
}
