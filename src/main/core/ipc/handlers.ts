import type { AppInfo } from '../../../shared/contract';
import type { BroadcastStatus } from '../../../shared/broadcast';
import type { BroadcastService } from '../broadcast/broadcast-service';
import type { CaptureService } from '../capture/capture-service';
import type { DestinationRunner } from '../destinations/destination-runner';
import type { DestinationService } from '../destinations/destination-service';
import type { GuestService } from '../guests/guest-service';
import type { MediaService } from '../live/preview-ingest';
import type { RecordingService } from '../recording/index';
import type { SceneStore } from '../scenes/scene-store';
import type { SettingsService } from '../settings/settings-service';
import type { ActivityFeed } from '../twilio/activity-feed';
import type { Connections } from '../twilio/connection';
import { ensureRoom } from '../twilio/rooms';
import { issueVideoToken } from '../twilio/tokens';
import type { Handlers } from './dispatcher';

export interface HandlerDeps {
  info: AppInfo;
  settings: SettingsService;
  activity: ActivityFeed;
  connections: Connections;
  broadcast: BroadcastService;
  media: MediaService;
  destinations: DestinationService;
  destinationRunner: DestinationRunner;
  /** Go live / Stop: the broadcast and every destination (studio-core). */
  goLive: () => Promise<BroadcastStatus>;
  stopLive: () => Promise<BroadcastStatus>;
  /** The broadcast status as the studio is on air (Twilio mode may be live on destinations alone). */
  onAir: (status: BroadcastStatus) => BroadcastStatus;
  recording: RecordingService;
  scenes: SceneStore;
  capture: CaptureService;
  guests: GuestService;
}

/** Every contract channel, mapped to the core service that answers it. */
export function createHandlers({
  info,
  settings,
  activity,
  connections,
  broadcast,
  media,
  destinations,
  destinationRunner,
  goLive,
  stopLive,
  onAir,
  recording,
  scenes,
  capture,
  guests,
}: HandlerDeps): Handlers {
  return {
    'app.info': () => info,
    'settings.get': () => settings.view(),
    'settings.update': (patch) => settings.update(patch),
    'settings.clearSecret': () => settings.clearSecret(),
    'connection.test': (request) => connections.test(request ?? {}),
    'activity.list': () => activity.list(),
    'rooms.ensure': async () => {
      const { roomName, roomType } = settings.read();
      return ensureRoom((await connections.current()).twilio, roomName, roomType);
    },
    'tokens.video': async (request) => {
      const stored = settings.read();
      return issueVideoToken(connections, {
        identity: request?.identity ?? stored.identity,
        room: request?.room ?? stored.roomName,
        roomType: stored.roomType,
      });
    },
    'tokens.playback': () => broadcast.playbackToken(),
    'broadcast.status': async () => {
      await broadcast.detect();
      return onAir(await broadcast.refresh());
    },
    'broadcast.start': () => goLive(),
    'broadcast.stop': () => stopLive(),
    'broadcast.resume': () => broadcast.resume(),
    'broadcast.cleanup': () => broadcast.cleanup(),
    'media.open': ({ mimeType, leg }) => media.open(mimeType, leg),
    'media.chunk': ({ ingestId, seq, data, sentAt }) => media.chunk(ingestId, seq, data, sentAt),
    'media.close': ({ ingestId }) => media.close(ingestId),
    'media.status': () => media.status(),
    'media.latency': async () => media.latency(),
    'destinations.list': () => destinationRunner.snapshot(),
    'destinations.add': (request) => destinations.add(request),
    'destinations.update': (request) => destinations.update(request),
    'destinations.remove': async ({ id }) => {
      await destinations.remove(id);
      return destinationRunner.snapshot();
    },
    'destinations.reconnect': ({ id }) => destinationRunner.reconnect(id),
    'recording.status': () => recording.status(),
    'recording.start': () => recording.start(media.feed),
    'recording.stop': () => recording.stop(),
    'scenes.get': () => scenes.get(),
    'scenes.save': (doc) => scenes.save(doc),
    'capture.sources': () => capture.sources(),
    'capture.choose': ({ id }) => capture.choose(id),
    'guests.list': () => guests.snapshot(),
    'guests.configure': (patch) => guests.configure(patch),
    'guests.invite': (request) => guests.invite(request),
    'guests.roomInvite': (request) => guests.roomInvite(request),
    'guests.revoke': ({ id }) => guests.revoke(id),
    'guests.act': ({ guestId, action }) => guests.act(guestId, action),
    'guests.room': (request) => guests.fromRoom(request),
    'guests.signal': (request) => {
      guests.signal(request);
      return { delivered: true as const };
    },
  };
}
