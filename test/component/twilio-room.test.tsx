import { act, cleanup, render, screen } from '@testing-library/react';
import { EventEmitter } from 'node:events';
import { useReducer } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcCallError } from '../../src/renderer/ipc/client';
import { roomFailureOf } from '../../src/renderer/twilio-room/room-errors';
import { initialRoomState, type ParticipantLike, type RoomLike, roomReducer, wireRoom } from '../../src/renderer/twilio-room/room-state';
import { RoomPanel } from '../../src/renderer/twilio-room/RoomPanel';
import { setupTestI18n } from './support/fake-onair';

/** twilio-video's TwilioError carries a numeric code. */
const twilioError = (code: number, name = 'TwilioError') => Object.assign(new Error(`twilio ${code}`), { code, name });

class FakeParticipant extends EventEmitter implements ParticipantLike {
  videoTracks = new Map<string, { track: { kind: string; mediaStreamTrack?: MediaStreamTrack } | null }>();
  constructor(
    readonly sid: string,
    readonly identity: string,
  ) {
    super();
  }
}
class FakeRoom extends EventEmitter implements RoomLike {
  name = 'myroom';
  localParticipant = { sid: 'PA-local', identity: 'streamer' };
  participants = new Map<string, ParticipantLike>();
  disconnect() {
    this.emit('disconnected', this);
  }
}

const track = (id: string) => ({ id, kind: 'video' }) as unknown as MediaStreamTrack;

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('twilio-video error mapping', () => {
  it.each([
    [twilioError(20101), 'token'],
    [twilioError(20104), 'token'],
    [twilioError(53118), 'roomCompleted'],
    [twilioError(53000), 'network'],
    [twilioError(53002), 'network'],
    [twilioError(53405), 'network'],
    [twilioError(53105), 'roomFull'],
    [twilioError(53205), 'duplicateIdentity'],
    [new DOMException('no', 'NotAllowedError'), 'media'],
    [new IpcCallError({ code: 'twilio.auth', message: '' }), 'credentials'],
    [new IpcCallError({ code: 'twilio.not_configured', message: '' }), 'notConfigured'],
    [new IpcCallError({ code: 'twilio.network', message: '' }), 'network'],
    [new IpcCallError({ code: 'twilio.room_completed', message: '' }), 'roomCompleted'],
    [twilioError(99999), 'unknown'],
  ] as const)('%s → %s', (error, problem) => {
    expect(roomFailureOf(error).problem).toBe(problem);
  });

  it('has an English and a Japanese message for every problem', async () => {
    const problems = ['token', 'credentials', 'notConfigured', 'roomCompleted', 'roomFull', 'duplicateIdentity', 'network', 'media', 'unknown'] as const;
    for (const language of ['en', 'ja'] as const) {
      await setupTestI18n(language);
      for (const problem of problems) {
        cleanup();
        render(<RoomPanel state={{ ...initialRoomState, failure: { problem, detail: '53999' } }} canJoin onJoin={() => {}} onLeave={() => {}} />);
        const text = screen.getByTestId('room-error').textContent ?? '';
        expect(text).not.toContain('room.errors');
        expect(text.length).toBeGreaterThan(10);
      }
    }
    await setupTestI18n('en');
  });
});

describe('the participant grid', () => {
  function Grid({ room }: { room: FakeRoom }) {
    const [state, dispatch] = useReducer(roomReducer, initialRoomState);
    return (
      <>
        <button type="button" onClick={() => wireRoom(room, track('local-cam'), dispatch)}>
          wire
        </button>
        <RoomPanel state={state} canJoin onJoin={() => {}} onLeave={() => room.disconnect()} />
      </>
    );
  }

  it('shows you first, adds and removes others, tracks their video, and maps a disconnect error', () => {
    const room = new FakeRoom();
    const early = new FakeParticipant('PA-1', 'guest-1');
    early.videoTracks.set('MT1', { track: { kind: 'video', mediaStreamTrack: track('guest-1-cam') } });
    room.participants.set(early.sid, early);
    render(<Grid room={room} />);
    act(() => screen.getByRole('button', { name: 'wire' }).click());

    const names = () => screen.getAllByTestId('participant-tile').map((tile) => tile.textContent);
    expect(names()).toEqual(['streamer (you)', 'guest-1']);
    expect(screen.getByText('In “myroom” · Participants (2)')).toBeTruthy();

    const late = new FakeParticipant('PA-2', 'guest-2');
    act(() => room.emit('participantConnected', late));
    expect(names()).toEqual(['streamer (you)', 'guest-1', 'No videoguest-2']);
    act(() => late.emit('trackSubscribed', { kind: 'video', mediaStreamTrack: track('guest-2-cam') }));
    expect(names()).toEqual(['streamer (you)', 'guest-1', 'guest-2']);
    act(() => room.emit('participantDisconnected', early));
    expect(names()).toEqual(['streamer (you)', 'guest-2']);

    act(() => room.emit('disconnected', room, twilioError(53118)));
    expect(screen.queryByTestId('participant-grid')).toBeNull();
    expect(screen.getByTestId('room-error').textContent).toBe('The room has ended. Join again to open a new one.');
    expect(screen.getByRole('button', { name: 'Join room' })).toHaveProperty('disabled', false);
  });

  it('a clean leave shows no error', () => {
    const room = new FakeRoom();
    render(<Grid room={room} />);
    act(() => screen.getByRole('button', { name: 'wire' }).click());
    act(() => screen.getByRole('button', { name: 'Leave room' }).click());
    expect(screen.queryByTestId('room-error')).toBeNull();
    expect(screen.getByRole('button', { name: 'Join room' })).toBeTruthy();
  });
});
