import { useCallback, useEffect, useReducer, useRef } from 'react';
import { ROOM_PROGRAM_TRACK } from '../../shared/guest-room';
import { unwrap } from '../ipc/client';
import { roomFailureOf } from './room-errors';
import { initialRoomState, type RoomLike, roomReducer, wireRoom } from './room-state';

type Publishing = RoomLike & {
  localParticipant: RoomLike['localParticipant'] & {
    publishTrack?: (track: MediaStreamTrack, options?: { name?: string }) => Promise<unknown>;
    unpublishTrack?: (track: MediaStreamTrack) => unknown;
  };
};

/** Sends a text message to everyone in the room on the studio's data track. */
export type TellRoom = (text: string) => void;

/**
 * Twilio mode: joins the configured room with twilio-video (token from `tokens.video`),
 * publishes the program video (named `ROOM_PROGRAM_TRACK`: the guests' return feed, as in
 * Local mode), the microphone and a data track (where it tells its guests where they stand),
 * and leaves on `leave()`, on page unload and on unmount. No raw camera: the program already
 * shows it, and a second video would double what every guest downloads.
 */
export function useTwilioRoom(video: MediaStreamTrack | null, audio: MediaStreamTrack | null, onJoined?: (room: RoomLike, tell: TellRoom) => void) {
  const joinedRef = useRef(onJoined);
  useEffect(() => {
    joinedRef.current = onJoined;
  });
  const [state, dispatch] = useReducer(roomReducer, initialRoomState);
  const roomRef = useRef<Publishing | null>(null);
  const published = useRef<{ video: MediaStreamTrack | null; audio: MediaStreamTrack | null }>({ video: null, audio: null });
  const generation = useRef(0);

  const join = useCallback(async () => {
    const mine = ++generation.current;
    dispatch({ type: 'joining' });
    try {
      const token = await unwrap(() => window.onair.tokens.video({}));
      const { connect, LocalDataTrack, LocalVideoTrack } = await import('twilio-video');
      const data = new LocalDataTrack();
      const program = video ? [new LocalVideoTrack(video, { name: ROOM_PROGRAM_TRACK })] : [];
      const tracks = [...program, ...(audio ? [audio] : []), data];
      const room = (await connect(token.token, { name: token.room, tracks })) as unknown as Publishing;
      if (mine !== generation.current) {
        room.disconnect();
        return;
      }
      roomRef.current = room;
      published.current = { video, audio };
      wireRoom(room, video, dispatch);
      // The room's other participants are guests too (backstage, stage, mixer).
      joinedRef.current?.(room, (text) => data.send(text));
    } catch (error) {
      if (mine === generation.current) dispatch({ type: 'failed', failure: roomFailureOf(error) });
    }
  }, [video, audio]);

  const leave = useCallback(() => {
    generation.current++;
    const room = roomRef.current;
    roomRef.current = null;
    if (room) room.disconnect();
    else dispatch({ type: 'left', failure: null });
  }, []);

  // A new program track (the compositor started or restarted; before it, the camera as it is) or a
  // microphone switch while in the room: publish the new track in place of the old one, the video
  // under the same name (unpublished first, so the name is free again).
  useEffect(() => {
    const room = roomRef.current;
    if (!room || state.phase !== 'joined') return;
    for (const kind of ['video', 'audio'] as const) {
      const next = kind === 'video' ? video : audio;
      const before = published.current[kind];
      if (next === before) continue;
      if (before) room.localParticipant.unpublishTrack?.(before);
      if (next) void room.localParticipant.publishTrack?.(next, kind === 'video' ? { name: ROOM_PROGRAM_TRACK } : undefined).catch(() => {});
      published.current[kind] = next;
      // The studio's own tile shows what it publishes.
      if (kind === 'video') dispatch({ type: 'video', sid: room.localParticipant.sid, track: next });
    }
  }, [video, audio, state.phase]);

  useEffect(() => {
    const generations = generation;
    const onUnload = () => roomRef.current?.disconnect();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      generations.current++;
      roomRef.current?.disconnect();
      roomRef.current = null;
    };
  }, []);

  return { state, join, leave };
}
