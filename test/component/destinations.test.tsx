import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestinationsPanel } from '../../src/renderer/destinations/DestinationsPanel';
import { formatDuration, secondsUntilNextTry } from '../../src/renderer/destinations/health';
import { ivsServerFrom, serverForRequest } from '../../src/renderer/destinations/platforms';
import { useDestinations } from '../../src/renderer/destinations/use-destinations';
import type { DestinationView } from '../../src/shared/destinations';
import en from '../../src/shared/locales/en';
import { destinationRuntime, destinationView, fakeDestinations, installFakeOnair, setupTestI18n } from './support/fake-onair';

function Panel() {
  const destinations = useDestinations();
  return <DestinationsPanel destinations={destinations} />;
}

const KEY = 'live_4u7h-Sup3rSecret-k3y-9f2e';

function setup(initial: DestinationView[] = []) {
  const store = fakeDestinations(initial);
  const fake = installFakeOnair(store.handlers);
  render(<Panel />);
  return { store, fake };
}

const rowOf = (name: string) => screen.getAllByTestId('destination-row').find((row) => row.querySelector('.destination-name')?.textContent === name)!;
const callsTo = (fake: ReturnType<typeof installFakeOnair>, channel: string) => fake.calls.filter((call) => call.channel === channel);

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('adding a destination', () => {
  it('masks the key, Show toggles it, sends it once and never renders it back', async () => {
    const { store, fake } = setup();
    await screen.findByText(en.destinations.empty);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a destination' });

    // YouTube by default: its own server, locked, and where to find the key.
    const platform = within(dialog).getByRole('combobox', { name: 'Platform' }) as HTMLSelectElement;
    expect(platform.value).toBe('youtube');
    const server = within(dialog).getByLabelText('Server URL') as HTMLInputElement;
    expect(server.value).toBe('rtmps://a.rtmps.youtube.com:443/live2');
    expect(server.readOnly).toBe(true);
    expect(within(dialog).getByTestId('platform-help').textContent).toContain('YouTube Studio');
    expect(within(dialog).getByRole('link', { name: 'Open the YouTube page' }).getAttribute('href')).toBe('https://studio.youtube.com/');

    // Twitch: the name follows the platform until the user types one; the server changes with it.
    fireEvent.change(platform, { target: { value: 'twitch' } });
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('Twitch');
    expect((within(dialog).getByLabelText('Server URL') as HTMLInputElement).value).toBe('rtmps://ingest.global-contribute.live-video.net/app');
    expect(within(dialog).getByTestId('platform-help').textContent).toContain('Primary Stream key');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'My Twitch' } });

    const key = within(dialog).getByLabelText('Stream key') as HTMLInputElement;
    expect(key.type).toBe('password');
    fireEvent.change(key, { target: { value: KEY } });
    const show = within(dialog).getByRole('button', { name: 'Show' });
    expect(show.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(show);
    expect(key.type).toBe('text');
    expect(show.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(show);
    expect(key.type).toBe('password');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const adds = callsTo(fake, 'destinations.add');
    expect(adds).toHaveLength(1);
    // The preset's own server is left to main (null), the key goes once, with this add.
    expect(adds[0]!.request).toEqual({ name: 'My Twitch', presetId: 'twitch', serverUrl: null, streamKey: KEY, enabled: true });
    expect(store.state.keys.get('d1')).toBe(KEY);
    const row = rowOf('My Twitch');
    expect(within(row).getByTestId('key-hint').textContent).toBe('Key ••••9f2e');
    expect(document.body.innerHTML).not.toContain(KEY);

    // Editing starts with an empty key field and keeps the saved key unless a new one is typed.
    fireEvent.click(within(row).getByRole('button', { name: 'Edit My Twitch' }));
    const edit = screen.getByRole('dialog', { name: 'Edit “My Twitch”' });
    const editKey = within(edit).getByLabelText('Stream key') as HTMLInputElement;
    expect(editKey.value).toBe('');
    expect(editKey.type).toBe('password');
    expect(within(edit).getByText(/A key is saved \(••••9f2e\)/)).toBeTruthy();
    fireEvent.click(within(edit).getByRole('button', { name: 'Show' }));
    expect(document.body.innerHTML).not.toContain(KEY);
    fireEvent.change(within(edit).getByLabelText('Name'), { target: { value: 'Twitch main' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const updates = callsTo(fake, 'destinations.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.request).toEqual({ id: 'd1', name: 'Twitch main', presetId: 'twitch', serverUrl: null });
    expect(store.state.keys.get('d1')).toBe(KEY);
    expect(rowOf('Twitch main')).toBeTruthy();
    // In all that, the key crossed the bridge exactly once.
    expect(fake.calls.filter((call) => JSON.stringify(call.request ?? null).includes(KEY))).toHaveLength(1);
    expect(document.body.innerHTML).not.toContain(KEY);
  });

  it('lets several destinations live side by side, each with its own switch', async () => {
    const { fake } = setup([destinationView({ id: 'a', name: 'YouTube' }), destinationView({ id: 'b', name: 'Twitch', presetId: 'twitch', enabled: false })]);
    await screen.findByRole('switch', { name: /Twitch/ });
    expect(screen.getAllByTestId('destination-row')).toHaveLength(2);
    expect(screen.getByTestId('destinations-count').textContent).toBe('1 of 2 on');
    const twitch = screen.getByRole('switch', { name: 'Stream to Twitch' }) as HTMLInputElement;
    expect(twitch.checked).toBe(false);
    expect(within(rowOf('Twitch')).getByTestId('health').dataset.state).toBe('disabled');
    fireEvent.click(twitch);
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Stream to Twitch' }) as HTMLInputElement).checked).toBe(true));
    expect(callsTo(fake, 'destinations.update').map((call) => call.request)).toEqual([{ id: 'b', enabled: true }]);
    expect(screen.getByTestId('destinations-count').textContent).toBe('2 of 2 on');
  });

  it('a Custom server is typed in, an Amazon IVS endpoint becomes its rtmps server', async () => {
    const { fake } = setup();
    await screen.findByText(en.destinations.empty);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Platform' }), { target: { value: 'amazon_ivs' } });
    const server = within(dialog).getByLabelText('Ingest server') as HTMLInputElement;
    expect(server.readOnly).toBe(false);
    expect(server.value).toBe('');
    fireEvent.change(server, { target: { value: 'a1b2c3d4e5f6.global-contribute.live-video.net' } });
    fireEvent.change(within(dialog).getByLabelText('Stream key'), { target: { value: 'sk_us-west-2_abc' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsTo(fake, 'destinations.add')[0]!.request).toMatchObject({
      presetId: 'amazon_ivs',
      name: 'Amazon IVS',
      serverUrl: 'rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/',
    });
  });
});

describe('validation', () => {
  it('shows main’s field issues next to their fields, and asks for a key before sending anything', async () => {
    const { store, fake } = setup();
    await screen.findByText(en.destinations.empty);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Platform' }), { target: { value: 'custom' } });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: '   ' } });
    fireEvent.change(within(dialog).getByLabelText('Server URL'), { target: { value: 'http://live.example.com/app' } });

    // No key: the dialog says so itself; nothing goes to main.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    const key = within(dialog).getByLabelText('Stream key');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByText(en.errors.destination.key_empty)).toBeTruthy();
    expect(callsTo(fake, 'destinations.add')).toHaveLength(0);

    fireEvent.change(key, { target: { value: 'two words' } });
    expect(key.getAttribute('aria-invalid')).toBeNull();
    store.state.invalid = [
      { path: 'name', messageKey: 'errors.destination.name_empty' },
      { path: 'serverUrl', messageKey: 'errors.destination.url_scheme' },
      { path: 'streamKey', messageKey: 'errors.destination.key_whitespace' },
    ];
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await within(dialog).findByText(en.errors.destination.name_empty);
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    const server = within(dialog).getByLabelText('Server URL');
    expect(server.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(server.getAttribute('aria-describedby')!)?.textContent).toBe(en.errors.destination.url_scheme);
    expect(document.getElementById(key.getAttribute('aria-describedby')!)?.textContent).toBe(en.errors.destination.key_whitespace);
    // The dialog stays open with what was typed; only the fixed field loses its message.
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'My server' } });
    expect(within(dialog).queryByText(en.errors.destination.name_empty)).toBeNull();
    expect(within(dialog).getByText(en.errors.destination.url_scheme)).toBeTruthy();
    expect(store.state.destinations).toHaveLength(0);
  });

  it('a refusal without field issues is said in words (the limit)', async () => {
    const store = fakeDestinations();
    const fake = installFakeOnair({
      ...store.handlers,
      'destinations.add': async () => {
        throw { code: 'destination.limit', message: 'At most 16.' };
      },
    });
    render(<Panel />);
    await screen.findByText(en.destinations.empty);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Stream key'), { target: { value: KEY } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(en.errors.destination.limit);
    expect(callsTo(fake, 'destinations.add')).toHaveLength(1);
  });
});

describe('health while live', () => {
  it('follows destinations.changed: connecting, live with its numbers, reconnecting with a countdown, key rejected, off', async () => {
    const { store, fake } = setup([destinationView({ id: 'yt', name: 'YouTube' }), destinationView({ id: 'tw', name: 'Twitch', presetId: 'twitch' })]);
    await screen.findByRole('switch', { name: /Twitch/ });
    const health = (name: string) => within(rowOf(name)).getByTestId('health');
    expect(health('YouTube').dataset.state).toBe('standby');
    expect(health('YouTube').textContent).toContain('Ready');

    const emit = (runtime: Record<string, ReturnType<typeof destinationRuntime>>) =>
      act(() => fake.emit('destinations.changed', { live: true, destinations: store.state.destinations, runtime }));

    emit({ yt: destinationRuntime({ state: 'connecting', attempt: 1 }), tw: destinationRuntime({ state: 'connecting', attempt: 1 }) });
    expect(health('YouTube').dataset.state).toBe('connecting');
    expect(health('YouTube').textContent).toBe('Connecting…');

    // Live: bitrate · fps · dropped · uptime, the uptime running on between reports.
    const live = destinationRuntime({ state: 'live', health: { bitrateKbps: 4512.4, fps: 30, droppedFrames: 2, uptimeMs: 65_000, reconnects: 1 } });
    emit({ yt: live, tw: destinationRuntime({ state: 'reconnecting', attempt: 2, nextTryInMs: 2_400, reason: 'connection_lost', at: Date.now() - 1_000 }) });
    expect(health('YouTube').dataset.state).toBe('live');
    expect(health('YouTube').textContent).toMatch(/^LIVE4,512 kbps · 30 fps · 2 dropped · 1:0[5-6]$/);
    expect(within(health('YouTube')).getByTestId('health-detail').getAttribute('aria-label')).toContain('reconnected 1 times');

    // Reconnecting: attempt n, next try in s — counting down — and why it dropped.
    expect(health('Twitch').textContent).toBe('ReconnectingAttempt 2, next try in 2 s');
    await waitFor(() => expect(health('Twitch').textContent).toBe('ReconnectingAttempt 2, next try in 1 s'), { timeout: 1_500 });
    await waitFor(() => expect(health('Twitch').textContent).toBe('ReconnectingAttempt 2, trying now…'), { timeout: 1_500 });
    expect(within(rowOf('Twitch')).getByTestId('destination-problem').textContent).toBe(en.errors.destination.connection_lost);
    expect(within(rowOf('Twitch')).getByRole('button', { name: 'Reconnect now: Twitch' })).toBeTruthy();
    expect(within(rowOf('YouTube')).queryByRole('button', { name: /Reconnect now/ })).toBeNull();

    // A wrong key: said plainly, with what to do; the other destination goes on.
    emit({ yt: live, tw: destinationRuntime({ state: 'failed', reason: 'key_rejected' }) });
    expect(health('Twitch').dataset.state).toBe('failed');
    expect(health('Twitch').textContent).toBe('FailedStream key rejected');
    const problem = within(rowOf('Twitch')).getByTestId('destination-problem');
    expect(problem.getAttribute('role')).toBe('alert');
    expect(problem.textContent).toBe(en.errors.destination.key_rejected);
    expect(health('YouTube').dataset.state).toBe('live');

    // A key that cannot be read: edit it, a reconnect would not help.
    emit({ yt: live, tw: destinationRuntime({ state: 'failed', reason: 'key_unreadable' }) });
    expect(within(rowOf('Twitch')).queryByRole('button', { name: /Reconnect now/ })).toBeNull();
    fireEvent.click(within(rowOf('Twitch')).getByRole('button', { name: 'Edit the stream key' }));
    expect(screen.getByRole('dialog', { name: 'Edit “Twitch”' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    act(() => fake.emit('destinations.changed', { live: false, destinations: store.state.destinations, runtime: {} }));
    expect(health('YouTube').dataset.state).toBe('standby');
    expect(health('Twitch').dataset.state).toBe('standby');
    expect(screen.queryByTestId('destination-problem')).toBeNull();
  });

  it('Reconnect now calls destinations.reconnect for that destination', async () => {
    const { store, fake } = setup([destinationView({ id: 'yt', name: 'YouTube' }), destinationView({ id: 'tw', name: 'Twitch', presetId: 'twitch' })]);
    await screen.findByRole('switch', { name: /Twitch/ });
    store.state.live = true;
    store.state.runtime = {
      yt: destinationRuntime({ state: 'live' }),
      tw: destinationRuntime({ state: 'reconnecting', attempt: 3, nextTryInMs: 20_000, reason: 'stalled' }),
    };
    act(() => fake.emit('destinations.changed', store.snapshot()));
    expect(within(rowOf('Twitch')).getByTestId('health').textContent).toMatch(/Attempt 3, next try in (20|19) s/);
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect now: Twitch' }));
    await waitFor(() => expect(within(rowOf('Twitch')).getByTestId('health').dataset.state).toBe('connecting'));
    expect(callsTo(fake, 'destinations.reconnect').map((call) => call.request)).toEqual([{ id: 'tw' }]);
    expect(within(rowOf('Twitch')).getByTestId('health').textContent).toBe('Connecting…Attempt 4');
    expect(within(rowOf('YouTube')).getByTestId('health').dataset.state).toBe('live');
  });

  it('counts down from when main reported, and formats uptime', () => {
    const runtime = destinationRuntime({ state: 'reconnecting', attempt: 1, nextTryInMs: 5_000, at: 1_000 });
    expect(secondsUntilNextTry(runtime, 1_000)).toBe(5);
    expect(secondsUntilNextTry(runtime, 2_001)).toBe(4);
    expect(secondsUntilNextTry(runtime, 9_000)).toBe(0);
    expect(formatDuration(59_999)).toBe('0:59');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});

describe('removing a destination', () => {
  it('asks first; Cancel keeps it, Remove removes it', async () => {
    const { fake } = setup([destinationView({ id: 'yt', name: 'YouTube' }), destinationView({ id: 'tw', name: 'Twitch', presetId: 'twitch' })]);
    await screen.findByRole('switch', { name: /Twitch/ });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Twitch' }));
    const confirm = screen.getByRole('dialog', { name: 'Remove “Twitch”?' });
    expect(confirm.textContent).toContain('Its stream key is deleted from this computer.');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsTo(fake, 'destinations.remove')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Remove Twitch' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.getAllByTestId('destination-row')).toHaveLength(1));
    expect(callsTo(fake, 'destinations.remove').map((call) => call.request)).toEqual([{ id: 'tw' }]);
    expect(screen.queryByRole('switch', { name: 'Stream to Twitch' })).toBeNull();
  });
});

describe('Japanese', () => {
  it('speaks Japanese in the panel and the dialog', async () => {
    await setupTestI18n('ja');
    const { store, fake } = setup([destinationView({ id: 'tw', name: 'Twitch', presetId: 'twitch' })]);
    await screen.findByRole('switch', { name: /Twitch/ });
    expect(screen.getByRole('heading', { name: '配信先' })).toBeTruthy();
    act(() =>
      fake.emit('destinations.changed', {
        live: true,
        destinations: store.state.destinations,
        runtime: { tw: destinationRuntime({ state: 'reconnecting', attempt: 2, nextTryInMs: 30_000, reason: 'connection_lost' }) },
      }),
    );
    expect(within(rowOf('Twitch')).getByTestId('health').textContent).toMatch(/^再接続中2 回目、あと (30|29) 秒で再試行$/);
    expect(screen.getByRole('button', { name: '今すぐ再接続: Twitch' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '追加' }));
    const dialog = screen.getByRole('dialog', { name: '配信先を追加' });
    expect(within(dialog).getByRole('button', { name: '表示' })).toBeTruthy();
    expect(within(dialog).getByLabelText('ストリームキー')).toBeTruthy();
  });
});

describe('the server sent with a request', () => {
  it('turns what the user entered into the request’s server', () => {
    expect(serverForRequest('youtube', 'rtmps://a.rtmps.youtube.com:443/live2')).toBeNull();
    expect(serverForRequest('youtube', ' rtmp://a.rtmp.youtube.com/live2 ')).toBe('rtmp://a.rtmp.youtube.com/live2');
    expect(serverForRequest('custom', '  ')).toBeNull();
    expect(ivsServerFrom('abc.global-contribute.live-video.net')).toBe('rtmps://abc.global-contribute.live-video.net:443/app/');
    expect(ivsServerFrom('rtmps://abc.global-contribute.live-video.net:443/app/')).toBe('rtmps://abc.global-contribute.live-video.net:443/app/');
  });
});
