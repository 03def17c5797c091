import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { INVITES_KEPT, type InviteCreateRequest, type InviteState, type InviteView, type JoinRefusal } from '../../../shared/guests';
import { StudioError } from '../../../shared/errors';
import type { KeyValueStore } from '../settings/ports';

/** Where invites are kept in the studio's store: their secrets only as SHA-256 hashes. */
const STORE_KEY = 'guestInvites';

interface StoredInvite {
  id: string;
  name: string | null;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revoked: boolean;
  /** hex SHA-256 of the secret; the secret itself is never stored. */
  secretHash: string;
}

/** A new invite id (base64url, 12 characters). */
export const newInviteId = (): string => randomBytes(9).toString('base64url');

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The invites: who may join, until when, how many times. A new invite's secret is returned once
 * (for its link) and kept only hashed; redeeming compares hashes in constant time and counts a use.
 */
export class InviteBook {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** `id`: one chosen beforehand (a room invite's identity carries it). */
  create(request: InviteCreateRequest, id = newInviteId()): { invite: InviteView; token: string } {
    const secret = randomBytes(24).toString('base64url');
    const createdAt = this.now();
    const stored: StoredInvite = {
      id,
      name: request.name,
      createdAt,
      expiresAt: createdAt + request.validMinutes * 60_000,
      maxUses: request.maxUses,
      uses: 0,
      revoked: false,
      secretHash: hash(secret),
    };
    this.write(prune([...this.read(), stored], this.now()));
    return { invite: this.view(stored), token: `${id}.${secret}` };
  }

  list(): InviteView[] {
    return this.read().map((invite) => this.view(invite));
  }

  revoke(id: string): InviteView {
    const all = this.read();
    const invite = all.find((candidate) => candidate.id === id);
    if (!invite) throw new StudioError('guests.invite_not_found', 'There is no such invite.');
    invite.revoked = true;
    this.write(all);
    return this.view(invite);
  }

  /** An invite's state by id (Twilio mode: the room guest's identity carries it), or null when unknown. */
  stateOf(id: string): InviteState | null {
    const invite = this.read().find((candidate) => candidate.id === id);
    return invite ? this.state(invite) : null;
  }

  /** Counts one use of an invite by id (Twilio mode: a participant arrived with its identity). */
  countUse(id: string): void {
    const all = this.read();
    const invite = all.find((candidate) => candidate.id === id);
    if (!invite) return;
    invite.uses += 1;
    this.write(all);
  }

  /** Checks a link's `<id>.<secret>` without using it up. */
  check(token: string): { ok: true; invite: InviteView } | { ok: false; reason: JoinRefusal } {
    const found = this.find(token);
    if (!found.ok) return found;
    const state = this.state(found.invite);
    if (state !== 'active') return { ok: false, reason: state };
    return { ok: true, invite: this.view(found.invite) };
  }

  /** Uses the invite once, or says why not. */
  redeem(token: string): { ok: true; invite: InviteView } | { ok: false; reason: JoinRefusal } {
    const checked = this.check(token);
    if (!checked.ok) return checked;
    const all = this.read();
    const invite = all.find((candidate) => candidate.id === checked.invite.id)!;
    invite.uses += 1;
    this.write(all);
    return { ok: true, invite: this.view(invite) };
  }

  private find(token: string): { ok: true; invite: StoredInvite } | { ok: false; reason: JoinRefusal } {
    const [id, secret, extra] = token.split('.');
    if (!id || !secret || extra !== undefined) return { ok: false, reason: 'invalid' };
    const invite = this.read().find((candidate) => candidate.id === id);
    if (!invite) return { ok: false, reason: 'unknown' };
    const expected = Buffer.from(invite.secretHash, 'hex');
    const offered = Buffer.from(hash(secret), 'hex');
    if (expected.length !== offered.length || !timingSafeEqual(expected, offered)) return { ok: false, reason: 'unknown' };
    return { ok: true, invite };
  }

  private state(invite: StoredInvite): InviteState {
    if (invite.revoked) return 'revoked';
    if (this.now() >= invite.expiresAt) return 'expired';
    if (invite.uses >= invite.maxUses) return 'used_up';
    return 'active';
  }

  private view(invite: StoredInvite): InviteView {
    const { id, name, createdAt, expiresAt, maxUses, uses } = invite;
    return { id, name, createdAt, expiresAt, maxUses, uses, state: this.state(invite) };
  }

  private read(): StoredInvite[] {
    const raw = this.store.get(STORE_KEY);
    return Array.isArray(raw) ? raw.filter(isStoredInvite) : [];
  }

  private write(all: StoredInvite[]): void {
    this.store.set(STORE_KEY, all);
  }
}

/** Keeps at most INVITES_KEPT invites, forgetting finished ones (revoked, expired, used up) oldest first. */
function prune(all: StoredInvite[], now: number): StoredInvite[] {
  const finished = (invite: StoredInvite) => invite.revoked || now >= invite.expiresAt || invite.uses >= invite.maxUses;
  const kept = [...all];
  while (kept.length > INVITES_KEPT) {
    const index = kept.findIndex(finished);
    kept.splice(index === -1 ? 0 : index, 1);
  }
  return kept;
}

function isStoredInvite(value: unknown): value is StoredInvite {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    (v.name === null || typeof v.name === 'string') &&
    typeof v.createdAt === 'number' &&
    typeof v.expiresAt === 'number' &&
    typeof v.maxUses === 'number' &&
    typeof v.uses === 'number' &&
    typeof v.revoked === 'boolean' &&
    typeof v.secretHash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.secretHash)
  );
}
