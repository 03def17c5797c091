import { describe, expect, it } from 'vitest';
import { InviteBook } from '../../src/main/core/guests/invite-book';
import { MemoryStore } from '../../src/cli/memory-store';
import { inviteTokenFromFragment, INVITES_KEPT } from '../../src/shared/guests';

const clock = () => {
  let now = 1_800_000_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('InviteBook', () => {
  it('returns the secret once, in the token, and keeps only its hash', () => {
    const store = new MemoryStore();
    const book = new InviteBook(store);
    const { invite, token } = book.create({ name: 'Aiko', validMinutes: 60, maxUses: 1 });
    const secret = token.split('.')[1]!;
    expect(invite).toMatchObject({ name: 'Aiko', maxUses: 1, uses: 0, state: 'active' });
    expect(JSON.stringify(store.get('guestInvites'))).not.toContain(secret);
    expect(JSON.stringify(book.list())).not.toContain(secret);
    expect(inviteTokenFromFragment(`#invite=${token}`)).toBe(token);
  });

  it('counts uses and refuses a used-up, expired, revoked, unknown or wrong-secret link', () => {
    const time = clock();
    const book = new InviteBook(new MemoryStore(), time.now);
    const once = book.create({ name: null, validMinutes: 5, maxUses: 1 });
    expect(book.redeem(once.token)).toMatchObject({ ok: true, invite: { uses: 1, state: 'used_up' } });
    expect(book.redeem(once.token)).toEqual({ ok: false, reason: 'used_up' });

    const twice = book.create({ name: null, validMinutes: 5, maxUses: 2 });
    const [id] = twice.token.split('.');
    expect(book.redeem(`${id}.${'x'.repeat(32)}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(book.redeem(`nosuchid.${'x'.repeat(32)}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(book.redeem('not-a-token')).toEqual({ ok: false, reason: 'invalid' });
    expect(book.redeem(`${twice.token}.extra`)).toEqual({ ok: false, reason: 'invalid' });

    time.advance(5 * 60_000);
    expect(book.redeem(twice.token)).toEqual({ ok: false, reason: 'expired' });
    expect(book.list().find((invite) => invite.id === id)?.state).toBe('expired');

    const revoked = book.create({ name: 'Ben', validMinutes: 60, maxUses: 5 });
    expect(book.revoke(revoked.invite.id).state).toBe('revoked');
    expect(book.redeem(revoked.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(() => book.revoke('nosuchinvite')).toThrow(expect.objectContaining({ code: 'guests.invite_not_found' }));
  });

  it('checks without using the invite up', () => {
    const book = new InviteBook(new MemoryStore());
    const { token } = book.create({ name: null, validMinutes: 60, maxUses: 1 });
    expect(book.check(token).ok).toBe(true);
    expect(book.check(token).ok).toBe(true);
    expect(book.list()[0]!.uses).toBe(0);
  });

  it(`keeps at most ${INVITES_KEPT} invites, forgetting finished ones first`, () => {
    const book = new InviteBook(new MemoryStore());
    const first = book.create({ name: 'Keep', validMinutes: 60, maxUses: 3 });
    const revoked = book.create({ name: 'Gone', validMinutes: 60, maxUses: 3 });
    book.revoke(revoked.invite.id);
    for (let i = 0; i < INVITES_KEPT - 1; i += 1) book.create({ name: null, validMinutes: 60, maxUses: 1 });
    const ids = book.list().map((invite) => invite.id);
    expect(ids).toHaveLength(INVITES_KEPT);
    expect(ids).toContain(first.invite.id);
    expect(ids).not.toContain(revoked.invite.id);
  });

  it('reads a damaged store as no invites', () => {
    const store = new MemoryStore();
    store.set('guestInvites', [{ id: 'x' }, 'junk', null]);
    expect(new InviteBook(store).list()).toEqual([]);
  });
});
