import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GuestSession, type GuestSessionView } from '../../src/guest/guest-session';
import { type GuestRoomLike, type RoomConnect, type RoomParticipantLike, RoomTransport, type RoomTrackLike } from '../../src/guest/room-transport';
import { ROOM_PROGRAM_TRACK } from '../../src/shared/guest-room';
import type { GuestState, JoinRefusal } from '../../src/shared/guests';

/**
 * The guest page's Twilio path without a network: twilio-video's Room, participants and tracks as
 * plain emitters, driving the one guest-session state machine through the room transport.
 */
class FakeTrack extends EventEmitter implements RoomTrackLike {
  readonly mediaStreamTrack?: MediaStreamTrack;
  constructor(
    readonly kind: 'video' | 'audio' | 'data',
    id: string,
    readonly name: string = id,
  ) {
    super();
    if (kind !== 'data') this.mediaStreamTrack = { id, kind } as unknown as MediaStreamTrack;
  }
}
class FakeRoom extends EventEmitter implements GuestRoomLike {
  disconnected = 0;
  constructor(readonly localParticipant: { identity: string }) {
    super();
  }
  disconnect() {
    this.disconnected += 1;
    this.emit('disconnected', this, null);
  }
  subscribe(participant: RoomParticipantLike, track: FakeTrack) {
    this.emit('trackSubscribed', track, {}, participant);
  }
}
/** A MediaStream that holds what it is given (happy-dom's does not take fake tracks). */
class FakeMediaStream {
  private readonly tracks: MediaStreamTrack[];
  constructor(tracks: MediaStreamTrack[] = []) {
    this.tracks = [...tracks];
  }
  getTracks = () => [...this.tracks];
  addTrack = (track: MediaStreamTrack) => void (this.tracks.includes(track) || this.tracks.push(track));
  removeTrack = (track: MediaStreamTrack) => void this.tracks.splice(this.tracks.indexOf(track) >>> 0, this.tracks.includes(track) ? 1 : 0);
}

const ME = 'Aiko@q2Xy_9-abcde';
const host: RoomParticipantLike = { sid: 'PAhost', identity: 'streamer' };
const other: RoomParticipantLike = { sid: 'PAben', identity: 'Ben@zzzzzzzzzzzz' };
const states = (guests: Array<{ identity: string; state: GuestState; muted: boolean }>) => JSON.stringify({ type: 'guest-states', guests });

function setup(connectResult: 'ok' | { code?: number } = 'ok') {
  const camera = { id: 'cam', kind: 'video' } as unknown as MediaStreamTrack;
  const mic = { id: 'mic', kind: 'audio' } as unknown as MediaStreamTrack;
  const media = new FakeMediaStream([camera, mic]) as unknown as MediaStream;
  const room = new FakeRoom({ identity: ME });
  const connections: Array<{ token: string; tracks: MediaStreamTrack[] }> = [];
  const connect: RoomConnect = (token, options) => {
    connections.push({ token, tracks: options.tracks });
    return connectResult === 'ok' ? Promise.resolve(room) : Promise.reject(Object.assign(new Error('twilio'), connectResult));
  };
  const shown: string[] = [];
  let program: MediaStream | null = null;
  let programCalls = 0;
  let finished = 0;
  let reconnecting = false;
  const view: GuestSessionView = {
    inRoom: (state, muted) => void shown.push(`${state}${muted ? '+muted' : ''}`),
    refused: (reason: JoinRefusal) => void shown.push(`refused:${reason}`),
    failed: (detail) => void shown.push(`failed:${detail}`),
    reconnecting: (yes) => void (reconnecting = yes),
    program: (stream) => {
      program = stream;
      programCalls += 1;
    },
    finished: () => void (finished += 1),
  };
  const session = new GuestSession(new RoomTransport('the.room.token', 'streamer', media, connect), view);
  const programIds = () => (program ? program.getTracks().map((track) => track.id).sort() : []);
  return { session, room, connections, shown, programIds, programCalls: () => programCalls, finishedCount: () => finished, reconnectingNow: () => reconnecting, camera, mic };
}

beforeEach(() => vi.stubGlobal('MediaStream', FakeMediaStream));
afterEach(() => vi.unstubAllGlobals());

describe('guest page, Twilio mode: the room transport under the one session state machine', () => {
  it('joins with the link’s token publishing camera and microphone, and arrives backstage', async () => {
    const { session, connections, shown, camera, mic } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    expect(connections).toEqual([{ token: 'the.room.token', tracks: [camera, mic] }]);
    expect(session.current).toBe('in_room');
  });

  it('plays the host’s picture and everyone’s voice, never another guest’s picture; unpublished tracks leave', async () => {
    const { session, room, shown, programIds } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    const hostVideo = new FakeTrack('video', 'host-video');
    room.subscribe(host, hostVideo);
    room.subscribe(host, new FakeTrack('audio', 'host-audio'));
    room.subscribe(other, new FakeTrack('video', 'ben-video'));
    room.subscribe(other, new FakeTrack('audio', 'ben-audio'));
    expect(programIds()).toEqual(['ben-audio', 'host-audio', 'host-video']);
    room.emit('trackUnsubscribed', hostVideo, {}, host);
    expect(programIds()).toEqual(['ben-audio', 'host-audio']);
  });

  it('the return feed is the host’s program track, not its camera, whichever arrives first; a new program track takes its place', async () => {
    const { session, room, shown, programIds, programCalls } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    room.subscribe(host, new FakeTrack('audio', 'host-mic'));
    room.subscribe(host, new FakeTrack('video', 'host-cam', 'camera'));
    expect(programIds()).toEqual(['host-cam', 'host-mic']);
    const program = new FakeTrack('video', 'program-1', ROOM_PROGRAM_TRACK);
    room.subscribe(host, program);
    expect(programIds()).toEqual(['host-mic', 'program-1']);
    // Another guest's video named like the program is still not the host's.
    room.subscribe(other, new FakeTrack('video', 'ben-program', ROOM_PROGRAM_TRACK));
    expect(programIds()).toEqual(['host-mic', 'program-1']);
    // The studio swaps its program track (the compositor restarted): unpublished, then published anew.
    room.emit('trackUnsubscribed', program, {}, host);
    room.subscribe(host, new FakeTrack('video', 'program-2', ROOM_PROGRAM_TRACK));
    expect(programIds()).toEqual(['host-mic', 'program-2']);
    // The page is told each time what it shows changed, and only then.
    const calls = programCalls();
    room.subscribe(host, new FakeTrack('video', 'host-screen', 'screen'));
    expect(programIds()).toEqual(['host-mic', 'program-2']);
    expect(programCalls()).toBe(calls);
  });

  it('a studio that publishes no program track (an older one): its camera, until a program track comes; back to the camera when it goes', async () => {
    const { session, room, shown, programIds } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    const camera = new FakeTrack('video', 'host-cam', 'MT-camera-id');
    room.subscribe(host, camera);
    room.subscribe(host, new FakeTrack('audio', 'host-mic'));
    expect(programIds()).toEqual(['host-cam', 'host-mic']);
    const program = new FakeTrack('video', 'program-1', ROOM_PROGRAM_TRACK);
    room.subscribe(host, program);
    expect(programIds()).toEqual(['host-mic', 'program-1']);
    room.emit('trackUnsubscribed', program, {}, host);
    expect(programIds()).toEqual(['host-cam', 'host-mic']);
    room.emit('trackUnsubscribed', camera, {}, host);
    expect(programIds()).toEqual(['host-mic']);
  });

  it('follows the host’s data track: on stage, muted, back — ignoring other identities, other senders and malformed messages', async () => {
    const { session, room, shown } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    const hostData = new FakeTrack('data', 'host-data');
    const benData = new FakeTrack('data', 'ben-data');
    room.subscribe(host, hostData);
    room.subscribe(other, benData);
    benData.emit('message', states([{ identity: ME, state: 'removed', muted: false }]));
    hostData.emit('message', states([{ identity: other.identity, state: 'on_stage', muted: false }]));
    hostData.emit('message', '{not json');
    hostData.emit('message', JSON.stringify({ type: 'guest-states', guests: [{ identity: ME, state: 'on_air', muted: false }] }));
    hostData.emit('message', new ArrayBuffer(8));
    hostData.emit('message', states([{ identity: ME, state: 'on_stage', muted: false }, ...Array.from({ length: 400 }, (_, i) => ({ identity: `x${i}@aaaaaaaaaaaa`, state: 'backstage' as const, muted: false }))]));
    expect(shown).toEqual(['backstage']);
    hostData.emit('message', states([{ identity: other.identity, state: 'backstage', muted: false }, { identity: ME, state: 'on_stage', muted: false }]));
    hostData.emit('message', states([{ identity: ME, state: 'on_stage', muted: true }]));
    hostData.emit('message', states([{ identity: ME, state: 'backstage', muted: false }]));
    expect(shown).toEqual(['backstage', 'on_stage', 'on_stage+muted', 'backstage']);
  });

  it('removed by the host: shows it, lets go of the camera, leaves the room, and the disconnect that follows is not a drop', async () => {
    const { session, room, shown, finishedCount } = setup();
    session.join('Aiko');
    await vi.waitFor(() => expect(shown).toEqual(['backstage']));
    const hostData = new FakeTrack('data', 'host-data');
    room.subscribe(host, hostData);
    hostData.emit('message', states([{ identity: ME, state: 'removed', muted: false }]));
    expect(shown).toEqual(['backstage', 'removed']);
    expect(finishedCount()).toBe(1);
    expect(room.disconnected).toBe(1);
    hostData.emit('message', states([{ identity: ME, state: 'on_stage', muted: false }]));
    expect(shown).toEqual(['backstage', 'removed']);
    expect(session.current).toBe('finished');
  });

  it('reconnecting and back; a disconnect nobody asked for is a drop; leaving (page closed) is not', async () => {
    const first = setup();
    first.session.join('Aiko');
    await vi.waitFor(() => expect(first.shown).toEqual(['backstage']));
    first.room.emit('reconnecting');
    expect(first.reconnectingNow()).toBe(true);
    first.room.emit('reconnected');
    expect(first.reconnectingNow()).toBe(false);
    first.room.emit('reconnecting');
    first.room.emit('disconnected', first.room, { code: 53001 });
    expect(first.reconnectingNow()).toBe(false);
    expect(first.shown).toEqual(['backstage', 'dropped']);
    expect(first.session.current).toBe('finished');
    const second = setup();
    second.session.join('Aiko');
    await vi.waitFor(() => expect(second.shown).toEqual(['backstage']));
    second.session.leave();
    expect(second.room.disconnected).toBe(1);
    expect(second.shown).toEqual(['backstage']);
  });

  it('a token the room refuses: expired (20104) or invalid (20101) is a refusal; a network error is a failure with its code', async () => {
    for (const [error, expected] of [
      [{ code: 20104 }, 'refused:expired'],
      [{ code: 20101 }, 'refused:unknown'],
      [{ code: 53000 }, 'failed:53000'],
      [{}, 'failed:network'],
    ] as const) {
      const { session, shown, finishedCount } = setup(error);
      session.join('Aiko');
      await vi.waitFor(() => expect(shown).toEqual([expected]));
      expect(finishedCount()).toBe(1);
      expect(session.current).toBe('finished');
    }
  });

  it('leaving while still connecting disconnects the room as soon as it is there', async () => {
    const { session, room, shown } = setup();
    session.join('Aiko');
    session.leave();
    await vi.waitFor(() => expect(room.disconnected).toBe(1));
    expect(shown).toEqual([]);
  });
});
