import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingPanel } from '../../src/renderer/recording/RecordingPanel';
import { useRecording } from '../../src/renderer/recording/use-recording';
import en from '../../src/shared/locales/en';
import ja from '../../src/shared/locales/ja';
import { IDLE_RECORDING, type RecordingStatus } from '../../src/shared/recording';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

function Harness() {
  return <RecordingPanel recording={useRecording()} canRecord />;
}

const SAVED = '/home/streamer/Videos/OnAir 2026-12-01 09-30-12.mp4';
const KEPT = '/home/streamer/Videos/OnAir 2026-12-01 10-00-00.recording.mp4';
const recovered: RecordingStatus = {
  ...IDLE_RECORDING,
  recovered: [
    { path: SAVED, outcome: 'saved', durationSec: 83.4 },
    { path: KEPT, outcome: 'kept', durationSec: null },
  ],
};

afterEach(cleanup);

describe('a recording interrupted by an unexpected end of the studio', () => {
  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('says where it was saved, or where it is kept (%s), until dismissed', async (language, texts) => {
    await setupTestI18n(language);
    installFakeOnair({ 'recording.status': async () => recovered });
    render(<Harness />);
    await waitFor(() => expect(screen.getByTestId('rec-recovered')).toBeTruthy());
    const items = screen.getAllByTestId('rec-recovered-item');
    expect(items.map((item) => item.getAttribute('data-outcome'))).toEqual(['saved', 'kept']);
    expect(items[0]!.textContent).toContain(texts.recording.recoveredSaved);
    expect(items[0]!.textContent).toContain('01:23');
    expect(items[1]!.textContent).toContain(texts.recording.recoveredKept);
    expect(screen.getAllByTestId('rec-recovered-path').map((path) => path.textContent)).toEqual([SAVED, KEPT]);
    // Record stays available beside it.
    expect((screen.getByTestId('record-button') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: texts.recording.dismiss }));
    expect(screen.queryByTestId('rec-recovered')).toBeNull();
  });

  it('appears when the recovery ends after the page asked (recording.changed)', async () => {
    await setupTestI18n('en');
    const fake = installFakeOnair({ 'recording.status': async () => IDLE_RECORDING });
    render(<Harness />);
    await waitFor(() => expect((screen.getByTestId('record-button') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('rec-recovered')).toBeNull();
    act(() => fake.emit('recording.changed', { ...IDLE_RECORDING, recovered: [{ path: SAVED, outcome: 'saved', durationSec: null }] }));
    expect(screen.getByTestId('rec-recovered-path').textContent).toBe(SAVED);
    expect(screen.getByTestId('rec-recovered').textContent).toContain(en.recording.recoveredSaved);
  });
});
