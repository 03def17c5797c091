import type { BroadcastStatus } from '../../../shared/broadcast';
import { StudioError } from '../../../shared/errors';
import type { BroadcastService } from '../broadcast/broadcast-service';
import type { DestinationRunner } from '../destinations/destination-runner';
import type { SettingsService } from '../settings/settings-service';
import { onAirStatus } from './on-air-status';

export interface LiveServiceOptions {
  settings: SettingsService;
  broadcast: BroadcastService;
  destinations: DestinationRunner;
  /** Refuses Go live before anything is created when the local media path cannot run (no ffmpeg). */
  preflight: () => Promise<void>;
  /** The on-air status changed without the broadcast saying so (Twilio mode, destinations only). */
  onChange: (status: BroadcastStatus) => void;
}

/**
 * Go live, Stop and the on-air status: the one owner of "on air", in both modes, for the app (IPC)
 * and the CLI alike.
 *
 * - Local mode: preflight (ffmpeg), the local broadcast (room, PlayerStreamer, MediaProcessor, the
 *   Sync record; the preview ingest follows it), then every enabled destination.
 * - Twilio mode with destinations: Twilio Live is retired, so Go live publishes to the
 *   destinations alone — no room, PlayerStreamer or MediaProcessor is created, and Twilio is not
 *   asked at Stop either.
 * - Twilio mode without destinations: the Twilio broadcast, as the seeds made it.
 * - Quit while live: `close()` ends every destination (a Local broadcast is left to the orphan dialog).
 */
export class LiveService {
  /** Set while Twilio mode is live on destinations alone (see onAirStatus). */
  private destinationsLiveSince: string | null = null;

  constructor(private readonly options: LiveServiceOptions) {}

  /** The broadcast's status as the studio shows it (live on destinations alone counts as live). */
  status(broadcast: BroadcastStatus = this.options.broadcast.status()): BroadcastStatus {
    return onAirStatus(broadcast, this.destinationsLiveSince);
  }

  /**
   * Go live. `destinationsOnly`: publish to the enabled destinations and nothing else, in either
   * mode (the headless CLI, which has no preview to watch); refused when none is enabled.
   */
  async goLive({ destinationsOnly = false }: { destinationsOnly?: boolean } = {}): Promise<BroadcastStatus> {
    const { settings, broadcast, destinations } = this.options;
    if (destinationsOnly && !destinations.hasEnabled()) {
      throw new StudioError('destination.none_enabled', 'No destination is enabled. Add one (onair destination add) or enable one in the studio.');
    }
    if (destinationsOnly || (settings.read().mode === 'twilio' && destinations.hasEnabled())) {
      await destinations.start();
      this.destinationsLiveSince ??= new Date().toISOString();
      const status = this.status();
      this.options.onChange(status);
      return status;
    }
    // The local media path needs ffmpeg: say how to get it before creating anything.
    await this.options.preflight();
    const status = await broadcast.start();
    await destinations.start();
    return status;
  }

  async stop(): Promise<BroadcastStatus> {
    const { broadcast, destinations } = this.options;
    const destinationsOnly = this.destinationsLiveSince !== null;
    this.destinationsLiveSince = null;
    await destinations.stop();
    const status = broadcast.status();
    // Twilio mode, destinations only: there is no Twilio broadcast to end, so Twilio is not asked.
    if (destinationsOnly && (status.state === 'idle' || status.state === 'failed')) {
      this.options.onChange(status);
      return status;
    }
    return broadcast.stop();
  }

  /** Quit: every destination ends its stream; nothing is announced afterwards. */
  async close(): Promise<void> {
    this.destinationsLiveSince = null;
    await this.options.destinations.close();
  }
}
