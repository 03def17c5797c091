import type { BroadcastStatus } from '../../../shared/broadcast';
import type { MediaChunkAck, MediaIngest, MediaStatus } from '../../../shared/media';
import { StudioError } from '../../../shared/errors';
import type { BroadcastService } from '../broadcast/broadcast-service';
import type { LocalCloud } from '../local-cloud/index';
import type { SettingsService } from '../settings/settings-service';
import type { FeedPiece } from '../media/feed/feed-piece';
import { PROGRAM_FEED_QUEUE_BYTES, type ProgramFeed, type ProgramFeedSink } from '../media/feed/program-feed';

export interface MediaServiceOptions {
  localCloud: () => Promise<LocalCloud>;
  settings: SettingsService;
  broadcast: BroadcastService;
  feed: ProgramFeed;
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
 * HLS) is one of its outputs.
 */
export class MediaService {
  private readonly watched = new WeakSet<LocalCloud>();
  private preview: PreviewIngestSink | null = null;
  private readonly log: (line: string) => void;

  constructor(private readonly options: MediaServiceOptions) {
    this.log = options.log ?? (() => {});
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
      // The feed already runs for another reason: the preview joins it at the next fragment.
      const session = this.options.feed.current();
      if (session && !this.preview) void this.attachPreview(session.mimeType).catch(() => {});
    } else {
      this.detachPreview();
      this.options.feed.release('broadcast');
    }
  }

  async open(mimeType: string): Promise<MediaIngest> {
    const feed = this.options.feed;
    const notLive = () =>
      new StudioError('media.not_live', 'Nothing needs the program feed now: no live broadcast, no destination and no recording.');
    if (!feed.needed()) throw notLive();
    this.detachPreview();
    let preview: PreviewIngestSink | null = null;
    let transcoding = !/mp4/i.test(mimeType) || !/avc1|h264/i.test(mimeType);
    if (this.previewWanted()) {
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
    if (preview) {
      this.preview = preview;
      feed.add(preview);
    }
    return { ingestId: session.ingestId, maxQueueBytes: preview?.maxQueueBytes ?? PROGRAM_FEED_QUEUE_BYTES, transcoding };
  }

  async chunk(ingestId: string, seq: number, data: Uint8Array): Promise<MediaChunkAck> {
    const ack = this.options.feed.chunk(ingestId, seq, data);
    const preview = this.preview;
    return preview ? { seq, queuedBytes: preview.queuedBytes(), maxQueueBytes: preview.maxQueueBytes } : ack;
  }

  async close(ingestId: string): Promise<MediaStatus> {
    const preview = this.preview;
    this.options.feed.close(ingestId);
    if (preview && preview.ingestId === ingestId) {
      this.detachPreview();
      await preview.end();
    }
    return this.status();
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

  private async attachPreview(mimeType: string): Promise<void> {
    const preview = await this.openPreview(mimeType);
    if (this.preview || !this.options.feed.current() || !this.previewWanted()) {
      await preview.end();
      return;
    }
    this.preview = preview;
    this.options.feed.add(preview);
  }

  private detachPreview(): void {
    const preview = this.preview;
    if (!preview) return;
    this.preview = null;
    this.options.feed.remove(preview);
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
