import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GuestsPanel } from '../../src/renderer/guests/GuestsPanel';
import type { GuestMedia } from '../../src/renderer/guests/use-guest-media';
import { useGuests } from '../../src/renderer/guests/use-guests';
import type { GuestsScene } from '../../src/renderer/guests/use-guests-scene';
import { GuestMeterStore } from '../../src/renderer/mixer/guest-meter-store';
import { defaultGuestsConfig, type GuestsSnapshot, type GuestView } from '../../src/shared/guests';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

const OFF: GuestsSnapshot = { config: defaultGuestsConfig(), server: { state: 'off', url: null, fingerprint: null, error: null }, invites: [], guests: [] };
const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');
const ON: GuestsSnapshot = {
  ...OFF,
  config: { ...defaultGuestsConfig(), shareOnNetwork: true },
  server: { state: 'on', url: 'https://127.0.0.1:8443/', fingerprint: FINGERPRINT, error: null },
};
const guest = (overrides: Partial<GuestView>): GuestView => ({ id: 'Gaiko123', name: 'Aiko', via: 'network', inviteId: 'invite1', state: 'backstage', muted: false, joinedAt: 0, stageSlot: null, ...overrides });

function Harness({ onStage, mode = 'local' }: { onStage: string[]; mode?: 'local' | 'twilio' }) {
  const guests = useGuests();
  const media = { peers: null, streams: {}, quality: { Gaiko123: { grade: 'fair', kbps: 900, lossPercent: 3, rttMs: 40 } }, stage: {} } as unknown as GuestMedia;
  const scene: GuestsScene = { layout: 'side_by_side', setLayout: () => {}, putOnStage: (id) => onStage.push(id) };
  return <GuestsPanel guests={guests} media={media} audio={{ gains: {}, setGain: () => {} }} meters={new GuestMeterStore()} scene={scene} mode={mode} />;
}

afterEach(cleanup);

describe('the guests panel', () => {
  it('Twilio mode: asks for the guest page URL first, then creates a room invite whose link and QR code carry the token', async () => {
    await setupTestI18n('en');
    let snapshot = OFF;
    const link = 'https://me.github.io/onair/#room=aaa.bbb.ccc&host=streamer';
    const fake = installFakeOnair({
      'guests.list': async () => snapshot,
      'guests.configure': async (patch) => (snapshot = { ...snapshot, config: { ...snapshot.config, ...(patch as object) } }),
      'guests.roomInvite': async () => ({
        invite: { id: 'invite2abc', name: 'Aiko', createdAt: 0, expiresAt: 7_200_000, maxUses: 1, uses: 0, state: 'active' },
        link,
        identity: 'Aiko@invite2abc',
        room: 'myroom',
        expiresAt: new Date(7_200_000).toISOString(),
      }),
    });
    render(<Harness onStage={[]} mode="twilio" />);
    await screen.findByText('Set the guest page URL before you invite: Twilio-mode guests open the page from there.');
    expect(screen.queryByTestId('room-invite')!.querySelector('button[type=submit]')?.textContent).toBe('Apply');
    fireEvent.change(screen.getByLabelText('Guest page URL'), { target: { value: ' https://me.github.io/onair/ ' } });
    fireEvent.click(within(screen.getByTestId('room-invite')).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(fake.calls.find((call) => call.channel === 'guests.configure')?.request).toEqual({ guestPageUrl: 'https://me.github.io/onair/' }));
    fireEvent.change(screen.getByLabelText('For (empty = anyone)'), { target: { value: 'Aiko' } });
    fireEvent.change(screen.getByLabelText('Valid for (minutes, at most 1440)'), { target: { value: '90' } });
    fireEvent.click(within(screen.getByTestId('room-invite')).getByRole('button', { name: 'Create invite' }));
    const shown = (await screen.findByTestId('invite-link')) as HTMLInputElement;
    expect(shown.value).toBe(link);
    expect(fake.calls.find((call) => call.channel === 'guests.roomInvite')?.request).toEqual({ name: 'Aiko', validMinutes: 90 });
    expect(screen.getByRole('img', { name: 'QR code of the invite link' }).querySelector('path')?.getAttribute('d')).toMatch(/^M\d/);
    expect(screen.getByTestId('room-invite-created').textContent).toContain('Aiko@invite2abc');
  });

  it('Local mode: Viewers at most sits by the viewer sharing switch, in en and ja, and Apply saves it', async () => {
    await setupTestI18n('en');
    const fake = installFakeOnair({ 'guests.list': async () => OFF, 'guests.configure': async () => OFF });
    render(<Harness onStage={[]} />);
    const input = (await screen.findByLabelText('Viewers at most')) as HTMLInputElement;
    expect(input.value).toBe('10');
    expect([input.min, input.max]).toEqual(['1', '50']);
    expect(screen.getByText(/One more is told the stream is full/)).toBeTruthy();
    fireEvent.change(input, { target: { value: '25' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(fake.calls.find((call) => call.channel === 'guests.configure')?.request).toMatchObject({ maxViewers: 25, maxGuests: 4 }));
    cleanup();
    await setupTestI18n('ja');
    render(<Harness onStage={[]} />);
    expect(((await screen.findByLabelText('視聴者の最大人数')) as HTMLInputElement).value).toBe('10');
  });

  it('Local mode shows no room invite', async () => {
    await setupTestI18n('en');
    installFakeOnair({ 'guests.list': async () => OFF });
    render(<Harness onStage={[]} />);
    await screen.findByText('Not shared on the network.');
    expect(screen.queryByTestId('room-invite')).toBeNull();
  });

  it('turns sharing on, creates an invite and shows its link, QR code and fingerprint once', async () => {
    await setupTestI18n('en');
    let snapshot = OFF;
    const fake = installFakeOnair({
      'guests.list': async () => snapshot,
      'guests.configure': async (patch) => (snapshot = { ...ON, config: { ...ON.config, ...(patch as object) } }),
      'guests.invite': async () => ({
        invite: { id: 'invite1', name: null, createdAt: 0, expiresAt: 3_600_000, maxUses: 1, uses: 0, state: 'active' },
        link: 'https://127.0.0.1:8443/#invite=invite1.secretsecretsecretsecret',
        fingerprint: FINGERPRINT,
      }),
    });
    render(<Harness onStage={[]} />);
    await screen.findByText('Not shared on the network.');
    expect(screen.queryByRole('button', { name: 'Create invite' })).toBeNull();
    fireEvent.click(screen.getByLabelText('Share on my network'));
    await screen.findByText('Shared at https://127.0.0.1:8443/');
    expect(fake.calls.find((call) => call.channel === 'guests.configure')?.request).toMatchObject({ shareOnNetwork: true, listenAddress: '127.0.0.1' });

    fireEvent.change(screen.getByLabelText('Valid for (minutes)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create invite' }));
    const link = (await screen.findByTestId('invite-link')) as HTMLInputElement;
    expect(link.value).toBe('https://127.0.0.1:8443/#invite=invite1.secretsecretsecretsecret');
    expect(fake.calls.find((call) => call.channel === 'guests.invite')?.request).toEqual({ name: null, validMinutes: 30, maxUses: 1 });
    expect(screen.getByRole('img', { name: 'QR code of the invite link' }).querySelector('path')?.getAttribute('d')).toMatch(/^M\d/);
    expect(screen.getByTestId('invite-fingerprint').textContent).toBe(FINGERPRINT);
    expect(screen.getByText(/Advanced → Proceed/)).toBeTruthy();
  });

  it('shows each guest with state and link quality, and sends put on stage, mute, take off, remove and revoke', async () => {
    await setupTestI18n('en');
    const onStage: string[] = [];
    const fake = installFakeOnair({
      'guests.list': async () => ({
        ...ON,
        invites: [{ id: 'invite1', name: 'Aiko', createdAt: 0, expiresAt: 3_600_000, maxUses: 2, uses: 1, state: 'active' }],
        guests: [guest({}), guest({ id: 'Gben4567', name: 'Ben', state: 'on_stage', stageSlot: 0, muted: true }), guest({ id: 'Gchie890', name: 'Chie', state: 'dropped', stageSlot: 1 })],
      }),
      'guests.act': async (request) => guest({ id: (request as { guestId: string }).guestId }),
      'guests.revoke': async () => ({ id: 'invite1', name: 'Aiko', createdAt: 0, expiresAt: 3_600_000, maxUses: 2, uses: 1, state: 'revoked' }),
    });
    render(<Harness onStage={onStage} />);
    const cards = await screen.findAllByTestId('guest-card');
    expect(cards.map((card) => card.getAttribute('data-state'))).toEqual(['backstage', 'on_stage', 'dropped']);
    const aiko = within(cards[0]!);
    expect(aiko.getByTestId('guest-quality').textContent).toContain('Fair — 900 kbps · 3% loss · 40 ms');
    fireEvent.click(aiko.getByRole('button', { name: 'Put on stage' }));
    expect(onStage).toEqual(['Gaiko123']);
    fireEvent.click(aiko.getByRole('button', { name: 'Mute' }));
    const ben = within(cards[1]!);
    expect(ben.getByText('On air')).toBeTruthy();
    fireEvent.click(ben.getByRole('button', { name: 'Unmute' }));
    fireEvent.click(ben.getByRole('button', { name: 'Take off stage' }));
    // A guest who dropped on stage holds the slot until taken off or removed; no mute for them.
    const chie = within(cards[2]!);
    expect(chie.queryByRole('button', { name: 'Mute' })).toBeNull();
    fireEvent.click(chie.getByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(fake.calls.filter((call) => call.channel === 'guests.act' || call.channel === 'guests.revoke').map((call) => call.request)).toEqual([
        { guestId: 'Gaiko123', action: 'mute' },
        { guestId: 'Gben4567', action: 'unmute' },
        { guestId: 'Gben4567', action: 'backstage' },
        { guestId: 'Gchie890', action: 'remove' },
        { id: 'invite1' },
      ]),
    );
  });

  it('speaks Japanese, and shows a refusal in words', async () => {
    await setupTestI18n('ja');
    installFakeOnair({
      'guests.list': async () => OFF,
      'guests.configure': async () => {
        throw { code: 'guests.not_sharing', message: 'x' };
      },
    });
    render(<Harness onStage={[]} />);
    await screen.findByText('ネットワークで共有していません。');
    fireEvent.click(screen.getByRole('button', { name: '適用' }));
    await screen.findByText('先に「ネットワークで共有」をオンにしてください。招待リンクはその共有先を指します。');
  });
});
