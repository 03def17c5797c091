import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { EventEmitter } from 'node:events';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GuestService } from '../../src/main/core/guests/guest-service';
import { SecretVault } from '../../src/main/core/settings/secret-vault';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { MemoryStore } from '../../src/cli/memory-store';
import { GuestsPanel } from '../../src/renderer/guests/GuestsPanel';
import { useGuestMedia } from '../../src/renderer/guests/use-guest-media';
import { useGuests } from '../../src/renderer/guests/use-guests';
import { GuestMeterStore } from '../../src/renderer/mixer/guest-meter-store';
import type { ParticipantLike, RoomLike, TrackLike } from '../../src/renderer/twilio-room/room-state';
import type { GuestAction, GuestsSnapshot, RoomParticipantRequest } from '../../src/shared/guests';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

/** twilio-video's RemoteParticipant and Room, as plain emitters (the events the studio listens to). */
class FakeParticipant extends EventEmitter implements ParticipantLike {
  videoTracks = new Map<string, { track: TrackLike | null }>();
  constructor(
    readonly sid: string,
    readonly identity: string,
  ) {
    super();
  }
  publish(kind: 'video' | 'audio', id: string): TrackLike {
    const track = { kind, mediaStreamTrack: { id, kind } as unknown as MediaStreamTrack };
    this.emit('trackSubscribed', track);
    return track;
  }
}
class FakeRoom extends EventEmitter implements RoomLike {
  name = 'myroom';
  localParticipant = { sid: 'PAffffffffffffffffffffffffffffffff', identity: 'streamer' };
  participants = new Map<string, ParticipantLike>();
  disconnect() {}
}
/** happy-dom's MediaStream (video elements accept only it), holding the fake tracks it is given. */
const HappyMediaStream = window.MediaStream;
class FakeMediaStream extends HappyMediaStream {
  private readonly held: MediaStreamTrack[];
  constructor(tracks: MediaStreamTrack[] = []) {
    super();
    this.held = tracks;
  }
  override getTracks = () => this.held;
  override getAudioTracks = () => this.held.filter((track) => track.kind === 'audio') as ReturnType<MediaStream['getAudioTracks']>;
  override getVideoTracks = () => this.held.filter((track) => track.kind === 'video') as ReturnType<MediaStream['getVideoTracks']>;
}

const sid = (n: number) => `PA${String(n).padStart(32, '0')}`;

function Harness({ room }: { room: RoomLike }) {
  const guests = useGuests();
  const media = useGuestMedia(guests.snapshot);
  const { attachRoom } = media;
  useEffect(() => attachRoom(room), [attachRoom, room]);
  const ids = (slot: 'guest0' | 'guest1') => media.stage[slot]?.getTracks().map((track) => track.id).join(',') ?? '';
  return (
    <>
      <GuestsPanel
        guests={guests}
        media={media}
        audio={{ gains: {}, setGain: () => {} }}
        meters={new GuestMeterStore()}
        scene={{ layout: 'grid', setLayout: () => {}, putOnStage: (id) => void guests.act(id, 'stage') }}
      />
      <output data-testid="stage0">{ids('guest0')}</output>
      <output data-testid="stage1">{ids('guest1')}</output>
    </>
  );
}

beforeEach(async () => {
  await setupTestI18n('en');
  vi.stubGlobal('MediaStream', FakeMediaStream);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Twilio mode: twilio-video participant and track events drive the same backstage and stage', () => {
  it('connects, publishes, goes on stage, unpublishes, reconnects, disconnects (last frame held), is taken off', async () => {
    // main's real GuestService behind the fake bridge.
    const store = new MemoryStore();
    const changes = { emit: (_snapshot: GuestsSnapshot) => {} };
    const service = new GuestService({ store, vault: new SecretVault(store, new SessionKeyCipher()), guestRoot: null, onChange: (snapshot) => changes.emit(snapshot) });
    const fake = installFakeOnair({
      'guests.list': async () => service.snapshot(),
      'guests.room': async (request) => service.fromRoom(request as RoomParticipantRequest),
      'guests.act': async (request) => {
        const { guestId, action } = request as { guestId: string; action: GuestAction };
        return service.act(guestId, action);
      },
    });
    changes.emit = (snapshot) => fake.emit('guests.changed', snapshot);
    const room = new FakeRoom();
    const aiko = new FakeParticipant(sid(1), 'Aiko');
    room.participants.set(aiko.sid, aiko);
    render(<Harness room={room} />);

    // Already in the room when the studio joined: backstage.
    const aikoCard = () => screen.getAllByTestId('guest-card').find((card) => within(card).queryByText('Aiko'))!;
    await waitFor(() => expect(aikoCard().getAttribute('data-state')).toBe('backstage'));
    let cam: TrackLike | null = null;
    act(() => void (cam = aiko.publish('video', 'aiko-cam')));
    fireEvent.click(within(aikoCard()).getByRole('button', { name: 'Put on stage' }));
    await waitFor(() => expect(aikoCard().getAttribute('data-state')).toBe('on_stage'));
    await waitFor(() => expect(screen.getByTestId('stage0').textContent).toBe('aiko-cam'));

    act(() => void aiko.publish('audio', 'aiko-mic'));
    await waitFor(() => expect(screen.getByTestId('stage0').textContent).toBe('aiko-cam,aiko-mic'));
    // Unpublished: the same track object twilio-video handed over on subscribe.
    act(() => void aiko.emit('trackUnsubscribed', cam));
    await waitFor(() => expect(screen.getByTestId('stage0').textContent).toBe('aiko-mic'));
    act(() => void aiko.emit('trackSubscribed', { kind: 'video', mediaStreamTrack: { id: 'aiko-cam-2', kind: 'video' } }));
    await waitFor(() => expect(screen.getByTestId('stage0').textContent).toBe('aiko-mic,aiko-cam-2'));

    // Another participant connects: a second guest, backstage.
    const ben = new FakeParticipant(sid(2), 'Ben');
    act(() => void room.emit('participantConnected', ben));
    await waitFor(() => expect(screen.getAllByTestId('guest-card').map((card) => card.getAttribute('data-state'))).toEqual(['on_stage', 'backstage']));

    // A reconnect is the same guest, still on stage.
    act(() => {
      room.emit('participantReconnecting', aiko);
      room.emit('participantReconnected', aiko);
    });
    await waitFor(() => expect(service.snapshot().guests).toHaveLength(2));
    expect(aikoCard().getAttribute('data-state')).toBe('on_stage');

    // Disconnected: dropped, the stage slot and the last frame held until the host takes them off.
    act(() => void room.emit('participantDisconnected', aiko));
    await waitFor(() => expect(aikoCard().getAttribute('data-state')).toBe('dropped'));
    expect(screen.getByTestId('stage0').textContent).toBe('aiko-mic,aiko-cam-2');
    fireEvent.click(within(aikoCard()).getByRole('button', { name: 'Take off stage' }));
    await waitFor(() => expect(screen.getByTestId('stage0').textContent).toBe(''));
    expect(fake.calls.filter((call) => call.channel === 'guests.room').map((call) => (call.request as RoomParticipantRequest).event)).toEqual([
      'connected',
      'connected',
      'connected',
      'disconnected',
    ]);
  });
});
