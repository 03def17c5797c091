import { describe, expect, it } from 'vitest';
import { GuestService } from '../../src/main/core/guests/guest-service';
import { SecretVault } from '../../src/main/core/settings/secret-vault';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { MemoryStore } from '../../src/cli/memory-store';
import type { GuestsSnapshot } from '../../src/shared/guests';

const sid = (n: number) => `PA${String(n).padStart(32, '0')}`;

function service() {
  const store = new MemoryStore();
  const snapshots: GuestsSnapshot[] = [];
  const disconnected: string[] = [];
  const guests = new GuestService({
    store,
    vault: new SecretVault(store, new SessionKeyCipher()),
    guestRoot: null,
    onChange: (snapshot) => snapshots.push(snapshot),
    disconnectParticipant: async (participantSid) => void disconnected.push(participantSid),
  });
  return { guests, snapshots, disconnected };
}

describe('Twilio mode: room participants in the same backstage', () => {
  it('a participant who connects arrives backstage (once, also after a reconnect), goes on stage, drops on leaving', () => {
    const { guests, snapshots } = service();
    const aiko = guests.fromRoom({ event: 'connected', participantSid: sid(1), identity: 'Aiko <b>' })!;
    expect(aiko).toMatchObject({ name: 'Aiko b', via: 'room', state: 'backstage', inviteId: sid(1) });
    expect(guests.fromRoom({ event: 'connected', participantSid: sid(1), identity: 'Aiko' })!.id).toBe(aiko.id);
    expect(snapshots.at(-1)!.guests).toHaveLength(1);
    expect(guests.act(aiko.id, 'stage').stageSlot).toBe(0);
    expect(guests.fromRoom({ event: 'disconnected', participantSid: sid(1), identity: 'Aiko' })).toMatchObject({ state: 'dropped', stageSlot: 0 });
    expect(guests.act(aiko.id, 'remove').state).toBe('removed');
    expect(guests.fromRoom({ event: 'disconnected', participantSid: sid(9), identity: 'Nobody' })).toBeNull();
  });

  it('removing a room guest also disconnects the participant from the room; other actions do not', () => {
    const { guests, disconnected } = service();
    const ben = guests.fromRoom({ event: 'connected', participantSid: sid(2), identity: 'Ben' })!;
    guests.act(ben.id, 'stage');
    guests.act(ben.id, 'mute');
    expect(disconnected).toEqual([]);
    guests.act(ben.id, 'remove');
    expect(disconnected).toEqual([sid(2)]);
  });

  it('turns participants away beyond the most guests at once', async () => {
    const { guests } = service();
    await guests.configure({ maxGuests: 1 });
    expect(guests.fromRoom({ event: 'connected', participantSid: sid(1), identity: 'One' })).not.toBeNull();
    expect(guests.fromRoom({ event: 'connected', participantSid: sid(2), identity: 'Two' })).toBeNull();
    expect(guests.snapshot().guests.map((guest) => guest.name)).toEqual(['One']);
  });
});
