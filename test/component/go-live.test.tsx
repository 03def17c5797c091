import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GoLivePanel, type GoLivePanelProps } from '../../src/renderer/broadcast/GoLivePanel';
import { formatElapsed, stepsFor } from '../../src/renderer/broadcast/steps';
import { useBroadcast } from '../../src/renderer/broadcast/use-broadcast';
import type { BroadcastStatus } from '../../src/shared/broadcast';
import { deferred, IDLE, installFakeOnair, setupTestI18n } from './support/fake-onair';

function Harness(props: Partial<GoLivePanelProps>) {
  const broadcast = useBroadcast();
  return <GoLivePanel broadcast={broadcast} mode="local" canGoLive onSwitchToLocal={() => {}} {...props} />;
}

const stepStates = () =>
  within(screen.getByTestId('go-live-steps'))
    .getAllByRole('listitem')
    .map((item) => `${item.dataset.step}=${item.dataset.state}`);

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('the go-live stepper', () => {
  it('follows broadcast.changed step by step, then shows LIVE with the elapsed time', async () => {
    const start = deferred<BroadcastStatus>();
    const fake = installFakeOnair({ 'broadcast.status': async () => IDLE, 'broadcast.start': () => start.promise });
    render(<Harness />);
    const goLive = await screen.findByRole('button', { name: 'Go live' });
    expect(goLive).toHaveProperty('disabled', false);

    fireEvent.click(goLive);
    expect(fake.calls.map((call) => call.channel)).toContain('broadcast.start');
    // Nothing may start twice while it is starting.
    expect(screen.getByRole('button', { name: 'Going live…' })).toHaveProperty('disabled', true);

    const base = { ...IDLE, state: 'starting' as const };
    act(() => fake.emit('broadcast.changed', { ...base, step: 'room' }));
    expect(stepStates()).toEqual(['room=active', 'streamer=pending', 'processor=pending', 'record=pending', 'first-frame=pending']);
    act(() => fake.emit('broadcast.changed', { ...base, step: 'processor', roomSid: 'RM1', playerStreamerSid: 'VJ1' }));
    expect(stepStates()).toEqual(['room=done', 'streamer=done', 'processor=active', 'record=pending', 'first-frame=pending']);
    expect(screen.getByText('Media processor').closest('li')?.getAttribute('aria-current')).toBe('step');

    const startedAt = new Date(Date.now() - 65_000).toISOString();
    const live: BroadcastStatus = { ...IDLE, state: 'live', roomSid: 'RM1', playerStreamerSid: 'VJ1', mediaProcessorSid: 'ZX1', startedAt };
    act(() => fake.emit('broadcast.changed', live));
    await act(async () => start.resolve(live));
    expect(stepStates().every((state) => state.endsWith('=done'))).toBe(true);
    expect(screen.getByTestId('live-badge').textContent).toContain('LIVE');
    await waitFor(() => expect(screen.getByTestId('live-elapsed').textContent).toMatch(/^01:0[5-9]$/));
    expect(screen.getByRole('button', { name: 'Stop' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button', { name: 'Clean up' })).toHaveProperty('disabled', true);
  });

  it('leaves the first frame in progress while the player waits for it', () => {
    const live = { ...IDLE, state: 'live' as const, startedAt: new Date().toISOString() };
    expect(stepsFor(live, false).at(-1)).toEqual({ step: 'first-frame', state: 'active' });
    expect(stepsFor(live, true).at(-1)).toEqual({ step: 'first-frame', state: 'done' });
    expect(stepsFor(live).at(-1)).toEqual({ step: 'first-frame', state: 'done' });
  });

  it('shows where going live failed and, for the retired Twilio Live, the way out', async () => {
    let switched = 0;
    const fake = installFakeOnair({
      'broadcast.status': async () => IDLE,
      'broadcast.start': async () => {
        throw { code: 'twilio.live_retired', message: 'retired', details: { step: 'streamer' } };
      },
    });
    render(<Harness mode="twilio" onSwitchToLocal={() => switched++} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Go live' }));
    act(() =>
      fake.emit('broadcast.changed', { ...IDLE, state: 'failed', error: { code: 'twilio.live_retired', message: 'retired', step: 'streamer' } }),
    );
    const alert = await screen.findByTestId('broadcast-error');
    expect(alert.textContent).toContain('Going live failed at “Player streamer”');
    expect(alert.textContent).toContain('Twilio retired Twilio Live on 2023-11-30');
    expect(stepStates()).toEqual(['room=done', 'streamer=failed', 'processor=pending', 'record=pending', 'first-frame=pending']);
    fireEvent.click(within(alert).getByRole('button', { name: 'Switch to Local mode' }));
    expect(switched).toBe(1);
    // Going live again is possible after a failure.
    expect(await screen.findByRole('button', { name: 'Go live' })).toHaveProperty('disabled', false);
  });

  it('asks before stopping: Escape keeps streaming, confirming stops', async () => {
    const live = { ...IDLE, state: 'live' as const, startedAt: new Date().toISOString(), mediaProcessorSid: 'ZX1', playerStreamerSid: 'VJ1' };
    const fake = installFakeOnair({ 'broadcast.status': async () => live, 'broadcast.stop': async () => IDLE });
    render(<Harness />);
    fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop the broadcast?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement?.textContent).toBe('Keep streaming');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((call) => call.channel === 'broadcast.stop')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop broadcast' })));
    expect(fake.calls.filter((call) => call.channel === 'broadcast.stop')).toHaveLength(1);
    expect(await screen.findByRole('button', { name: 'Go live' })).toBeTruthy();
    expect(screen.queryByTestId('live-badge')).toBeNull();
  });

  it('Ctrl+Shift+L goes live and does nothing while the camera is off', async () => {
    const fake = installFakeOnair({ 'broadcast.status': async () => IDLE, 'broadcast.start': async () => IDLE });
    const { rerender } = render(<Harness canGoLive={false} />);
    await screen.findByText('Start the camera to go live.');
    expect(screen.getByRole('button', { name: 'Go live' })).toHaveProperty('disabled', true);
    fireEvent.keyDown(window, { key: 'L', ctrlKey: true, shiftKey: true });
    expect(fake.calls.some((call) => call.channel === 'broadcast.start')).toBe(false);
    rerender(<Harness canGoLive />);
    await act(async () => fireEvent.keyDown(window, { key: 'L', ctrlKey: true, shiftKey: true }));
    expect(fake.calls.filter((call) => call.channel === 'broadcast.start')).toHaveLength(1);
  });

  it('offers Resume or End it for an orphaned broadcast, and reports what Clean up ended', async () => {
    const orphaned = { ...IDLE, state: 'orphaned' as const, mediaProcessorSid: 'ZX9', playerStreamerSid: 'VJ9', startedAt: new Date().toISOString() };
    const fake = installFakeOnair({
      'broadcast.status': async () => (fake.calls.some((call) => call.channel === 'broadcast.cleanup') ? IDLE : orphaned),
      'broadcast.cleanup': async () => ({
        ended: [
          { kind: 'MediaProcessor', sid: 'ZX9' },
          { kind: 'PlayerStreamer', sid: 'VJ9' },
        ],
        deletedRecord: true,
      }),
    });
    render(<Harness />);
    const dialog = await screen.findByRole('dialog', { name: 'A broadcast is still running' });
    expect(within(dialog).getByText('ZX9')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Resume' })).toBeTruthy();
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'End it' })));
    const report = await screen.findByTestId('cleanup-report');
    expect(report.textContent).toContain('Ended 2 resource(s):');
    expect(report.textContent).toContain('MediaProcessor ZX9');
    expect(report.textContent).toContain('Deleted the stale broadcast record.');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('formatElapsed', () => {
  it('counts from the start time and never goes negative', () => {
    const start = '2026-01-01T00:00:00.000Z';
    const at = (seconds: number) => Date.parse(start) + seconds * 1000;
    expect(formatElapsed(start, at(0))).toBe('00:00');
    expect(formatElapsed(start, at(61))).toBe('01:01');
    expect(formatElapsed(start, at(3723))).toBe('1:02:03');
    expect(formatElapsed(start, at(-5))).toBe('00:00');
    expect(formatElapsed(null, at(10))).toBe('00:00');
  });
});
