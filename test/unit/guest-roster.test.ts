import { describe, expect, it } from 'vitest';
import { GuestRoster } from '../../src/main/core/guests/guest-roster';
import { GuestWireReader } from '../../src/main/core/guests/guest-wire';
import { JoinLimiter } from '../../src/main/core/guests/join-limiter';
import { GUEST_WIRE_MAX_BYTES } from '../../src/shared/guests';

describe('GuestRoster', () => {
  it('moves guests between backstage and stage, keeps stage slots 0..n-1, mutes, drops and removes', () => {
    const roster = new GuestRoster();
    const a = roster.arrive('Aiko', 'inviteA1');
    const b = roster.arrive('Ben', 'inviteB1');
    const c = roster.arrive('Chie', 'inviteC1');
    expect(a.state).toBe('backstage');
    expect(roster.present()).toBe(3);

    expect(roster.act(a.id, 'stage').stageSlot).toBe(0);
    expect(roster.act(b.id, 'stage').stageSlot).toBe(1);
    expect(roster.act(c.id, 'stage').stageSlot).toBe(2);
    roster.act(a.id, 'backstage');
    expect(roster.list().map((guest) => [guest.name, guest.stageSlot])).toEqual([
      ['Aiko', null],
      ['Ben', 0],
      ['Chie', 1],
    ]);

    expect(roster.act(b.id, 'mute').muted).toBe(true);
    expect(roster.act(b.id, 'unmute').muted).toBe(false);

    // Dropped on stage: the slot is held (last frame) until the host takes them off.
    expect(roster.drop(b.id)).toMatchObject({ state: 'dropped', stageSlot: 0 });
    expect(roster.get(c.id)!.stageSlot).toBe(1);
    expect(() => roster.act(b.id, 'stage')).toThrow(expect.objectContaining({ code: 'guests.guest_gone' }));
    expect(() => roster.act(b.id, 'mute')).toThrow(expect.objectContaining({ code: 'guests.guest_gone' }));
    expect(roster.act(b.id, 'backstage')).toMatchObject({ state: 'dropped', stageSlot: null });
    expect(roster.get(c.id)!.stageSlot).toBe(0);
    // Dropped from backstage: no slot at all.
    const d = roster.arrive('Dai', 'inviteD1');
    expect(roster.drop(d.id)).toMatchObject({ state: 'dropped', stageSlot: null });
    expect(roster.act(c.id, 'remove').state).toBe('removed');
    expect(roster.drop(c.id)).toBeUndefined();
    expect(roster.present()).toBe(1);
    expect(roster.act(a.id, 'stage').stageSlot).toBe(0);
    expect(() => roster.act('Gnosuchguest', 'mute')).toThrow(expect.objectContaining({ code: 'guests.guest_not_found' }));
  });

  it('forgets the oldest departed guests beyond sixteen', () => {
    const roster = new GuestRoster();
    for (let i = 0; i < 20; i += 1) roster.drop(roster.arrive(`Guest ${i}`, 'inviteXYZ').id);
    expect(roster.list()).toHaveLength(16);
    expect(roster.list()[0]!.name).toBe('Guest 4');
  });
});

describe('GuestWireReader', () => {
  const hello = JSON.stringify({ type: 'hello', seq: 1, invite: 'abcdef.0123456789abcdefghij', name: 'Aiko' });
  const signal = (seq: number) => JSON.stringify({ type: 'signal', seq, signal: { kind: 'ice', candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } });

  it('takes hello first, then messages whose seq rises by one', () => {
    const reader = new GuestWireReader();
    expect(reader.read(hello, false).ok).toBe(true);
    expect(reader.joined()).toBe(true);
    expect(reader.read(signal(2), false).ok).toBe(true);
    expect(reader.read(Buffer.from(signal(3)), false).ok).toBe(true);
  });

  it('refuses binary, oversize, malformed, replayed and out-of-order messages', () => {
    expect(new GuestWireReader().read(hello, true)).toEqual({ ok: false, reason: 'binary' });
    expect(new GuestWireReader().read('x'.repeat(GUEST_WIRE_MAX_BYTES + 1), false)).toEqual({ ok: false, reason: 'oversize' });
    expect(new GuestWireReader().read('{not json', false)).toEqual({ ok: false, reason: 'malformed' });
    expect(new GuestWireReader().read(JSON.stringify({ type: 'hello', seq: 1, invite: 'x', name: '<script>' }), false)).toEqual({ ok: false, reason: 'malformed' });
    expect(new GuestWireReader().read(JSON.stringify({ type: 'signal', seq: 2, signal: { kind: 'offer', sdp: 'v=0', extra: 1 } }), false)).toEqual({ ok: false, reason: 'malformed' });
    expect(new GuestWireReader().read(signal(2), false)).toEqual({ ok: false, reason: 'order' });
    const reader = new GuestWireReader();
    reader.read(hello, false);
    reader.read(signal(2), false);
    expect(reader.read(signal(2), false)).toEqual({ ok: false, reason: 'replayed' });
    expect(reader.read(hello, false)).toEqual({ ok: false, reason: 'replayed' });
    expect(reader.read(signal(9), false)).toEqual({ ok: false, reason: 'order' });
  });
});

describe('JoinLimiter', () => {
  it('bounds attempts per address and in total within a window, and connections waiting to join', () => {
    let now = 0;
    const limiter = new JoinLimiter({ windowMs: 1000, perAddress: 2, total: 3, pending: 2 }, () => now);
    expect(limiter.attempt('10.0.0.1')).toBe(true);
    expect(limiter.attempt('10.0.0.1')).toBe(true);
    expect(limiter.attempt('10.0.0.1')).toBe(false);
    expect(limiter.attempt('10.0.0.2')).toBe(true);
    expect(limiter.attempt('10.0.0.3')).toBe(false);
    now = 1000;
    expect(limiter.attempt('10.0.0.1')).toBe(true);

    expect(limiter.open()).toBe(true);
    expect(limiter.open()).toBe(true);
    expect(limiter.open()).toBe(false);
    limiter.settled();
    expect(limiter.pending()).toBe(1);
    expect(limiter.open()).toBe(true);
  });
});
