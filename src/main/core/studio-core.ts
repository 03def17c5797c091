import { join } from 'node:path';
import type { AppInfo } from '../../shared/contract';
import { BroadcastService } from './broadcast/broadcast-service';
import { createDispatcher, type Dispatch, type Sender } from './ipc/dispatcher';
import { EventHub } from './ipc/event-hub';
import { createHandlers } from './ipc/handlers';
import type { LocalCloud } from './local-cloud/index';
import { startLocalCloud } from './local-cloud/index';
import { findFfmpeg } from './local-cloud/media/ffmpeg';
import { MediaService } from './media/media-service';
import type { KeyValueStore, SecretCipher } from './settings/ports';
import { SettingsService } from './settings/settings-service';
import { ActivityFeed } from './twilio/activity-feed';
import { Connections } from './twilio/connection';
import type { RetryPolicy } from './twilio/request-client';

export interface StudioCoreOptions {
  store: KeyValueStore;
  /** Where the broadcast's ledger of created resources is kept; defaults to `store` (the CLI keeps it apart). */
  ledgerStore?: KeyValueStore;
  cipher: SecretCipher;
  info: AppInfo;
  /** Where the local cloud keeps its state (`<dataDir>/local-cloud`). */
  dataDir: string;
  /** The renderer's origin (`app://studio`, or the harness origin). */
  appOrigin: string;
  isTrustedSender: (sender: Sender) => boolean;
  /** `ONAIR_TWILIO_API_ORIGIN`. */
  twilioOrigin?: string;
  /** Tests pass a running local cloud; otherwise one is started on first use. */
  localCloud?: () => Promise<LocalCloud>;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** The clock for start times and status refreshes (tests use the local cloud's). */
  now?: () => number;
  log?: (line: string) => void;
  /** The ffmpeg program chosen by the user (a settings value), tried before FFMPEG_PATH, the bundled copy and PATH. */
  /** Overrides the `ffmpegPath` setting (tests). */
  ffmpegPath?: () => string | null | undefined;
  /** `process.resourcesPath` of the packaged app (the bundled ffmpeg is `<resources>/ffmpeg/ffmpeg[.exe]`). */
  resourcesPath?: string;
}

export interface StudioCore {
  dispatch: Dispatch;
  events: EventHub;
  settings: SettingsService;
  activity: ActivityFeed;
  connections: Connections;
  broadcast: BroadcastService;
  media: MediaService;
  /** Stops what the core started (the local cloud). Does not end a live broadcast. */
  close: () => Promise<void>;
}

/**
 * The composition root shared by the Electron shell, the browser harness and the
 * CLI: the same services and the same handlers behind any transport.
 */
export function createStudioCore(options: StudioCoreOptions): StudioCore {
  const log = options.log ?? (() => {});
  const events = new EventHub();
  const settings = new SettingsService(options.store, options.cipher, (view) => events.emit('settings.changed', view));
  const activity = new ActivityFeed();
  activity.subscribe((entry) => events.emit('activity.entry', entry));

  let cloud: Promise<LocalCloud> | null = null;
  const localCloud =
    options.localCloud ??
    (() => {
      const starting =
        cloud ??
        startLocalCloud({
          dataDir: join(options.dataDir, 'local-cloud'),
          media: {
            findFfmpeg: () =>
              findFfmpeg({
                setting: options.ffmpegPath ? options.ffmpegPath() : settings.read().ffmpegPath || undefined,
                resourcesPath: options.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath,
              }),
            log,
          },
        }).catch((error: unknown) => {
          cloud = null;
          throw error;
        });
      cloud = starting;
      return starting;
    });

  const connections = new Connections({
    settings,
    activity,
    localCloud,
    twilioOrigin: options.twilioOrigin,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  const broadcast = new BroadcastService({
    connections,
    settings,
    appOrigin: options.appOrigin,
    ledgerStore: options.ledgerStore ?? options.store,
    now: options.now,
    onChange: (status) => events.emit('broadcast.changed', status),
    log,
  });

  const media = new MediaService({ localCloud, settings, broadcast, onChange: (status) => events.emit('media.changed', status) });

  const dispatch = createDispatcher({
    handlers: createHandlers({ info: options.info, settings, activity, connections, broadcast, media }),
    isTrustedSender: options.isTrustedSender,
    onError: ({ channel, code }) => log(`ipc ${channel} failed: ${code}`),
  });

  return {
    dispatch,
    events,
    settings,
    activity,
    connections,
    broadcast,
    media,
    close: async () => {
      if (cloud) await (await cloud).close();
    },
  };
}
