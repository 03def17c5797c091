import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuestServiceUnderTest } from './support';
import { connectGuest, guestService, httpsGet, joinAs, tokenOf } from './support';

const running: GuestServiceUnderTest[] = [];
afterEach(async () => {
  for (const { service } of running.splice(0)) await service.close();
});

async function sharing(options: Parameters<typeof guestService>[0] = {}) {
  const under = guestService(options);
  running.push(under);
  const snapshot = await under.service.configure({ shareOnNetwork: true, listenAddress: '127.0.0.1', port: 0 });
  expect(snapshot.server.state).toBe('on');
  const origin = snapshot.server.url!.replace(/\/$/, '');
  return { ...under, origin, snapshot };
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the network guest server (Local mode, on 127.0.0.1)', () => {
  it('is off by default and listens only once the user turns sharing on; off again closes the port', async () => {
    const under = guestService();
    running.push(under);
    expect(under.service.snapshot().config).toMatchObject({ shareOnNetwork: false, maxGuests: 4 });
    expect(under.service.snapshot().server.state).toBe('off');
    expect(() => under.service.invite({ name: null, validMinutes: 30, maxUses: 1 })).toThrow(expect.objectContaining({ code: 'guests.not_sharing' }));
    const on = await under.service.configure({ shareOnNetwork: true, listenAddress: '127.0.0.1', port: 0 });
    const port = Number(new URL(on.server.url!).port);
    expect(await portOpen(port)).toBe(true);
    const off = await under.service.configure({ shareOnNetwork: false });
    expect(off.server).toEqual({ state: 'off', url: null, fingerprint: null, error: null });
    expect(await portOpen(port)).toBe(false);
  });

  it('serves the guest page over HTTPS with its own certificate (fingerprint as shown), kept across restarts, with a strict CSP', async () => {
    const { origin, snapshot, service } = await sharing();
    const page = await httpsGet(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('guest page');
    expect(page.fingerprint).toBe(snapshot.server.fingerprint);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self';/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect((await httpsGet(`${origin}/assets/guest.js`)).status).toBe(200);

    // Off and on again: the same certificate from the vault.
    await service.configure({ shareOnNetwork: false });
    const again = await service.configure({ shareOnNetwork: true });
    expect(again.server.fingerprint).toBe(snapshot.server.fingerprint);
  });

  it('answers nothing else of the studio: no bridge, no local cloud, no settings, no files outside the page, no other WebSocket', async () => {
    const { origin } = await sharing();
    for (const path of ['/web-bridge.js', '/__bridge', '/video/v1/Rooms', '/media/v1/PlayerStreamers', '/__control/faults', '/settings', '/hls/index.m3u8', '/index.js']) {
      expect((await httpsGet(`${origin}${path}`)).status, path).toBe(404);
    }
    for (const path of ['/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%5c..%5cpackage.json']) {
      const outside = await httpsGet(`${origin}${path}`);
      expect([403, 404], path).toContain(outside.status);
      expect(outside.body).not.toContain('"name"');
    }
    expect((await httpsGet(`${origin}/`, 'POST')).status).toBe(405);
    for (const path of ['/__bridge', '/', '/ws']) expect(await connectGuest(origin, { path }).opened, path).toBe(false);
    expect(await connectGuest(origin, { origin: 'https://evil.example' }).opened).toBe(false);
  });

  it('lets an invited guest join backstage and relays signalling both ways; revoked, expired, used-up and unknown links are refused', async () => {
    const { service, origin, signals, snapshots, now } = await sharing();
    const created = service.invite({ name: 'Aiko', validMinutes: 30, maxUses: 1 });
    expect(created.link).toMatch(new RegExp(`^${origin}/#invite=[\\w-]+\\.[\\w-]+$`));
    expect(created.fingerprint).toBe(service.snapshot().server.fingerprint);
    const aiko = await joinAs(origin, tokenOf(created.link));
    const welcome = await aiko.next('welcome');
    expect(welcome).toMatchObject({ type: 'welcome', state: 'backstage', muted: false });
    const guestId = (welcome as { guestId: string }).guestId;
    expect(snapshots.at(-1)!.guests).toEqual([expect.objectContaining({ id: guestId, name: 'Aiko', state: 'backstage' })]);

    aiko.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'v=0 answer' } });
    await expect.poll(() => signals).toEqual([{ guestId, signal: { kind: 'answer', sdp: 'v=0 answer' } }]);
    service.signal({ guestId, signal: { kind: 'offer', sdp: 'v=0 offer' } });
    await expect(aiko.next('signal')).resolves.toEqual({ type: 'signal', signal: { kind: 'offer', sdp: 'v=0 offer' } });

    service.act(guestId, 'stage');
    await expect.poll(() => aiko.received.at(-1)).toEqual({ type: 'state', state: 'on_stage', muted: false });

    // The same link again: used up.
    const again = await joinAs(origin, tokenOf(created.link), 'Aiko two');
    await expect(again.next('refused')).resolves.toEqual({ type: 'refused', reason: 'used_up' });
    await again.closed;

    const revoked = service.invite({ name: null, validMinutes: 30, maxUses: 5 });
    service.revoke(revoked.invite.id);
    const refusedRevoked = await joinAs(origin, tokenOf(revoked.link));
    await expect(refusedRevoked.next('refused')).resolves.toEqual({ type: 'refused', reason: 'revoked' });

    const expiring = service.invite({ name: null, validMinutes: 5, maxUses: 5 });
    now.value += 5 * 60_000;
    const refusedExpired = await joinAs(origin, tokenOf(expiring.link));
    await expect(refusedExpired.next('refused')).resolves.toEqual({ type: 'refused', reason: 'expired' });

    const refusedUnknown = await joinAs(origin, `${expiring.invite.id}.${'A'.repeat(32)}`);
    await expect(refusedUnknown.next('refused')).resolves.toEqual({ type: 'refused', reason: 'unknown' });

    // Remove: the guest is told, disconnected and shown as removed.
    service.act(guestId, 'remove');
    await expect(aiko.closed).resolves.toMatchObject({ code: 1000 });
    expect(aiko.received.at(-1)).toEqual({ type: 'state', state: 'removed', muted: false });
    expect(service.snapshot().guests[0]!.state).toBe('removed');
  });

  it('turns guests away beyond the limit and shows a guest whose connection ends as dropped', async () => {
    const { service, origin } = await sharing();
    await service.configure({ maxGuests: 1 });
    const invite = service.invite({ name: null, validMinutes: 30, maxUses: 5 });
    const first = await joinAs(origin, tokenOf(invite.link), 'First');
    await first.next('welcome');
    const second = await joinAs(origin, tokenOf(invite.link), 'Second');
    await expect(second.next('refused')).resolves.toEqual({ type: 'refused', reason: 'full' });
    first.ws.close();
    await expect.poll(() => service.snapshot().guests.map((guest) => guest.state)).toEqual(['dropped']);
    const third = await joinAs(origin, tokenOf(invite.link), 'Third');
    await expect(third.next('welcome')).resolves.toMatchObject({ state: 'backstage' });
    third.ws.close();
  });

  it('signalling fuzz: malformed, oversize, binary, replayed, out-of-order and foreign-origin messages are refused; a joined guest is undisturbed', async () => {
    // Bounds wide enough for the fuzz's own connections; the flood test below checks the bounds.
    const { service, origin, signals } = await sharing({ limits: { windowMs: 60_000, perAddress: 100, total: 100, pending: 16 } });
    const invite = service.invite({ name: null, validMinutes: 30, maxUses: 20 });
    const steady = await joinAs(origin, tokenOf(invite.link), 'Steady');
    const guestId = ((await steady.next('welcome')) as { guestId: string }).guestId;

    const bad: Array<(guest: ReturnType<typeof connectGuest>) => void> = [
      (g) => g.ws.send('{not json'),
      (g) => g.ws.send(Buffer.from([1, 2, 3])),
      (g) => g.ws.send('x'.repeat(70 * 1024)),
      (g) => g.sendJson({ type: 'hello', seq: 1, invite: tokenOf(invite.link), name: '<img src=x>' }),
      (g) => g.sendJson({ type: 'signal', seq: 2, signal: { kind: 'offer', sdp: 'v=0' } }),
      (g) => g.sendJson({ type: 'hello', seq: 1, invite: tokenOf(invite.link), name: 'Ok', admin: true }),
      (g) => g.sendJson({ type: 'signal', seq: 1, signal: { kind: 'offer', sdp: 'x'.repeat(60_000) } }),
      (g) => g.sendJson([1, 2, 3]),
      (g) => g.sendJson({ type: '__proto__', seq: 1 }),
    ];
    for (const send of bad) {
      const fuzz = connectGuest(origin);
      expect(await fuzz.opened).toBe(true);
      send(fuzz);
      const closed = await fuzz.closed;
      expect([1003, 1008, 1009]).toContain(closed.code);
      expect(fuzz.received.filter((message) => message.type === 'welcome')).toEqual([]);
    }
    // Replay: a joined guest sending an old sequence number again is cut off.
    const replayer = await joinAs(origin, tokenOf(invite.link), 'Replayer');
    await replayer.next('welcome');
    replayer.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'v=0' } });
    replayer.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'v=0' } });
    await expect(replayer.closed).resolves.toMatchObject({ code: 1008, reason: 'replayed' });
    expect(await connectGuest(origin, { origin: 'http://127.0.0.1:5180' }).opened).toBe(false);

    const refusals = service.refusals();
    expect(refusals).toMatchObject({ malformed: expect.any(Number), binary: 1, replayed: 1, origin: 1 });
    // The steady guest still signals.
    steady.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'still here' } });
    await expect.poll(() => signals.some((s) => s.guestId === guestId && s.signal.kind === 'answer' && s.signal.sdp === 'still here')).toBe(true);
    expect(service.snapshot().guests.find((guest) => guest.id === guestId)!.state).toBe('backstage');
  });

  it('join flood: connections beyond the bounds are refused, the page is still served and a joined guest undisturbed', async () => {
    const { service, origin, signals } = await sharing({ limits: { windowMs: 60_000, perAddress: 20, total: 40, pending: 8 } });
    const invite = service.invite({ name: null, validMinutes: 30, maxUses: 2 });
    const steady = await joinAs(origin, tokenOf(invite.link), 'Steady');
    const guestId = ((await steady.next('welcome')) as { guestId: string }).guestId;
    const flood = Array.from({ length: 60 }, () => connectGuest(origin));
    const opened = await Promise.all(flood.map((guest) => guest.opened));
    // At most `pending` wait to join at once, and no more than perAddress attempts from one address.
    expect(opened.filter(Boolean).length).toBeLessThanOrEqual(19);
    expect(opened.filter((ok) => !ok).length).toBeGreaterThanOrEqual(41);
    for (const guest of flood) guest.ws.terminate();
    expect(service.refusals()).toMatchObject({ flood: expect.any(Number) });
    expect((await httpsGet(`${origin}/`)).status).toBe(200);
    steady.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'after the flood' } });
    await expect.poll(() => signals.some((s) => s.guestId === guestId)).toBe(true);
    expect(service.snapshot().guests.filter((guest) => guest.state === 'backstage')).toHaveLength(1);
  });

  it('reports an address it cannot listen on instead of failing', async () => {
    const under = guestService();
    running.push(under);
    const snapshot = await under.service.configure({ shareOnNetwork: true, listenAddress: '192.0.2.1', port: 0 });
    expect(snapshot.server).toMatchObject({ state: 'failed', url: null, error: 'EADDRNOTAVAIL' });
  });
});
