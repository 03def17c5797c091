import { dirname, join } from 'node:path';
import type { AppInfo } from '../../shared/contract';
import type { BroadcastStatus } from '../../shared/broadcast';
import { StudioError } from '../../shared/errors';
import { BroadcastService } from './broadcast/broadcast-service';
import { CaptureService, type CaptureServiceOptions } from './capture/capture-service';
import { DestinationRunner } from './destinations/destination-runner';
import { DestinationService } from './destinations/destination-service';
import { createDispatcher, type Dispatch, type Sender } from './ipc/dispatcher';
import { EventHub } from './ipc/event-hub';
import { GuestService } from './guests/guest-service';
import { createHandlers } from './ipc/handlers';
import type { LocalCloud } from './local-cloud/index';
import { startLocalCloud } from './local-cloud/index';
import { FFMPEG_HELP, findFfmpeg } from './media/ffmpeg/find';
import { ffmpegChecker } from './media/ffmpeg/check';
import { AudioStage } from './media/audio-stage';
import { MediaService } from './live/preview-ingest';
import { ProgramFeed } from './media/feed/program-feed';
import { RECORDING_JOURNAL_FILE, RecordingService } from './recording/index';
import { sweepKeyFifos } from './media/rtmp/key-fifo';
import { SceneStore } from './scenes/scene-store';
import type { RtmpOutputOptions } from './media/rtmp/index';
import { SecretVault } from './settings/secret-vault';
import type { KeyValueStore, SecretCipher } from './settings/ports';
import { LiveService } from './live/live-service';
import { settingsChecks } from './settings-checks';
import { SettingsService } from './settings/settings-service';
import { ActivityFeed } from './twilio/activity-feed';
import { Connections } from './twilio/connection';
import { disconnectParticipant } from './twilio/rooms';
import { mintGuestRoomToken } from './twilio/guest-tokens';
import { viewerSource } from './viewer-source';
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
  /** The user's Videos folder (the shell passes `app.getPath('videos')`); default: the recording core's lookup. */
  videosFolder?: () => string;
  /** Recorder tuning (tests). */
  recording?: Pick<ConstructorParameters<typeof RecordingService>[0], 'recorder' | 'tickMs'>;
  /** The desktop app's screen picker (Electron's desktopCapturer, macOS screen access); absent: `capture.unsupported`. */
  capture?: Pick<CaptureServiceOptions, 'desktopCapturer' | 'screenAccess'>;
  /** The built guest page (`out/renderer/guest`) the network guest server serves; absent (CLI): sharing is refused. */
  guestRoot?: string;
  /** Join-flood bounds of the guest server (tests). */
  guestLimits?: ConstructorParameters<typeof GuestService>[0]['limits'];
  /** How long a network viewer counts and its request rate (tests). */
  viewerLimits?: ConstructorParameters<typeof GuestService>[0]['viewerLimits'];
  /** Test-only knobs of the destinations' RTMP outputs. */
  destinations?: {
    /** The CA bundle RTMPS servers are verified against (a test CA); default: the system bundle. */
    caFile?: string;
    /** Shorter backoff, stall and stop bounds for tests. */
    outputOptions?: Partial<RtmpOutputOptions>;
    /** One shared Opus→AAC stage in front of every destination (default true); false: each output transcodes. */
    sharedAudio?: boolean;
  };
}

export interface StudioCore {
  dispatch: Dispatch;
  events: EventHub;
  settings: SettingsService;
  activity: ActivityFeed;
  connections: Connections;
  broadcast: BroadcastService;
  media: MediaService;
  /** The program feed: outputs (a recording, …) join with `programFeed.add(sink)` and say they need it with `need(reason)`. */
  programFeed: ProgramFeed;
  /** Record / Stop recording (independent of the broadcast). */
  recording: RecordingService;
  vault: SecretVault;
  destinations: DestinationService;
  destinationRunner: DestinationRunner;
  /** Screen capture: the sources, the user's choice, and the answer to the page's `getDisplayMedia`. */
  capture: CaptureService;
  /** The program's scenes (kept in `store`). */
  scenes: SceneStore;
  /** Guests: invites, backstage and stage, the network guest server (Local mode). */
  guests: GuestService;
  /** Go live, Stop and the on-air status (the app's IPC and the CLI call the same service). */
  live: LiveService;
  /** The ffmpeg to spawn now, checked (`media.ffmpeg_missing` with how to get it, `ffmpeg.*`). */
  resolveFfmpeg: () => Promise<string>;
  /** Go live: the broadcast (Local mode; Twilio mode without destinations) and every enabled destination. */
  goLive: () => Promise<BroadcastStatus>;
  /** Stop: every destination ends, then the broadcast. */
  stopLive: () => Promise<BroadcastStatus>;
  /** Ends every destination, then stops what the core started (the local cloud). Does not end a live broadcast. */
  close: () => Promise<void>;
}

/**
 * The composition root shared by the Electron shell, the browser harness and the
 * CLI: the same services and the same handlers behind any transport.
 */
export function createStudioCore(options: StudioCoreOptions): StudioCore {
  const log = options.log ?? (() => {});
  const events = new EventHub();
  const settings = new SettingsService(options.store, options.cipher, settingsChecks(options.videosFolder), (view) => events.emit('settings.changed', view));
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
  const programFeed = new ProgramFeed();
  let media: MediaService | null = null;
  const broadcast = new BroadcastService({
    connections,
    settings,
    appOrigin: options.appOrigin,
    ledgerStore: options.ledgerStore ?? options.store,
    now: options.now,
    onChange: (status) => {
      media?.onBroadcast(status);
      events.emit('broadcast.changed', status);
    },
    log,
  });

  media = new MediaService({ localCloud, settings, broadcast, feed: programFeed, onChange: (status) => events.emit('media.changed', status), log });

  const ffmpegLookup = () => ({
    setting: options.ffmpegPath ? options.ffmpegPath() : settings.read().ffmpegPath || undefined,
    resourcesPath: options.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath,
  });
  /** The ffmpeg for one spawn, checked right before it (cached per path, mtime and size). */
  const resolveFfmpeg = async (): Promise<string> => {
    const found = findFfmpeg(ffmpegLookup());
    if (!found) throw new StudioError('media.ffmpeg_missing', FFMPEG_HELP);
    await ffmpegChecker.check(found.path);
    return found.path;
  };

  // Record / Stop recording: one more output of the program feed, independent of Go live.
  const recording = new RecordingService({
    ...options.recording,
    findFfmpeg: () => findFfmpeg(ffmpegLookup()),
    settings: () => {
      const { recordingFolder, recordingFormat } = settings.read();
      return { folder: recordingFolder, format: recordingFormat };
    },
    videosFolder: options.videosFolder,
    journalPath: join(options.dataDir, RECORDING_JOURNAL_FILE),
    log,
  });
  recording.on('status', (status) => events.emit('recording.changed', status));
  // What a killed run left: its recordings are finished (README "Recording": after a crash), its key FIFOs removed.
  void recording.recover();
  void sweepKeyFifos().then((removed) => {
    if (removed.length > 0) log(`removed ${removed.length} key FIFO folder(s) a killed run left`);
  });

  const vault = new SecretVault(options.store, options.cipher);
  const destinations = new DestinationService(options.store, vault);
  // One AAC encode for all destinations; each destination's ffmpeg then only copies (README: Destinations, CPU).
  const audioStage = options.destinations?.sharedAudio === false ? null : new AudioStage({ feed: programFeed, resolveFfmpeg, log, preset: () => settings.outputPreset() });
  const destinationRunner = new DestinationRunner({
    service: destinations,
    feed: programFeed,
    ...(audioStage ? { outputsFeed: audioStage } : {}),
    resolveFfmpeg,
    caFile: options.destinations?.caFile ?? null,
    outputOptions: options.destinations?.outputOptions,
    onChange: (snapshot) => events.emit('destinations.changed', snapshot),
    log,
  });

  const scenes = new SceneStore(options.store, (doc) => events.emit('scenes.changed', doc));

  const guests = new GuestService({
    store: options.store,
    vault,
    guestRoot: options.guestRoot ?? null,
    limits: options.guestLimits,
    viewerLimits: options.viewerLimits,
    onChange: (snapshot) => events.emit('guests.changed', snapshot),
    onSignal: (signal) => events.emit('guests.signal', signal),
    disconnectParticipant: async (participantSid) => disconnectParticipant((await connections.current()).twilio, settings.read().roomName, participantSid),
    roomTokens: (identity, ttlSeconds) => mintGuestRoomToken({ settings, connections }, identity, ttlSeconds),
    // The player's bundle sits beside the guest page in the built renderer (`out/renderer/player`).
    ...(options.guestRoot ? { viewers: viewerSource({ playerRoot: join(dirname(options.guestRoot), 'player'), settings, broadcast, localCloud }) } : {}),
    log,
  });
  // "Share on my network" stays as the user left it: on again after a restart if it was on.
  void guests.resume();

  const capture = new CaptureService({ ...options.capture, platform: process.platform, appOrigin: options.appOrigin, log });

  const live = new LiveService({
    settings,
    broadcast,
    destinations: destinationRunner,
    preflight: () => media.preflight(),
    onChange: (status) => events.emit('broadcast.changed', status),
  });
  const goLive = () => live.goLive();
  const stopLive = () => live.stop();

  const dispatch = createDispatcher({
    handlers: createHandlers({ info: options.info, settings, activity, connections, broadcast, media, destinations, destinationRunner, goLive, stopLive, onAir: (status) => live.status(status), recording, scenes, capture, guests }),
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
    programFeed,
    recording,
    vault,
    destinations,
    destinationRunner,
    capture,
    scenes,
    guests,
    live,
    resolveFfmpeg,
    goLive,
    stopLive,
    close: async () => {
      // Quitting while recording: the recording is finished into its final file first.
      await recording.close();
      // Quitting while live: every destination ends its stream first.
      await live.close();
      await guests.close();
      if (cloud) await (await cloud).close();
    },
  };
}
