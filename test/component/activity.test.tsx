import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18next from 'i18next';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_ROWS_SHOWN, ActivityPanel } from '../../src/renderer/activity/ActivityPanel';
import { filterActivity, isFailure, mergeEntries } from '../../src/renderer/activity/filter';
import { useActivity } from '../../src/renderer/activity/use-activity';
import type { ActivityEntry } from '../../src/shared/activity';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

const entry = (id: number, domain: string, method: string, path: string, status: number | null, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
  id,
  at: `2026-01-01T10:00:0${id}.000Z`,
  method,
  domain,
  path,
  status,
  ms: 10 + id,
  ...extra,
});

const LISTED = [
  entry(1, 'video', 'GET', '/v1/Rooms', 200),
  entry(2, 'video', 'POST', '/v1/Rooms', 201),
  entry(3, 'sync', 'GET', '/v1/Services/IS1/Documents/streaming_info', 404, { twilioCode: 20404 }),
  entry(4, 'media', 'POST', '/v1/PlayerStreamers', 201),
];

function Live() {
  return <ActivityPanel entries={useActivity()} />;
}

/** Each row as a reader sees it: its parts separated by spaces. */
const rows = () =>
  screen.queryAllByTestId('activity-row').map((row) => [...row.querySelectorAll('.call-line > *, .call-meta > *')].map((part) => part.textContent).join(' '));

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('the activity panel', () => {
  it('shows the listed calls and new ones newest first, and filters by domain and by failures', async () => {
    const fake = installFakeOnair({ 'activity.list': async () => LISTED });
    render(<Live />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows()[0]).toMatch(/^POST media \/v1\/PlayerStreamers/);

    act(() => fake.emit('activity.entry', entry(5, 'media', 'POST', '/v1/MediaProcessors', 429, { twilioCode: 20429, attempt: 1 })));
    act(() => fake.emit('activity.entry', entry(5, 'media', 'POST', '/v1/MediaProcessors', 429, { twilioCode: 20429, attempt: 1 })));
    expect(rows()).toHaveLength(5);
    expect(rows()[0]).toContain('POST media /v1/MediaProcessors');
    expect(rows()[0]).toContain('429');
    expect(rows()[0]).toContain('code 20429');
    expect(rows()[0]).toContain('retry 1');
    expect(screen.getByTestId('activity-count').textContent).toBe('5 of 5');

    fireEvent.change(screen.getByRole('combobox', { name: 'Domain' }), { target: { value: 'video' } });
    expect(rows().every((row) => row.includes(' video '))).toBe(true);
    expect(rows()).toHaveLength(2);

    fireEvent.change(screen.getByRole('combobox', { name: 'Domain' }), { target: { value: 'all' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toContain('/v1/MediaProcessors');
    expect(rows()[1]).toContain('streaming_info');
    expect(screen.getByTestId('activity-count').textContent).toBe('2 of 5');

    fireEvent.change(screen.getByRole('combobox', { name: 'Domain' }), { target: { value: 'video' } });
    expect(rows()).toHaveLength(0);
    expect(screen.getByText('No calls match the filter.')).toBeTruthy();
  });

  it('does not re-render when the studio around it does, only when its entries change (its list grows to 500 rows)', () => {
    // Each render of the panel translates its heading once.
    const translate = vi.spyOn(i18next, 't');
    const renders = () => translate.mock.calls.filter(([key]) => key === 'activity.heading').length;
    let bump = () => {};
    let setEntries = (_entries: ActivityEntry[]) => {};
    function Around() {
      const [n, setN] = useState(0);
      const [entries, set] = useState(LISTED);
      bump = () => setN((value) => value + 1);
      setEntries = set;
      return (
        <div data-n={n}>
          <ActivityPanel entries={entries} />
        </div>
      );
    }
    render(<Around />);
    const first = renders();
    expect(first).toBeGreaterThan(0);
    act(() => bump());
    act(() => bump());
    expect(renders()).toBe(first);
    act(() => setEntries([entry(5, 'video', 'GET', '/v1/Rooms/RM1', 200), ...LISTED]));
    expect(renders()).toBeGreaterThan(first);
    expect(screen.getAllByTestId('activity-row')).toHaveLength(5);
    translate.mockRestore();
  });

  it('lists the newest calls only, and says how many older ones the filters can find', async () => {
    const many = Array.from({ length: ACTIVITY_ROWS_SHOWN + 40 }, (_, i) => entry(i + 1, i === 0 ? 'sync' : 'video', 'GET', `/v1/Rooms/RM${i + 1}`, i === 0 ? 500 : 200));
    const newestFirst = [...many].reverse();
    render(<ActivityPanel entries={newestFirst} />);
    expect(screen.getAllByTestId('activity-row')).toHaveLength(ACTIVITY_ROWS_SHOWN);
    expect(rows()[0]).toContain(`/v1/Rooms/RM${ACTIVITY_ROWS_SHOWN + 40}`);
    expect(screen.getByTestId('activity-older').textContent).toBe('40 older calls not listed: choose a domain or Errors only to find them.');
    expect(screen.getByTestId('activity-count').textContent).toBe(`${ACTIVITY_ROWS_SHOWN + 40} of ${ACTIVITY_ROWS_SHOWN + 40}`);
    // The oldest call, a failure, is found through the filter.
    fireEvent.click(screen.getByLabelText('Errors only'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toContain('/v1/Rooms/RM1');
    expect(screen.queryByTestId('activity-older')).toBeNull();
    await act(() => setupTestI18n('ja'));
    fireEvent.click(screen.getByLabelText('エラーのみ'));
    await waitFor(() => expect(screen.getByTestId('activity-older').textContent).toBe('これより古い 40 件は一覧に表示していません。ドメインか「エラーのみ」で絞り込むと見つかります。'));
    await setupTestI18n('en');
  });

  it('says when there are no calls yet', async () => {
    installFakeOnair({ 'activity.list': async () => [] });
    render(<Live />);
    expect(await screen.findByText('No calls yet. Going live makes calls that appear here.')).toBeTruthy();
  });
});

describe('activity filtering', () => {
  it('counts no answer, HTTP errors and Twilio codes as failures', () => {
    expect(isFailure(entry(1, 'video', 'GET', '/', null))).toBe(true);
    expect(isFailure(entry(1, 'video', 'GET', '/', 500))).toBe(true);
    expect(isFailure(entry(1, 'video', 'GET', '/', 200, { twilioCode: 1 }))).toBe(true);
    expect(isFailure(entry(1, 'video', 'GET', '/', 204))).toBe(false);
    expect(filterActivity(LISTED, { domain: 'sync', errorsOnly: true }).map((e) => e.id)).toEqual([3]);
    expect(mergeEntries(LISTED, [LISTED[0]!], 3).map((e) => e.id)).toEqual([4, 3, 2]);
  });
});
