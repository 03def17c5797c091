import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HLS_SEGMENT_SECONDS, type MediaStatus } from '../../../shared/media';
import { StudioError } from '../../../shared/errors';
import type { ProcessorRecord, StreamerRecord } from './model';
import type { CloudState } from './state';
import { FFMPEG_HELP, type FoundFfmpeg } from '../media/ffmpeg/find';
import { ffmpegChecker } from '../media/ffmpeg/check';
import { HlsPackager } from '../media/hls/packager';

/** What the studio shows about the media path (also the `media.changed` event): the contract's type. */
export type { MediaStatus };
type MediaState = MediaStatus['state'];

export interface MediaEngineOptions {
  state: CloudState;
  /** Session folders live here (`<hlsRoot>/<PlayerStreamerSid>-<sessionId>`); wiped at start and close. */
  hlsRoot: string;
  findFfmpeg: () => FoundFfmpeg | null;
  /** Refuses a program that is not ffmpeg (`ffmpeg.*` errors); default: the studio's cached `-version` check. */
  checkFfmpeg?: (path: string) => Promise<void>;
  segmentSeconds?: number;
  window?: number;
  maxQueueBytes?: number;
  /** How long an ended session's files stay for players that are still reading them. */
  retainMs?: number;
  /** How long ending an ingest may take before ffmpeg is killed; default 8 s. */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface IngestTicket {
  ingestId: string;
  mediaProcessorSid: string;
  playerStreamerSids: string[];
  maxQueueBytes: number;
  transcoding: boolean;
}

/**
 * The local cloud's MediaProcessor engine: binds the studio's program feed to a running
 * MediaProcessor, packages it into HLS for the processor's PlayerStreamers, marks them
 * `started` on the first segment, and ends the playlist when the processor or streamer ends.
 */
export class MediaEngine {
  private readonly packagers = new Map<string, HlsPackager>();
  /** PlayerStreamer sid → processor sid feeding it. */
  private readonly outputs = new Map<string, string>();
  private readonly listeners = new Set<(status: MediaStatus) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retiring = new WeakSet<HlsPackager>();
  private lastProcessor: string | null = null;
  private closed = false;

  constructor(private readonly options: MediaEngineOptions) {
    options.state.processors.onEnd((record) => void this.processorEnded(record));
    options.state.streamers.onEnd((record) => void this.streamerEnded(record));
  }

  private get log(): (line: string) => void {
    return this.options.log ?? (() => {});
  }

  /**
   * Fails with `media.ffmpeg_missing` (with how to get it) when ffmpeg cannot be found, and with
   * `ffmpeg.not_found|not_executable|not_ffmpeg|timeout` when what was found is not ffmpeg (checked
   * again each time: the file may have changed since it was chosen).
   */
  async requireFfmpeg(): Promise<FoundFfmpeg> {
    const found = this.options.findFfmpeg();
    if (!found) throw new StudioError('media.ffmpeg_missing', FFMPEG_HELP);
    await (this.options.checkFfmpeg ?? ((path: string) => ffmpegChecker.check(path)))(found.path);
    return found;
  }

  /** Binds a new program feed to a started MediaProcessor. */
  async openIngest(mediaProcessorSid: string, mimeType: string): Promise<IngestTicket> {
    if (this.closed) throw new StudioError('media.not_live', 'The local cloud is shutting down.');
    this.options.state.sweep();
    const running = () => {
      const processor = this.options.state.processors.get(mediaProcessorSid);
      if (this.closed || !processor || !this.options.state.processors.isActive(processor)) {
        throw new StudioError('media.not_live', `MediaProcessor ${mediaProcessorSid} is not running.`);
      }
      return processor;
    };
    running();
    // Checked right before it is started with the program feed on its stdin.
    const ffmpeg = await this.requireFfmpeg();
    const processor = running();
    let packager = this.packagers.get(processor.sid);
    if (!packager) {
      const streamer = this.options.state.streamers.find(processor.outputs[0] ?? '');
      packager = new HlsPackager({
        ffmpegPath: ffmpeg.path,
        dir: join(this.options.hlsRoot, `${streamer.sid}-${streamer.sessionId}`),
        segmentSeconds: this.options.segmentSeconds ?? HLS_SEGMENT_SECONDS,
        window: this.options.window ?? 6,
        maxQueueBytes: this.options.maxQueueBytes ?? 8 * 1024 * 1024,
        stopTimeoutMs: this.options.stopTimeoutMs ?? 8_000,
        onFirstSegment: () => void this.markStarted(processor),
        onChange: () => this.emit(),
        log: this.log,
      });
      this.packagers.set(processor.sid, packager);
      for (const sid of processor.outputs) this.outputs.set(sid, processor.sid);
    }
    this.lastProcessor = processor.sid;
    const ingestId = randomBytes(12).toString('hex');
    await packager.open(ingestId, mimeType, ffmpeg.path);
    return {
      ingestId,
      mediaProcessorSid: processor.sid,
      playerStreamerSids: [...processor.outputs],
      maxQueueBytes: packager.maxQueueBytes,
      transcoding: packager.transcoding,
    };
  }

  push(ingestId: string, seq: number, data: Uint8Array): { seq: number; queuedBytes: number; maxQueueBytes: number } {
    return this.byIngest(ingestId).push(ingestId, seq, data);
  }

  async closeIngest(ingestId: string): Promise<void> {
    const packager = [...this.packagers.values()].find((p) => p.ingestId === ingestId);
    if (packager) await packager.closeIngest(ingestId);
  }

  status(): MediaStatus {
    const sid = this.lastProcessor;
    const packager = sid ? this.packagers.get(sid) : undefined;
    if (!sid || !packager) {
      return { state: 'idle', mediaProcessorSid: null, ingestId: null, segments: 0, queuedBytes: 0, maxQueueBytes: this.options.maxQueueBytes ?? 8 * 1024 * 1024, transcoding: false, error: null };
    }
    return {
      state: stateOf(packager),
      mediaProcessorSid: sid,
      ingestId: packager.lastIngestId,
      segments: packager.segments.length,
      queuedBytes: packager.queuedBytes,
      maxQueueBytes: packager.maxQueueBytes,
      transcoding: packager.transcoding,
      error: packager.failure,
    };
  }

  subscribe(listener: (status: MediaStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** ffmpeg processes running now (for tests and the benchmark). */
  pids(): number[] {
    return [...this.packagers.values()].map((p) => p.pid).filter((pid): pid is number => pid !== null);
  }

  /** The packager serving `/media/hls/<streamerSid>/<sessionId>/…`, when the session id matches. */
  session(streamerSid: string, sessionId: string): HlsPackager | null {
    const streamer = this.options.state.streamers.get(streamerSid);
    if (!streamer || streamer.sessionId !== sessionId) return null;
    const processorSid = this.outputs.get(streamerSid);
    return processorSid ? (this.packagers.get(processorSid) ?? null) : null;
  }

  /** Holds a playlist request until the first segment exists (at most `ms`), so players never start on a 404. */
  async waitForFirstSegment(packager: HlsPackager, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!packager.hasSegments() && (packager.state === 'waiting') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  openSegment(packager: HlsPackager, name: string): Promise<{ stream: Readable; length?: number } | null> {
    return packager.openSegment(name);
  }

  /** Kills every ffmpeg and removes every session folder. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.packagers.values()].map((p) => p.dispose()));
    this.packagers.clear();
    await rm(this.options.hlsRoot, { recursive: true, force: true });
  }

  /** Removes folders left by a studio that crashed. */
  async wipe(): Promise<void> {
    await rm(this.options.hlsRoot, { recursive: true, force: true });
  }

  private byIngest(ingestId: string): HlsPackager {
    const packager = [...this.packagers.values()].find((p) => p.ingestId === ingestId);
    if (!packager) throw new StudioError('media.not_live', 'This program feed is no longer being received.');
    return packager;
  }

  private async markStarted(processor: ProcessorRecord): Promise<void> {
    for (const sid of processor.outputs) {
      try {
        this.options.state.markStreamerStarted(sid);
      } catch (error) {
        this.log(`media: could not mark ${sid} started: ${(error as Error).message}`);
      }
    }
    await this.options.state.save();
    this.emit();
  }

  private async processorEnded(record: ProcessorRecord): Promise<void> {
    const packager = this.packagers.get(record.sid);
    if (!packager) return;
    await packager.end();
    this.retire(record.sid, packager);
  }

  private async streamerEnded(record: StreamerRecord): Promise<void> {
    const processorSid = this.outputs.get(record.sid);
    const packager = processorSid ? this.packagers.get(processorSid) : undefined;
    if (!processorSid || !packager) return;
    await packager.end();
    this.retire(processorSid, packager);
  }

  /** After the retention time, the session's files go and its URLs answer 404. */
  private retire(processorSid: string, packager: HlsPackager): void {
    if (this.closed || this.retiring.has(packager)) return;
    this.retiring.add(packager);
    const retainMs = this.options.retainMs ?? 30_000;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.packagers.get(processorSid) !== packager) return;
      void packager.dispose().then(() => {
        this.packagers.delete(processorSid);
        for (const [streamer, processor] of this.outputs) if (processor === processorSid) this.outputs.delete(streamer);
        this.emit();
      });
    }, retainMs);
    timer.unref?.();
    this.timers.add(timer);
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}

/**
 * The status is the current ingest's (an earlier ingest's failure is history once a new one
 * opened), inside the session's: an ended playlist is `ended` unless its last ingest failed.
 */
function stateOf(packager: HlsPackager): MediaState {
  const ingest = packager.ingestState;
  if (packager.state === 'ended' || packager.state === 'failed') return ingest === 'failed' ? 'failed' : packager.state;
  if (packager.state === 'ending') return 'live';
  return ingest ?? packager.state;
}
