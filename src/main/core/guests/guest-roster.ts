import { randomBytes } from 'node:crypto';
import type { GuestAction, GuestState, GuestView } from '../../../shared/guests';
import { StudioError } from '../../../shared/errors';

/** Guests who left (removed or dropped) are listed this many at most, newest kept. */
const GONE_KEPT = 16;

/**
 * Who is here and where: backstage, on stage (in stage order), muted, removed, dropped.
 * Only guests backstage or on stage count against the limit.
 */
export class GuestRoster {
  private guests: GuestView[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  list(): GuestView[] {
    return this.guests.map((guest) => ({ ...guest }));
  }

  present(): number {
    return this.guests.filter((guest) => isPresent(guest.state)).length;
  }

  get(id: string): GuestView | undefined {
    return this.guests.find((guest) => guest.id === id);
  }

  /** A new guest, backstage. */
  arrive(name: string, inviteId: string): GuestView {
    const guest: GuestView = { id: `G${randomBytes(9).toString('base64url')}`, name, inviteId, state: 'backstage', muted: false, joinedAt: this.now(), stageSlot: null };
    this.guests.push(guest);
    return { ...guest };
  }

  /** The host's action; `remove` is final. Refused for a guest who is no longer here. */
  act(id: string, action: GuestAction): GuestView {
    const guest = this.get(id);
    if (!guest) throw new StudioError('guests.guest_not_found', 'There is no such guest.');
    if (!isPresent(guest.state) && action !== 'remove') throw new StudioError('guests.guest_gone', 'This guest has left.');
    switch (action) {
      case 'stage':
        if (guest.state !== 'on_stage') this.place(guest, 'on_stage');
        break;
      case 'backstage':
        this.place(guest, 'backstage');
        break;
      case 'mute':
        guest.muted = true;
        break;
      case 'unmute':
        guest.muted = false;
        break;
      case 'remove':
        this.place(guest, 'removed');
        break;
    }
    this.forgetOld();
    return { ...guest };
  }

  /** The guest's connection ended without a remove: shown as dropped, off stage. */
  drop(id: string): GuestView | undefined {
    const guest = this.get(id);
    if (!guest || !isPresent(guest.state)) return undefined;
    this.place(guest, 'dropped');
    this.forgetOld();
    return { ...guest };
  }

  private place(guest: GuestView, state: GuestState): void {
    const slot = guest.stageSlot;
    guest.state = state;
    if (state === 'on_stage') {
      guest.stageSlot = this.guests.filter((other) => other.state === 'on_stage' && other !== guest).length;
      return;
    }
    guest.stageSlot = null;
    // The others close ranks so stage slots stay 0..n-1.
    if (slot !== null) for (const other of this.guests) if (other.stageSlot !== null && other.stageSlot > slot) other.stageSlot -= 1;
  }

  private forgetOld(): void {
    const gone = this.guests.filter((guest) => !isPresent(guest.state));
    const excess = gone.length - GONE_KEPT;
    if (excess <= 0) return;
    const drop = new Set(gone.slice(0, excess));
    this.guests = this.guests.filter((guest) => !drop.has(guest));
  }
}

export function isPresent(state: GuestState): boolean {
  return state === 'backstage' || state === 'on_stage';
}
