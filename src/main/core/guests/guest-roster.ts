import { randomBytes } from 'node:crypto';
import type { GuestAction, GuestState, GuestVia, GuestView } from '../../../shared/guests';
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
  arrive(name: string, inviteId: string, via: GuestVia = 'network'): GuestView {
    const guest: GuestView = { id: `G${randomBytes(9).toString('base64url')}`, name, via, inviteId, state: 'backstage', muted: false, joinedAt: this.now(), stageSlot: null };
    this.guests.push(guest);
    return { ...guest };
  }

  /** The host's action; `remove` is final. Refused for a guest who is no longer here. */
  act(id: string, action: GuestAction): GuestView {
    const guest = this.get(id);
    if (!guest) throw new StudioError('guests.guest_not_found', 'There is no such guest.');
    // A guest who dropped may still hold a stage slot (their last frame): the host can take them off or remove them.
    if (!isPresent(guest.state) && action !== 'remove' && !(action === 'backstage' && guest.state === 'dropped')) {
      throw new StudioError('guests.guest_gone', 'This guest has left.');
    }
    switch (action) {
      case 'stage':
        if (guest.state !== 'on_stage') this.place(guest, 'on_stage');
        break;
      case 'backstage':
        if (guest.state === 'dropped') this.unslot(guest);
        else this.place(guest, 'backstage');
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

  /**
   * The guest's connection ended without a remove: shown as dropped. One who was on stage keeps
   * the stage slot (the program holds their last frame, never a gap that reflows the layout)
   * until the host takes them off or removes them.
   */
  drop(id: string): GuestView | undefined {
    const guest = this.get(id);
    if (!guest || !isPresent(guest.state)) return undefined;
    if (guest.state === 'on_stage') guest.state = 'dropped';
    else this.place(guest, 'dropped');
    this.forgetOld();
    return { ...guest };
  }

  private unslot(guest: GuestView): void {
    const slot = guest.stageSlot;
    guest.stageSlot = null;
    if (slot !== null) for (const other of this.guests) if (other.stageSlot !== null && other.stageSlot > slot) other.stageSlot -= 1;
  }

  private place(guest: GuestView, state: GuestState): void {
    guest.state = state;
    if (state === 'on_stage') {
      guest.stageSlot = this.guests.filter((other) => other.stageSlot !== null && other !== guest).length;
      return;
    }
    // The others close ranks so stage slots stay 0..n-1.
    this.unslot(guest);
  }

  private forgetOld(): void {
    const gone = this.guests.filter((guest) => !isPresent(guest.state) && guest.stageSlot === null);
    const excess = gone.length - GONE_KEPT;
    if (excess <= 0) return;
    const drop = new Set(gone.slice(0, excess));
    this.guests = this.guests.filter((guest) => !drop.has(guest));
  }
}

export function isPresent(state: GuestState): boolean {
  return state === 'backstage' || state === 'on_stage';
}
