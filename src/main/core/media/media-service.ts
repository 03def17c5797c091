import type { MediaChunkAck, MediaIngest, MediaStatus } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { BroadcastService } from '../broadcast/broadcast-service';
import type { LocalCloud } from '../local-cloud/index';
import type { SettingsService } from '../settings/settings-service';

export interface MediaServiceOptions {
  localCloud: () => Promise<LocalCloud>;
  settings: SettingsService;
  broadcast: BroadcastService;
  onChange: (status: MediaStatus) => void;
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
 * The studio side of the media path: binds the renderer's program feed to the live
 * broadcast's MediaProcessor in the local cloud and relays the packager's status.
 */
export class MediaService {
  private readonly watched = new WeakSet<LocalCloud>();

  constructor(private readonly options: MediaServiceOptions) {}

  /** Go live needs ffmpeg in local mode: fail before anything is created, saying how to get it. */
  async preflight(): Promise<void> {
    if (this.options.settings.read().mode !== 'local') return;
    await (await this.cloud()).media.requireFfmpeg();
  }

  async open(mimeType: string): Promise<MediaIngest> {
    const { state, mediaProcessorSid } = this.options.broadcast.status();
    if (this.options.settings.read().mode !== 'local') {
      throw new StudioError('media.not_live', 'The program feed is packaged by the local cloud only; Twilio mode has no media path.');
    }
    if (state !== 'live' || !mediaProcessorSid) throw new StudioError('media.not_live', 'There is no live broadcast to send the program feed to.');
    const ticket = await (await this.cloud()).media.openIngest(mediaProcessorSid, mimeType);
    return { ingestId: ticket.ingestId, maxQueueBytes: ticket.maxQueueBytes, transcoding: ticket.transcoding };
  }

  async chunk(ingestId: string, seq: number, data: Uint8Array): Promise<MediaChunkAck> {
    return (await this.cloud()).media.push(ingestId, seq, data);
  }

  async close(ingestId: string): Promise<MediaStatus> {
    const cloud = await this.cloud();
    await cloud.media.closeIngest(ingestId);
    return cloud.media.status();
  }

  async status(): Promise<MediaStatus> {
    if (this.options.settings.read().mode !== 'local') return IDLE;
    return (await this.cloud()).media.status();
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
