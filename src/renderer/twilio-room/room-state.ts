import type { RoomFailure } from './room-errors';
import { roomFailureOf } from './room-errors';

export interface Tile {
  sid: string;
  identity: string;
  local: boolean;
  video: MediaStreamTrack | null;
}

export interface RoomState {
  phase: 'idle' | 'joining' | 'joined';
  room: string | null;
  /** The local participant first, then the others in the order they joined. */
  tiles: Tile[];
  failure: RoomFailure | null;
}

export const initialRoomState: RoomState = { phase: 'idle', room: null, tiles: [], failure: null };

export type RoomEvent =
  | { type: 'joining' }
  | { type: 'joined'; room: string; local: Omit<Tile, 'local'>; remotes: Array<Omit<Tile, 'local'>> }
  | { type: 'participant-joined'; sid: string; identity: string }
  | { type: 'participant-left'; sid: string }
  | { type: 'video'; sid: string; track: MediaStreamTrack | null }
  | { type: 'left'; failure: RoomFailure | null }
  | { type: 'failed'; failure: RoomFailure };

export function roomReducer(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'joining':
      return { ...initialRoomState, phase: 'joining' };
    case 'joined':
      return {
        phase: 'joined',
        room: event.room,
        failure: null,
        tiles: [{ ...event.local, local: true }, ...event.remotes.map((remote) => ({ ...remote, local: false }))],
      };
    case 'participant-joined':
      if (state.phase !== 'joined' || state.tiles.some((tile) => tile.sid === event.sid)) return state;
      return { ...state, tiles: [...state.tiles, { sid: event.sid, identity: event.identity, local: false, video: null }] };
    case 'participant-left':
      return { ...state, tiles: state.tiles.filter((tile) => tile.local || tile.sid !== event.sid) };
    case 'video':
      return { ...state, tiles: state.tiles.map((tile) => (tile.sid === event.sid ? { ...tile, video: event.track } : tile)) };
    case 'left':
      return { ...initialRoomState, failure: event.failure };
    case 'failed':
      return { ...initialRoomState, failure: event.failure };
  }
}

/** The parts of twilio-video's Room this studio uses; tests pass plain event emitters. */
export interface TrackLike {
  kind: string;
  mediaStreamTrack?: MediaStreamTrack;
}
export interface ParticipantLike {
  sid: string;
  identity: string;
  videoTracks: Map<string, { track: TrackLike | null }>;
  on(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: TrackLike) => void): unknown;
}
export interface RoomLike {
  name: string;
  localParticipant: { sid: string; identity: string };
  participants: Map<string, ParticipantLike>;
  on(event: 'participantConnected' | 'participantDisconnected' | 'participantReconnecting' | 'participantReconnected', listener: (participant: ParticipantLike) => void): unknown;
  on(event: 'disconnected', listener: (room: unknown, error?: unknown) => void): unknown;
  disconnect(): unknown;
}

const videoOf = (participant: ParticipantLike): MediaStreamTrack | null => {
  for (const publication of participant.videoTracks.values()) {
    if (publication.track?.mediaStreamTrack) return publication.track.mediaStreamTrack;
  }
  return null;
};

/** Turns a connected room's events into `RoomEvent`s. */
export function wireRoom(room: RoomLike, localVideo: MediaStreamTrack | null, dispatch: (event: RoomEvent) => void): void {
  const follow = (participant: ParticipantLike) => {
    participant.on('trackSubscribed', (track) => {
      if (track.kind === 'video') dispatch({ type: 'video', sid: participant.sid, track: track.mediaStreamTrack ?? null });
    });
    participant.on('trackUnsubscribed', (track) => {
      if (track.kind === 'video') dispatch({ type: 'video', sid: participant.sid, track: null });
    });
  };
  const remotes = [...room.participants.values()];
  remotes.forEach(follow);
  dispatch({
    type: 'joined',
    room: room.name,
    local: { sid: room.localParticipant.sid, identity: room.localParticipant.identity, video: localVideo },
    remotes: remotes.map((participant) => ({ sid: participant.sid, identity: participant.identity, video: videoOf(participant) })),
  });
  room.on('participantConnected', (participant) => {
    follow(participant);
    dispatch({ type: 'participant-joined', sid: participant.sid, identity: participant.identity });
  });
  room.on('participantDisconnected', (participant) => dispatch({ type: 'participant-left', sid: participant.sid }));
  room.on('disconnected', (_room, error) => dispatch({ type: 'left', failure: error ? roomFailureOf(error) : null }));
}
