import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cli/memory-store';
import { GuestService } from '../../src/main/core/guests/guest-service';
import { SecretVault } from '../../src/main/core/settings/secret-vault';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { mintGuestRoomToken } from '../../src/main/core/twilio/guest-tokens';
import { inviteIdOfIdentity, nameOfIdentity, readRoomToken, roomGuestIdentity, roomInviteFromFragment } from '../../src/shared/guest-room';
import { StudioError } from '../../src/shared/errors';
import { guestsConfigPatchSchema } from '../../src/shared/guests';

/** Made-up credentials: minting is local (HMAC), nothing is sent anywhere. */
const target = { accountSid: `AC${'a'.repeat(32)}`, apiKeySid: `SK${'b'.repeat(32)}`, apiSecret: 'not-a-real-secret-0123456789' };

function settings(mode: 'local' | 'twilio') {
  return { read: () => ({ mode, roomName: 'Studio room', identity: 'streamer' }) as ReturnType<Parameters<typeof mintGuestRoomToken>[0]['settings']['read']> };
}
const connections = { current: async () => ({ mode: 'twilio' as const, target, syncServiceSid: '', twilio: null as never }) };

/** A JWT's three parts, decoded, with its HS256 signature checked against the API secret. */
function decode(token: string) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', target.apiSecret).update(`${header}.${payload}`).digest('base64url');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header!), payload: json(payload!), signed: signature === expected };
}

describe('Twilio-mode guest tokens, minted in main', () => {
  it('an AccessToken signed with the API secret: VideoGrant for the streamer’s room, the guest identity, the TTL asked for', async () => {
    const before = Math.floor(Date.now() / 1000);
    const minted = await mintGuestRoomToken({ settings: settings('twilio'), connections }, 'Aiko@inv1234567', 90 * 60);
    const { header, payload, signed } = decode(minted.token);
    expect(signed).toBe(true);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload.iss).toBe(target.apiKeySid);
    expect(payload.sub).toBe(target.accountSid);
    expect(payload.grants).toEqual({ identity: 'Aiko@inv1234567', video: { room: 'Studio room' } });
    expect(payload.exp - payload.iat).toBe(90 * 60);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(minted).toMatchObject({ room: 'Studio room', host: 'streamer' });
    expect(Date.parse(minted.expiresAt) / 1000).toBeCloseTo(payload.exp, -1);
    // The secret is in no part of what leaves main.
    expect(JSON.stringify(minted)).not.toContain(target.apiSecret);
  });

  it('refuses outside Twilio mode, before touching any connection', async () => {
    let asked = false;
    const refused = mintGuestRoomToken({ settings: settings('local'), connections: { current: async () => ((asked = true), connections.current()) } }, 'Aiko@inv1234567', 600);
    await expect(refused).rejects.toMatchObject({ code: 'guests.not_twilio' });
    expect(asked).toBe(false);
  });
});

describe('identities and links of room invites', () => {
  it('identity = the name made safe + @ + the invite id; the studio reads both back', () => {
    expect(roomGuestIdentity('Aiko', 'q2Xy_9-abcde')).toBe('Aiko@q2Xy_9-abcde');
    expect(roomGuestIdentity("  <b>O'Brien</b> ", 'q2Xy_9-abcde')).toBe('bOBrienb@q2Xy_9-abcde');
    expect(roomGuestIdentity(null, 'q2Xy_9-abcde')).toBe('Guest@q2Xy_9-abcde');
    expect(roomGuestIdentity('さくら', 'q2Xy_9-abcde')).toBe('さくら@q2Xy_9-abcde');
    expect(inviteIdOfIdentity('Aiko@q2Xy_9-abcde')).toBe('q2Xy_9-abcde');
    expect(inviteIdOfIdentity('streamer')).toBeNull();
    expect(nameOfIdentity('さくら@q2Xy_9-abcde')).toBe('さくら');
  });

  it('the fragment carries a JWT and the host; anything else is not a room link', () => {
    expect(roomInviteFromFragment('#room=aaa.bbb.ccc&host=streamer')).toEqual({ token: 'aaa.bbb.ccc', host: 'streamer' });
    expect(roomInviteFromFragment('#room=aaa.bbb&host=streamer')).toBeNull();
    expect(roomInviteFromFragment('#room=aaa.bbb.ccc')).toBeNull();
    expect(roomInviteFromFragment('#invite=abcdef.0123456789abcdef')).toBeNull();
    expect(roomInviteFromFragment(`#room=${'a'.repeat(5000)}.b.c&host=x`)).toBeNull();
  });
});

function service(options: { roomTokens?: boolean; pageUrl?: string } = {}) {
  const store = new MemoryStore();
  const disconnected: string[] = [];
  const guests = new GuestService({
    store,
    vault: new SecretVault(store, new SessionKeyCipher()),
    guestRoot: null,
    disconnectParticipant: async (participantSid) => void disconnected.push(participantSid),
    ...(options.roomTokens === false ? {} : { roomTokens: (identity: string, ttl: number) => mintGuestRoomToken({ settings: settings('twilio'), connections }, identity, ttl) }),
  });
  return { guests, store, disconnected };
}
const sid = (n: number) => `PA${String(n).padStart(32, '0')}`;

describe('GuestService.roomInvite', () => {
  it('needs the guest page URL, then links to it with the token and host in the fragment only', async () => {
    const { guests, store } = service();
    await expect(guests.roomInvite({ name: 'Aiko', validMinutes: 60 })).rejects.toMatchObject({ code: 'guests.no_page_url' });
    expect(guests.snapshot().invites).toEqual([]);
    await guests.configure({ guestPageUrl: 'https://me.github.io/onair/' });
    const created = await guests.roomInvite({ name: 'Aiko', validMinutes: 60 });
    const url = new URL(created.link);
    expect(`${url.origin}${url.pathname}`).toBe('https://me.github.io/onair/');
    expect(url.search).toBe('');
    const link = roomInviteFromFragment(url.hash)!;
    expect(link.host).toBe('streamer');
    expect(readRoomToken(link.token)).toMatchObject({ identity: created.identity, room: 'Studio room' });
    expect(created.identity).toBe(`Aiko@${created.invite.id}`);
    expect(created.invite).toMatchObject({ name: 'Aiko', maxUses: 1, uses: 0, state: 'active' });
    expect(created.invite.expiresAt - created.invite.createdAt).toBe(60 * 60_000);
    expect(decode(link.token).payload.exp - decode(link.token).payload.iat).toBe(60 * 60);
    // The token is not kept anywhere in the studio's store.
    expect(JSON.stringify(store.get('guestInvites'))).not.toContain(link.token);
  });

  it('without a minter (no Twilio mode wired) it is refused with guests.not_twilio', async () => {
    const { guests } = service({ roomTokens: false });
    await guests.configure({ guestPageUrl: 'https://me.github.io/onair/' });
    await expect(guests.roomInvite({ name: null, validMinutes: 60 })).rejects.toBeInstanceOf(StudioError);
    await expect(guests.roomInvite({ name: null, validMinutes: 60 })).rejects.toMatchObject({ code: 'guests.not_twilio' });
  });

  it('the guest arrives backstage under their name, the use is counted; a revoked invite’s holder is turned away and disconnected', async () => {
    const { guests, disconnected } = service();
    await guests.configure({ guestPageUrl: 'https://me.github.io/onair/' });
    const aiko = await guests.roomInvite({ name: 'Aiko', validMinutes: 60 });
    const ben = await guests.roomInvite({ name: 'Ben', validMinutes: 60 });
    expect(guests.fromRoom({ event: 'connected', participantSid: sid(1), identity: aiko.identity })).toMatchObject({ name: 'Aiko', via: 'room', state: 'backstage' });
    expect(guests.snapshot().invites.find((invite) => invite.id === aiko.invite.id)).toMatchObject({ uses: 1 });
    guests.revoke(ben.invite.id);
    expect(guests.fromRoom({ event: 'connected', participantSid: sid(2), identity: ben.identity })).toBeNull();
    expect(disconnected).toEqual([sid(2)]);
    expect(guests.snapshot().guests.map((guest) => guest.name)).toEqual(['Aiko']);
  });

  it('refuses a guest page URL that is not https (or loopback http), or that has a fragment or query', async () => {
    const { guests } = service();
    for (const bad of ['http://example.com/', 'javascript:alert(1)', 'https://example.com/#x', 'https://example.com/?a=1', 'https://user:pw@example.com/']) {
      expect(guestsConfigPatchSchema.safeParse({ guestPageUrl: bad }).success, bad).toBe(false);
      await expect(guests.configure({ guestPageUrl: bad }), bad).rejects.toThrow();
    }
    await guests.configure({ guestPageUrl: 'http://127.0.0.1:8080/' });
    expect(guests.snapshot().config.guestPageUrl).toBe('http://127.0.0.1:8080/');
    await guests.configure({ guestPageUrl: '' });
    expect(guests.snapshot().config.guestPageUrl).toBe('');
  });
});
