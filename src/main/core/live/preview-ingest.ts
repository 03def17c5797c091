import type { BroadcastStatus } from '../../../shared/broadcast';
import type { MediaChunkAck, MediaFeedLeg, MediaIngest, MediaStatus } from '../../../shared/media';
import { StudioError } from '../../../shared/errors';
import type { MainLatency } from '../../../shared/latency';
import type { BroadcastService } from '../broadcast/broadcast-service';
import type { LocalCloud } from '../local-cloud/index';
import type { SettingsService } from '../settings/settings-service';
import type { FeedPiece } from '../media/feed/feed-piece';
import { PROGRAM_FEED_QUEUE_BYTES, ProgramFeed, type ProgramFeedSink } from '../media/feed/program-feed';

export interface MediaServiceOptions {
  localCloud: () => Promise<LocalCloud>;
  settings: SettingsService;
  broadcast: BroadcastService;
  feed: ProgramFeed;
  /** The preview leg's feed (a second ProgramFeed: one ingest at a time, in order, backpressure); made here when not given. */
  previewFeed?: ProgramFeed;
  onChange: (status: MediaStatus) => void;
  log?: (line: string) => void;
}

const IDLE: MediaStatus = {
  state: 'idle',
  mediaProcessorSid: null,
  ingestId: null,
  segments: 0,
  queuedBytes: 0,
  maxQueueBytes: 0,
  transcoding: false,
  error: null,
};

/**
 * The local preview as one output of the program feed: the live broadcast's MediaProcessor
 * ingest in the local cloud (HLS for the preview player: the media plane's `HlsIngest` behind the
 * cloud's byte port, `cloud.media.push`). It keeps the feed's backpressure
 * (the packager must not lose a byte) and stops receiving when it fails, without touching the
 * feed or any other output.
 */
class PreviewIngestSink implements ProgramFeedSink {
  private seq = 0;
  private broken = false;
  private ending: Promise<void> | null = null;

  constructor(
    private readonly cloud: LocalCloud,
    readonly ingestId: string,
    readonly maxQueueBytes: number,
    readonly transcoding: boolean,
    private readonly log: (line: string) => void,
  ) {}

  write(piece: FeedPiece): void {
    if (this.broken || this.ending) return;
    try {
      this.cloud.media.push(this.ingestId, this.seq, piece.data);
      this.seq += 1;
    } catch (error) {
      // The packager refused (ended, failed): the preview is done; nothing else is disturbed.
      this.broken = true;
      this.log(`preview ingest stopped receiving: ${error instanceof StudioError ? error.code : 'error'}`);
    }
  }

  wouldBlock(bytes: number): boolean {
    if (this.broken || this.ending) return false;
    const status = this.cloud.media.status();
    if (status.ingestId !== this.ingestId || status.state === 'failed' || status.state === 'ended') return false;
    return status.queuedBytes + bytes > status.maxQueueBytes;
  }

  queuedBytes(): number {
    const status = this.cloud.media.status();
    return status.ingestId === this.ingestId ? status.queuedBytes : 0;
  }

  feedEnded(): void {
    void this.end();
  }

  end(): Promise<void> {
    this.ending ??= this.cloud.media.closeIngest(this.ingestId).catch(() => {});
    return this.ending;
  }
}

/**
 * The studio side of the media path. The renderer's program feed arrives once (`media.open`,
 * `media.chunk` in order, `media.close`) into the ProgramFeed, which is accepted whenever
 * something needs it (a broadcast, destinations, a recording) in Local and in Twilio mode. In
 * Local mode, while a broadcast is live, the local cloud's MediaProcessor ingest (the preview's
 * HLS) is an output of the preview leg's feed when the encoder sends one (`leg: 'preview'`: small,
 * a keyframe per HLS segment), and of the program feed otherwise (MediaRecorder's feed already has
 * a keyframe every 250 ms). Destinations and the recording always take the program feed.
 */
export class MediaService {
  private readonly watched = new WeakSet<LocalCloud>();
  private preview: PreviewIngestSink | null = null;
  /** The feed the preview ingest reads now. */
  private previewSource: ProgramFeed | null = null;
  private readonly previewLeg: ProgramFeed;
  private readonly log: (line: string) => void;

  constructor(private readonly options: MediaServiceOptions) {
    this.log = options.log ?? (() => {});
    this.previewLeg = options.previewFeed ?? new ProgramFeed();
  }

  get feed(): ProgramFeed {
    return this.options.feed;
  }

  /** Go live needs ffmpeg in local mode: fail before anything is created, saying how to get it. */
  async preflight(): Promise<void> {
    if (this.options.settings.read().mode !== 'local') return;
    await (await this.cloud()).media.requireFfmpeg();
  }

  /** Follows the broadcast: a live local broadcast wants the feed (and gets the preview output). */
  onBroadcast(status: BroadcastStatus): void {
    const live = status.state === 'live' && this.options.settings.read().mode === 'local' && Boolean(status.mediaProcessorSid);
    if (live) {
      this.options.feed.need('broadcast');
      this.previewLeg.need('broadcast');
      // The feed already runs for another reason: the preview joins it at the next fragment
      // (unless the preview leg runs already; a leg opened later takes the preview over).
      const session = this.options.feed.current();
      if (session && !this.preview && !this.previewLeg.current()) void this.attachPreview(session.mimeType).catch(() => {});
    } else {
      this.detachPreview();
      this.previewLeg.release('broadcast');
      this.options.feed.release('broadcast');
    }
  }

  async open(mimeType: string, leg: MediaFeedLeg = 'program'): Promise<MediaIngest> {
    return leg === 'preview' ? this.openPreviewLeg(mimeType) : this.openProgram(mimeType);
  }

  async chunk(ingestId: string, seq: number, data: Uint8Array, sentAt?: number): Promise<MediaChunkAck> {
    const feed = this.feedOf(ingestId);
    const ack = feed.chunk(ingestId, seq, data, sentAt);
    const preview = this.previewSource === feed ? this.preview : null;
    return preview ? { ...ack, queuedBytes: preview.queuedBytes(), maxQueueBytes: preview.maxQueueBytes } : ack;
  }

  async close(ingestId: string): Promise<MediaStatus> {
    const feed = this.feedOf(ingestId);
    const current = feed.current()?.ingestId === ingestId;
    const preview = current && this.previewSource === feed ? this.preview : null;
    feed.close(ingestId);
    if (preview) {
      this.detachPreview();
      await preview.end();
    }
    // The preview leg ended while the broadcast goes on (its encoder fell back to MediaRecorder):
    // the preview reads the program feed again.
    const program = this.options.feed.current();
    if (current && feed === this.previewLeg && program && !this.preview && this.previewWanted()) await this.attachPreview(program.mimeType).catch(() => {});
    return this.status();
  }

  /** Where the program feed's latency goes in main (`media.latency`). */
  latency(): MainLatency {
    return this.options.feed.latency.summary();
  }

  /** Which feed reads the preview now (for tests and the studio's log): the preview leg, the program, or none. */
  previewReads(): MediaFeedLeg | null {
    if (!this.preview) return null;
    return this.previewSource === this.previewLeg ? 'preview' : 'program';
  }

  private async openProgram(mimeType: string): Promise<MediaIngest> {
    const feed = this.options.feed;
    const notLive = () =>
      new StudioError('media.not_live', 'Nothing needs the program feed now: no live broadcast, no destination and no recording.');
    if (!feed.needed()) throw notLive();
    if (this.previewSource === feed) this.detachPreview();
    let preview: PreviewIngestSink | null = null;
    let transcoding = !/mp4/i.test(mimeType) || !/avc1|h264/i.test(mimeType);
    if (this.previewWanted() && !this.previewLeg.current()) {
      try {
        preview = await this.openPreview(mimeType);
        transcoding = preview.transcoding;
      } catch (error) {
        // The preview's failure is the answer unless something else (destinations, a recording) needs the feed.
        if (feed.neededBy().every((reason) => reason === 'broadcast')) throw error;
        this.log(`preview ingest could not open: ${error instanceof StudioError ? error.code : 'error'}`);
      }
    }
    const session = feed.open(mimeType, notLive, preview?.ingestId);
    if (preview) this.attach(preview, feed);
    return { ingestId: session.ingestId, maxQueueBytes: preview?.maxQueueBytes ?? PROGRAM_FEED_QUEUE_BYTES, transcoding };
  }

  /** The preview's own leg: the preview ingest moves to it (from the program feed, if it read that). */
  private async openPreviewLeg(mimeType: string): Promise<MediaIngest> {
    const notLive = () => new StudioError('media.not_live', 'The preview leg is taken only while a Local-mode broadcast is live.');
    if (!this.previewWanted() || !this.previewLeg.needed()) throw notLive();
    this.detachPreview();
    const preview = await this.openPreview(mimeType);
    if (!this.previewWanted()) {
      await preview.end();
      throw notLive();
    }
    this.previewLeg.open(mimeType, notLive, preview.ingestId);
    this.attach(preview, this.previewLeg);
    return { ingestId: preview.ingestId, maxQueueBytes: preview.maxQueueBytes, transcoding: preview.transcoding };
  }

  /** The preview leg's ingest when `ingestId` is one of its, else the program feed (which refuses what it does not know). */
  private feedOf(ingestId: string): ProgramFeed {
    return this.previewLeg.current()?.ingestId === ingestId ? this.previewLeg : this.options.feed;
  }

  async status(): Promise<MediaStatus> {
    if (this.options.settings.read().mode !== 'local') return IDLE;
    return (await this.cloud()).media.status();
  }

  private previewWanted(): boolean {
    const { state, mediaProcessorSid } = this.options.broadcast.status();
    return this.options.settings.read().mode === 'local' && state === 'live' && Boolean(mediaProcessorSid);
  }

  private async openPreview(mimeType: string): Promise<PreviewIngestSink> {
    const { mediaProcessorSid } = this.options.broadcast.status();
    if (!mediaProcessorSid) throw new StudioError('media.not_live', 'There is no live broadcast to send the program feed to.');
    const cloud = await this.cloud();
    const ticket = await cloud.media.openIngest(mediaProcessorSid, mimeType);
    return new PreviewIngestSink(cloud, ticket.ingestId, ticket.maxQueueBytes, ticket.transcoding, this.log);
  }

  /** The preview reads the program feed from its next fragment (no preview leg runs). */
  private async attachPreview(mimeType: string): Promise<void> {
    const preview = await this.openPreview(mimeType);
    if (this.preview || this.previewLeg.current() || !this.options.feed.current() || !this.previewWanted()) {
      await preview.end();
      return;
    }
    this.attach(preview, this.options.feed);
  }

  private attach(preview: PreviewIngestSink, source: ProgramFeed): void {
    this.preview = preview;
    this.previewSource = source;
    source.add(preview);
  }

  private detachPreview(): void {
    const preview = this.preview;
    if (!preview) return;
    this.preview = null;
    this.previewSource?.remove(preview);
    this.previewSource = null;
    void preview.end();
  }

  private async cloud(): Promise<LocalCloud> {
    let cloud: LocalCloud;
    try {
      cloud = await this.options.localCloud();
    } catch (error) {
      throw new StudioError('local_cloud.unavailable', `The local cloud could not start: ${(error as Error).message}`);
    }
    if (!this.watched.has(cloud)) {
      this.watched.add(cloud);
      cloud.media.subscribe((status) => this.options.onChange(status));
    }
    return cloud;
  }
}
