import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOM_STATES_REPEAT_MS, type RoomLink, useRoomGuestStates } from '../../src/renderer/guests/room-guest-states';
import { roomStatesMessageSchema } from '../../src/shared/guest-room';
import type { GuestView } from '../../src/shared/guests';

const guest = (id: string, via: GuestView['via'], state: GuestView['state'], muted = false): GuestView => ({
  id,
  name: id,
  via,
  inviteId: `PA${'0'.repeat(32)}`,
  state,
  muted,
  joinedAt: 0,
  stageSlot: state === 'on_stage' ? 0 : null,
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the studio tells its room guests where they stand (data track)', () => {
  it('says it at once on every change and again every few seconds; only room guests with a known identity', () => {
    vi.useFakeTimers();
    const told: string[] = [];
    const identities: Record<string, string> = { aiko01: 'Aiko@q2Xy_9-abcde' };
    const link: RoomLink = { identities: { identityOf: (id) => identities[id] }, tell: (text) => void told.push(text) };
    const lan = guest('lan001', 'network', 'on_stage');
    const { rerender } = renderHook(({ guests }) => useRoomGuestStates(guests, link), { initialProps: { guests: [guest('aiko01', 'room', 'backstage'), lan, guest('ghost1', 'room', 'backstage')] } });
    expect(told.map((text) => roomStatesMessageSchema.parse(JSON.parse(text)))).toEqual([{ type: 'guest-states', guests: [{ identity: 'Aiko@q2Xy_9-abcde', state: 'backstage', muted: false }] }]);
    rerender({ guests: [guest('aiko01', 'room', 'on_stage', true), lan] });
    expect(JSON.parse(told.at(-1)!).guests).toEqual([{ identity: 'Aiko@q2Xy_9-abcde', state: 'on_stage', muted: true }]);
    const before = told.length;
    vi.advanceTimersByTime(ROOM_STATES_REPEAT_MS * 2);
    expect(told.slice(before)).toEqual([told[before - 1], told[before - 1]]);
  });

  it('says nothing without a room or without room guests, and a room that is gone does not throw', () => {
    const tell = vi.fn(() => {
      throw new Error('room gone');
    });
    renderHook(() => useRoomGuestStates([guest('lan001', 'network', 'backstage')], { identities: { identityOf: () => 'x' }, tell }));
    renderHook(() => useRoomGuestStates([guest('aiko01', 'room', 'backstage')], null));
    expect(tell).not.toHaveBeenCalled();
    expect(() => renderHook(() => useRoomGuestStates([guest('aiko01', 'room', 'backstage')], { identities: { identityOf: () => 'Aiko@q2Xy_9-abcde' }, tell }))).not.toThrow();
    expect(tell).toHaveBeenCalledTimes(1);
  });
});
