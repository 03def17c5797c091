import { useEffect } from 'react';
import type { RoomStatesMessage } from '../../shared/guest-room';
import type { GuestView } from '../../shared/guests';
import type { TellRoom } from '../twilio-room/use-twilio-room';
import type { RoomGuestIdentities } from './room-guests';

/** How often the states are said again (a guest who subscribed to the data track late still hears them). */
export const ROOM_STATES_REPEAT_MS = 3000;

/** Where each room guest stands, by their identity in the room. */
export function roomStatesMessage(guests: readonly GuestView[], identities: RoomGuestIdentities): RoomStatesMessage {
  const entries: RoomStatesMessage['guests'] = [];
  for (const guest of guests) {
    if (guest.via !== 'room') continue;
    const identity = identities.identityOf(guest.id);
    if (identity) entries.push({ identity, state: guest.state, muted: guest.muted });
  }
  return { type: 'guest-states', guests: entries.slice(-64) };
}

export interface RoomLink {
  identities: RoomGuestIdentities;
  tell: TellRoom;
}

/**
 * Twilio mode: tells the room's guests (on the studio's data track) whether they are backstage,
 * on stage, muted or removed — at once on every change, and again every few seconds while any
 * room guest is there.
 */
export function useRoomGuestStates(guests: readonly GuestView[], link: RoomLink | null): void {
  useEffect(() => {
    if (!link) return;
    const message = roomStatesMessage(guests, link.identities);
    if (message.guests.length === 0) return;
    const text = JSON.stringify(message);
    const say = () => {
      try {
        link.tell(text);
      } catch {
        // The room is gone (left or failed): nobody to tell.
      }
    };
    say();
    const timer = setInterval(say, ROOM_STATES_REPEAT_MS);
    return () => clearInterval(timer);
  }, [guests, link]);
}
