import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import { readRoomToken, roomInviteFromFragment, type RoomInviteCreated } from '../../../src/shared/guest-room';
import { scratchDir } from '../../support/scratch';
import { APP_ORIGIN } from '../support/studio-fixture';

/**
 * `guests.roomInvite` through the one dispatcher, as the renderer calls it: the sender check first,
 * then the payload's schema, then the service (Twilio mode, the guest page URL) and main's minting.
 * Twilio-mode credentials here are made up: minting signs locally and sends nothing.
 */
const API_SECRET = 'made-up-secret-for-minting-only';
const open: StudioCore[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) await core.close();
});

function makeCore() {
  const core = createStudioCore({
    store: new MemoryStore(),
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir: scratchDir('room-invite'),
    appOrigin: APP_ORIGIN,
    isTrustedSender: (sender) => sender.url === APP_ORIGIN,
    localCloud: () => Promise.reject(new Error('room invites never need the local cloud')),
  });
  open.push(core);
  const dispatch = (channel: string, payload?: unknown, url = APP_ORIGIN) => core.dispatch(channel, payload, { url }) as Promise<Envelope<unknown>>;
  const codeOf = async (channel: string, payload?: unknown, url?: string) => {
    const envelope = await dispatch(channel, payload, url);
    return envelope.ok ? 'ok' : envelope.error.code;
  };
  return { core, dispatch, codeOf };
}

async function twilioMode(dispatch: ReturnType<typeof makeCore>['dispatch']) {
  const saved = await dispatch('settings.update', { mode: 'twilio', accountSid: `AC${'1'.repeat(32)}`, apiKeySid: `SK${'2'.repeat(32)}`, apiSecret: API_SECRET, roomName: 'Show room', identity: 'host' });
  expect(saved.ok).toBe(true);
}

describe('guests.roomInvite over IPC', () => {
  it('refuses a page that is not the studio, whatever it asks, and mints nothing for it', async () => {
    const { dispatch, codeOf, core } = makeCore();
    await twilioMode(dispatch);
    await dispatch('guests.configure', { guestPageUrl: 'https://me.github.io/onair/' });
    for (const url of ['https://evil.example', 'https://me.github.io', null]) {
      expect(await codeOf('guests.roomInvite', { name: 'Aiko', validMinutes: 60 }, url as string)).toBe('ipc.untrusted_sender');
    }
    expect(core.guests.snapshot().invites).toEqual([]);
  });

  it('checks the payload (24 hours at most, a valid name) before the service', async () => {
    const { dispatch, codeOf } = makeCore();
    await twilioMode(dispatch);
    await dispatch('guests.configure', { guestPageUrl: 'https://me.github.io/onair/' });
    expect(await codeOf('guests.roomInvite', { name: 'Aiko', validMinutes: 24 * 60 + 1 })).toBe('ipc.invalid_payload');
    expect(await codeOf('guests.roomInvite', { name: '<script>', validMinutes: 60 })).toBe('ipc.invalid_payload');
    expect(await codeOf('guests.roomInvite', { name: 'Aiko', validMinutes: 60, maxUses: 3 })).toBe('ipc.invalid_payload');
  });

  it('in Local mode: guests.not_twilio; without a page URL: guests.no_page_url; then a link whose secret is only in the fragment', async () => {
    const { dispatch, codeOf } = makeCore();
    await dispatch('guests.configure', { guestPageUrl: 'https://me.github.io/onair/' });
    expect(await codeOf('guests.roomInvite', { name: 'Aiko', validMinutes: 60 })).toBe('guests.not_twilio');
    await twilioMode(dispatch);
    await dispatch('guests.configure', { guestPageUrl: '' });
    expect(await codeOf('guests.roomInvite', { name: 'Aiko', validMinutes: 60 })).toBe('guests.no_page_url');
    await dispatch('guests.configure', { guestPageUrl: 'https://me.github.io/onair/' });
    const answer = await dispatch('guests.roomInvite', { name: 'Aiko', validMinutes: 30 });
    expect(answer.ok).toBe(true);
    const created = (answer as { value: RoomInviteCreated }).value;
    const url = new URL(created.link);
    expect(url.href.split('#')[0]).toBe('https://me.github.io/onair/');
    const link = roomInviteFromFragment(url.hash)!;
    expect(link.host).toBe('host');
    expect(readRoomToken(link.token)).toMatchObject({ identity: created.identity, room: 'Show room' });
    // What crosses IPC has the token (that is the invite) but never the API secret.
    expect(JSON.stringify(answer)).not.toContain(API_SECRET);
    const list = await dispatch('guests.list');
    expect(list.ok).toBe(true);
    expect(JSON.stringify(list)).not.toContain(link.token);
  });
});
