import type { GuestView, RoomParticipantRequest } from '../../shared/guests';
import type { ParticipantLike, RoomLike, TrackLike } from '../twilio-room/room-state';

/** Which room identity a guest has (for the states the studio tells its room guests). */
export interface RoomGuestIdentities {
  identityOf: (guestId: string) => string | undefined;
}

export interface RoomGuestsOptions {
  /** Tells main (which keeps the backstage) that a participant connected or left; the guest, or null when refused. */
  report: (request: RoomParticipantRequest) => Promise<GuestView | null>;
  /** A guest's current tracks from the room (null: none left). */
  onStream: (guestId: string, stream: MediaStream | null) => void;
}

/**
 * Twilio mode: the studio's room drives the same backstage and stage as Local mode. Each other
 * participant is reported to main (connected → backstage; disconnected → dropped; reconnected →
 * the same guest), and the tracks the studio subscribes to become that guest's stream (published →
 * in it, unpublished → out of it), which the compositor and the mixer take like any guest's.
 */
export function wireRoomGuests(room: RoomLike, { report, onStream }: RoomGuestsOptions): RoomGuestIdentities {
  const tracks = new Map<string, Map<string, MediaStreamTrack>>();
  const guestIds = new Map<string, string>();
  const identities = new Map<string, string>();

  const publish = (participant: ParticipantLike) => {
    const guestId = guestIds.get(participant.sid);
    if (!guestId) return;
    const mine = [...(tracks.get(participant.sid)?.values() ?? [])];
    onStream(guestId, mine.length > 0 ? new MediaStream(mine) : null);
  };
  const connected = async (participant: ParticipantLike) => {
    const guest = await report({ event: 'connected', participantSid: participant.sid, identity: participant.identity }).catch(() => null);
    if (!guest) return;
    guestIds.set(participant.sid, guest.id);
    identities.set(participant.sid, participant.identity);
    publish(participant);
  };
  const follow = (participant: ParticipantLike) => {
    tracks.set(participant.sid, new Map());
    const changed = (track: TrackLike, present: boolean) => {
      const held = tracks.get(participant.sid);
      if (!held || !track.mediaStreamTrack) return;
      if (present) held.set(track.kind, track.mediaStreamTrack);
      else if (held.get(track.kind) === track.mediaStreamTrack) held.delete(track.kind);
      publish(participant);
    };
    participant.on('trackSubscribed', (track) => changed(track, true));
    participant.on('trackUnsubscribed', (track) => changed(track, false));
    void connected(participant);
  };

  for (const participant of room.participants.values()) follow(participant);
  room.on('participantConnected', follow);
  room.on('participantReconnected', (participant) => void connected(participant));
  room.on('participantDisconnected', (participant) => {
    // The stream is kept: a guest on stage holds their last frame until the host takes them off.
    void report({ event: 'disconnected', participantSid: participant.sid, identity: participant.identity }).catch(() => null);
  });
  return {
    identityOf: (guestId) => {
      for (const [participantSid, id] of guestIds) if (id === guestId) return identities.get(participantSid);
      return undefined;
    },
  };
}
