import { ROOM_PROGRAM_TRACK, ROOM_STATES_MAX_BYTES, roomStatesMessageSchema } from '../shared/guest-room';
import type { GuestTransport, GuestTransportEvents } from './guest-session';

/** The parts of twilio-video's tracks, participants and Room the guest page uses (tests pass plain event emitters). */
export interface RoomTrackLike {
  kind: string;
  /** The name its publisher gave it (the studio's program video: `ROOM_PROGRAM_TRACK`). */
  name?: string;
  mediaStreamTrack?: MediaStreamTrack;
  on(event: 'message', listener: (data: string | ArrayBuffer) => void): unknown;
}
export interface RoomParticipantLike {
  sid: string;
  identity: string;
}
export interface GuestRoomLike {
  localParticipant: { identity: string };
  on(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: RoomTrackLike, publication: unknown, participant: RoomParticipantLike) => void): unknown;
  on(event: 'participantDisconnected', listener: (participant: RoomParticipantLike) => void): unknown;
  on(event: 'reconnecting' | 'reconnected', listener: () => void): unknown;
  on(event: 'disconnected', listener: (room: unknown, error?: { code?: number } | null) => void): unknown;
  disconnect(): unknown;
}
/** twilio-video's `connect`, or a fake. */
export type RoomConnect = (token: string, options: { tracks: MediaStreamTrack[] }) => Promise<GuestRoomLike>;

/** Twilio's AccessToken errors: 20104 expired, the others a token the room does not accept. */
const TOKEN_EXPIRED = 20104;
const isTokenError = (code: number) => code >= 20101 && code <= 20107;

/**
 * Twilio mode: joins the streamer's room with the token from the link, publishing the camera and
 * microphone. The return feed is the host's program video (the track named `ROOM_PROGRAM_TRACK`;
 * from a studio that publishes none, an older one, its other video — its camera) and every other
 * participant's voice (the room never sends a participant their own tracks). The studio (identity
 * `host`) tells its guests where they stand on its data track; until it says otherwise a guest is
 * backstage.
 */
export class RoomTransport implements GuestTransport {
  private room: GuestRoomLike | null = null;
  private left = false;
  private readonly program = new MediaStream();
  /** The host's video tracks as subscribed, and the one the return feed shows. */
  private readonly hostVideos: RoomTrackLike[] = [];
  private shownVideo: MediaStreamTrack | null = null;

  constructor(
    private readonly token: string,
    private readonly host: string,
    private readonly media: MediaStream,
    private readonly connect: RoomConnect,
  ) {}

  join(_name: string, on: GuestTransportEvents): void {
    this.connect(this.token, { tracks: this.media.getTracks() }).then(
      (room) => {
        if (this.left) {
          room.disconnect();
          return;
        }
        this.room = room;
        this.follow(room, on);
        on.joined('backstage', false);
      },
      (error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'number' && isTokenError(code)) on.refused(code === TOKEN_EXPIRED ? 'expired' : 'unknown');
        else on.failed(typeof code === 'number' ? String(code) : 'network');
      },
    );
  }

  leave(): void {
    this.left = true;
    this.room?.disconnect();
    this.room = null;
  }

  private follow(room: GuestRoomLike, on: GuestTransportEvents): void {
    const me = room.localParticipant.identity;
    room.on('trackSubscribed', (track, _publication, participant) => {
      if (track.kind === 'data') {
        if (participant.identity === this.host) track.on('message', (data) => this.onStates(data, me, on));
        return;
      }
      // The host's picture; everyone's voice (the host's and the other guests').
      if (!track.mediaStreamTrack || (track.kind === 'video' && participant.identity !== this.host)) return;
      if (track.kind === 'video') {
        this.hostVideos.push(track);
        this.showHostVideo(on);
        return;
      }
      this.program.addTrack(track.mediaStreamTrack);
      on.program(this.program);
    });
    room.on('trackUnsubscribed', (track) => {
      if (!track.mediaStreamTrack) return;
      const hostVideo = this.hostVideos.indexOf(track);
      if (hostVideo >= 0) {
        this.hostVideos.splice(hostVideo, 1);
        this.showHostVideo(on);
        return;
      }
      this.program.removeTrack(track.mediaStreamTrack);
      on.program(this.program);
    });
    room.on('reconnecting', () => on.reconnecting());
    room.on('reconnected', () => on.reconnected());
    room.on('disconnected', () => {
      if (!this.left) on.lost();
    });
  }

  /** Puts the host's program video in the return feed, else its first other video, else none. */
  private showHostVideo(on: GuestTransportEvents): void {
    const chosen = this.hostVideos.find((track) => track.name === ROOM_PROGRAM_TRACK) ?? this.hostVideos[0];
    const next = chosen?.mediaStreamTrack ?? null;
    if (next === this.shownVideo) return;
    if (this.shownVideo) this.program.removeTrack(this.shownVideo);
    if (next) this.program.addTrack(next);
    this.shownVideo = next;
    on.program(this.program);
  }

  private onStates(data: string | ArrayBuffer, me: string, on: GuestTransportEvents): void {
    if (typeof data !== 'string' || data.length > ROOM_STATES_MAX_BYTES) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const message = roomStatesMessageSchema.safeParse(parsed);
    const mine = message.success ? message.data.guests.find((guest) => guest.identity === me) : undefined;
    if (mine) on.state(mine.state, mine.muted);
  }
}
