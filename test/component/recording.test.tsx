import { act, cleanup, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useProgramFeed } from '../../src/renderer/program/use-program-feed';
import { RecordingPanel } from '../../src/renderer/recording/RecordingPanel';
import { formatDuration, formatSize, useRecording } from '../../src/renderer/recording/use-recording';
import { SettingsScreen } from '../../src/renderer/settings/SettingsScreen';
import en from '../../src/shared/locales/en';
import ja from '../../src/shared/locales/ja';
import { IDLE_RECORDING, type RecordingStatus } from '../../src/shared/recording';
import type { SettingsView } from '../../src/shared/settings';
import { deferred, installFakeOnair, setupTestI18n } from './support/fake-onair';

function Harness({ canRecord = true }: { canRecord?: boolean }) {
  const recording = useRecording();
  return <RecordingPanel recording={recording} canRecord={canRecord} />;
}

const FOLDER = '/home/streamer/Videos';
const recordingStatus = (overrides: Partial<RecordingStatus> = {}): RecordingStatus => ({
  ...IDLE_RECORDING,
  state: 'recording',
  folder: FOLDER,
  path: `${FOLDER}/OnAir 2026-12-01 09-30-12.mp4`,
  recordingPath: `${FOLDER}/OnAir 2026-12-01 09-30-12.recording.mp4`,
  startedAt: '2026-12-01T09:30:12.000Z',
  ...overrides,
});
const button = () => screen.getByTestId('record-button') as HTMLButtonElement;

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('Record / Stop recording', () => {
  it('goes Record → Starting… → Stop recording (elapsed, size) → Finalizing… → saved path → Record', async () => {
    const start = deferred<RecordingStatus>();
    const stop = deferred<RecordingStatus>();
    const fake = installFakeOnair({
      'recording.status': async () => IDLE_RECORDING,
      'recording.start': () => start.promise,
      'recording.stop': () => stop.promise,
    });
    render(<Harness />);
    await waitFor(() => expect(button().disabled).toBe(false));
    expect(button().textContent).toBe('Record');
    expect(screen.getByText(en.recording.independent)).toBeTruthy();

    fireEvent.click(button());
    expect(fake.calls.filter((call) => call.channel === 'recording.start')).toHaveLength(1);
    expect(button().textContent).toBe('Starting…');
    expect(button().disabled).toBe(true);

    await act(async () => start.resolve(recordingStatus()));
    expect(button().textContent).toBe('Stop recording');
    expect(button().disabled).toBe(false);
    expect(screen.getByTestId('rec-badge').textContent).toContain('REC');
    expect(screen.getByTestId('rec-elapsed').textContent).toBe('00:00');
    expect(screen.getByTestId('rec-size').textContent).toBe('0 B');

    // Main reports every second while recording.
    act(() => fake.emit('recording.changed', recordingStatus({ elapsedMs: 65_400, bytesWritten: 12_345_678 })));
    expect(screen.getByTestId('rec-elapsed').textContent).toBe('01:05');
    expect(screen.getByTestId('rec-size').textContent).toBe('12.3 MB');

    fireEvent.click(button());
    // No program feed runs here, so nothing is waited for: Stop goes to main at once.
    await waitFor(() => expect(fake.calls.filter((call) => call.channel === 'recording.stop')).toHaveLength(1));
    expect(button().textContent).toBe('Finalizing…');
    expect(button().disabled).toBe(true);
    act(() => fake.emit('recording.changed', recordingStatus({ state: 'finalizing', elapsedMs: 66_000, bytesWritten: 12_400_000 })));
    expect(screen.getByTestId('rec-finalizing').textContent).toBe(en.recording.finalizingHelp);
    expect(screen.queryByTestId('rec-badge')).toBeNull();

    const done = recordingStatus({ state: 'done', recordingPath: null, elapsedMs: 66_000, bytesWritten: 12_500_000 });
    await act(async () => stop.resolve(done));
    expect(button().textContent).toBe('Record');
    expect(button().disabled).toBe(false);
    expect(screen.getByTestId('rec-path').textContent).toBe(`${FOLDER}/OnAir 2026-12-01 09-30-12.mp4`);
    expect(screen.getByTestId('rec-saved').textContent).toContain('plain MP4 file');
    expect(screen.queryByTestId('rec-elapsed')).toBeNull();
    expect(screen.queryByTestId('rec-error')).toBeNull();
  });

  it('cannot record without a camera, nor before main has answered', async () => {
    const status = deferred<RecordingStatus>();
    installFakeOnair({ 'recording.status': () => status.promise });
    const { rerender } = render(<Harness canRecord />);
    expect(button().disabled).toBe(true);
    await act(async () => status.resolve(IDLE_RECORDING));
    expect(button().disabled).toBe(false);
    rerender(<Harness canRecord={false} />);
    expect(button().disabled).toBe(true);
  });

  it('says why a recording stopped (disk full), where the part recorded is kept, in English and Japanese', async () => {
    const fake = installFakeOnair({ 'recording.status': async () => recordingStatus({ elapsedMs: 3_000, bytesWritten: 800_000 }) });
    render(<Harness />);
    await waitFor(() => expect(button().textContent).toBe('Stop recording'));
    const kept = `${FOLDER}/OnAir 2026-12-01 09-30-12.recording.mp4`;
    act(() =>
      fake.emit(
        'recording.changed',
        recordingStatus({
          state: 'failed',
          elapsedMs: 3_200,
          bytesWritten: 810_000,
          error: { code: 'recording.disk_full', reason: 'disk_full', message: 'ENOSPC', keptPath: kept },
        }),
      ),
    );
    const alert = screen.getByTestId('rec-error');
    expect(alert.dataset.code).toBe('recording.disk_full');
    expect(within(alert).getByText(en.recording.failedTitle)).toBeTruthy();
    expect(within(alert).getByText(en.errors.recording.disk_full)).toBeTruthy();
    expect(within(alert).getByText(kept)).toBeTruthy();
    // Record again is offered at once.
    expect(button().textContent).toBe('Record');
    expect(button().disabled).toBe(false);

    await act(async () => setupTestI18n('ja'));
    expect(within(screen.getByTestId('rec-error')).getByText(ja.errors.recording.disk_full)).toBeTruthy();
    expect(button().textContent).toBe(ja.recording.record);

    fireEvent.click(within(screen.getByTestId('rec-error')).getByRole('button', { name: ja.recording.dismiss }));
    expect(screen.queryByTestId('rec-error')).toBeNull();
  });

  it('a refused start (folder gone) shows the reason from the error code, not a stopped recording', async () => {
    const fake = installFakeOnair({
      'recording.status': async () => IDLE_RECORDING,
      'recording.start': async () => {
        // Main announces the refusal as a failed status, then the call fails with the same code.
        fake.emit('recording.changed', {
          ...IDLE_RECORDING,
          state: 'failed',
          folder: '/mnt/usb/rec',
          error: { code: 'recording.folder_missing', reason: 'folder_missing', message: 'gone', keptPath: null },
        });
        throw { code: 'recording.folder_missing', message: 'gone' };
      },
    });
    render(<Harness />);
    await waitFor(() => expect(button().disabled).toBe(false));
    await act(async () => fireEvent.click(button()));
    const alert = await screen.findByTestId('rec-error');
    expect(within(alert).getByText(en.recording.refusedTitle)).toBeTruthy();
    expect(within(alert).getByText(en.errors.recording.folder_missing)).toBeTruthy();
    expect(within(alert).queryByText(en.recording.keptAt)).toBeNull();
    expect(button().textContent).toBe('Record');
  });

  it('a start that fails without any status (transport) still says so', async () => {
    installFakeOnair({
      'recording.status': async () => IDLE_RECORDING,
      'recording.start': async () => {
        throw { code: 'ipc.transport', message: 'socket closed' };
      },
    });
    render(<Harness />);
    await waitFor(() => expect(button().disabled).toBe(false));
    await act(async () => fireEvent.click(button()));
    expect((await screen.findByTestId('rec-error')).dataset.code).toBe('ipc.transport');
  });

  it('formats durations and sizes', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_999)).toBe('00:59');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(950_000)).toBe('950 KB');
    expect(formatSize(1_250_000_000)).toBe('1.25 GB');
  });
});

const VIEW: SettingsView = {
  mode: 'local',
  accountSid: '',
  apiKeySidMasked: '',
  hasApiSecret: false,
  syncServiceSid: '',
  roomName: 'myroom',
  identity: 'streamer',
  roomType: 'group',
  extension: 'video-composer-v1',
  maxDurationSeconds: 14_400,
  ffmpegPath: '',
  recordingFolder: null,
  recordingFormat: 'mp4',
  recordingDefaultFolder: FOLDER,
  outputResolution: '720p',
  outputFps: 30,
  outputVideoKbps: null,
  programEncoder: 'auto',
  configured: false,
  missing: ['accountSid', 'apiKeySid', 'apiSecret', 'syncServiceSid'],
  vault: { available: true, backend: 'test', persistent: true },
};

describe('Settings → Recording', () => {
  it('shows the Videos folder as the default, and saves a folder and the format', async () => {
    const fake = installFakeOnair({
      'settings.get': async () => VIEW,
      'settings.update': async (patch) => ({ ...VIEW, ...(patch as object) }),
    });
    render(<SettingsScreen />);
    const section = await screen.findByTestId('settings-recording');
    const folder = within(section).getByLabelText('Recording folder') as HTMLInputElement;
    expect(folder.value).toBe('');
    expect(folder.placeholder).toBe(FOLDER);
    expect(within(section).getByText(`Leave empty to record into your Videos folder (${FOLDER}). A folder you enter must already exist.`)).toBeTruthy();
    const format = within(section).getByLabelText('File format') as HTMLSelectElement;
    expect(format.value).toBe('mp4');

    fireEvent.change(folder, { target: { value: '  /data/recordings ' } });
    fireEvent.change(format, { target: { value: 'mkv' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const update = fake.calls.find((call) => call.channel === 'settings.update');
    expect(update?.request).toMatchObject({ recordingFolder: '/data/recordings', recordingFormat: 'mkv' });
  });

  it('shows main’s refusal of a folder at the field, and a relative path before asking main', async () => {
    const fake = installFakeOnair({
      'settings.get': async () => VIEW,
      'settings.update': async () => {
        throw {
          code: 'recording.folder_missing',
          message: 'missing',
          details: { issues: [{ path: 'recordingFolder', messageKey: 'errors.recording.folder_missing' }] },
        };
      },
    });
    render(<SettingsScreen />);
    const section = await screen.findByTestId('settings-recording');
    const folder = within(section).getByLabelText('Recording folder');

    fireEvent.change(folder, { target: { value: 'relative/folder' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(within(section).getByRole('alert').textContent).toBe(en.validation.recordingFolder);
    expect(fake.calls.some((call) => call.channel === 'settings.update')).toBe(false);

    fireEvent.change(folder, { target: { value: '/mnt/gone' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(within(section).getByRole('alert').textContent).toBe(en.errors.recording.folder_missing);
  });
});

// ------------------------------------------------------------------------------------------------
// The program feed runs while live OR recording (one ingest for both).

class FakeMediaRecorder extends EventTarget {
  static instances: FakeMediaRecorder[] = [];
  static isTypeSupported = (type: string) => type.startsWith('video/mp4');
  state: 'inactive' | 'recording' = 'inactive';
  constructor() {
    super();
    FakeMediaRecorder.instances.push(this);
  }
  start() {
    this.state = 'recording';
    queueMicrotask(() => this.dispatchEvent(new Event('start')));
  }
  stop() {
    this.state = 'inactive';
    this.dispatchEvent(new Event('stop'));
  }
  /** What the recorder holds comes out now: here, the bytes a test put in `held`. */
  held = new Uint8Array(0);
  requestData() {
    const bytes = this.held;
    this.held = new Uint8Array(0);
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: { size: bytes.byteLength, arrayBuffer: async () => bytes.buffer } }));
  }
}

describe('the program feed’s lifecycle with a recording', () => {
  const globals = globalThis as unknown as Record<string, unknown>;
  const saved = { MediaRecorder: globals.MediaRecorder, MediaStream: globals.MediaStream };
  beforeEach(() => {
    FakeMediaRecorder.instances = [];
    globals.MediaRecorder = FakeMediaRecorder;
    globals.MediaStream = class {
      constructor(readonly tracks: unknown[]) {}
    };
  });
  afterEach(() => {
    globals.MediaRecorder = saved.MediaRecorder;
    globals.MediaStream = saved.MediaStream;
  });

  const track = { kind: 'video' } as unknown as MediaStreamTrack;
  const feedCalls = (calls: Array<{ channel: string }>) => calls.map((call) => call.channel).filter((channel) => channel === 'media.open' || channel === 'media.close');

  it('a recording starts the feed without a broadcast; Go live and Stop during the recording keep the same ingest; stopping the recording last closes it', async () => {
    const fake = installFakeOnair({
      'media.open': async () => ({ ingestId: 'ingest-1', maxQueueBytes: 8 * 1024 * 1024, transcoding: false }),
      'media.close': async () => ({}),
    });
    type Props = { live: boolean; forRecording: boolean; warm: boolean };
    const { result, rerender } = renderHook((props: Props) => useProgramFeed({ video: track, audio: null, recording: props.warm, live: props.live, forRecording: props.forRecording }), {
      initialProps: { live: false, forRecording: false, warm: false },
    });
    expect(result.current.phase).toBe('idle');
    expect(FakeMediaRecorder.instances).toHaveLength(0);

    // Record: the feed starts and is sent, with no broadcast at all.
    rerender({ live: false, forRecording: true, warm: false });
    await waitFor(() => expect(result.current.phase).toBe('sending'));
    expect(feedCalls(fake.calls)).toEqual(['media.open']);

    // Go live while recording: starting, then live — neither restarts the recorder nor reopens.
    rerender({ live: false, forRecording: true, warm: true });
    rerender({ live: true, forRecording: true, warm: false });
    await act(async () => {});
    expect(FakeMediaRecorder.instances).toHaveLength(1);
    expect(feedCalls(fake.calls)).toEqual(['media.open']);

    // Stop (broadcast) while recording: the feed goes on.
    rerender({ live: false, forRecording: true, warm: false });
    await act(async () => {});
    expect(result.current.phase).toBe('sending');
    expect(FakeMediaRecorder.instances[0]!.state).toBe('recording');
    expect(feedCalls(fake.calls)).toEqual(['media.open']);

    // Go live again, then stop the recording while live: still the same feed.
    rerender({ live: true, forRecording: true, warm: false });
    rerender({ live: true, forRecording: false, warm: false });
    await act(async () => {});
    expect(FakeMediaRecorder.instances).toHaveLength(1);
    expect(feedCalls(fake.calls)).toEqual(['media.open']);

    // Stop: nothing needs the feed; the recorder stops and the ingest is closed.
    rerender({ live: false, forRecording: false, warm: false });
    await waitFor(() => expect(feedCalls(fake.calls)).toEqual(['media.open', 'media.close']));
    expect(FakeMediaRecorder.instances[0]!.state).toBe('inactive');
    expect(result.current.phase).toBe('idle');
  });

  it('a recording stopped while Go live is still starting restarts the recorder, so the live ingest begins with its own init segment', async () => {
    let next = 0;
    const fake = installFakeOnair({
      'media.open': async () => ({ ingestId: `ingest-${++next}`, maxQueueBytes: 8 * 1024 * 1024, transcoding: false }),
      'media.close': async () => ({}),
    });
    type Props = { live: boolean; forRecording: boolean; warm: boolean };
    const { result, rerender } = renderHook((props: Props) => useProgramFeed({ video: track, audio: null, recording: props.warm, live: props.live, forRecording: props.forRecording }), {
      initialProps: { live: false, forRecording: true, warm: false },
    });
    await waitFor(() => expect(result.current.phase).toBe('sending'));
    rerender({ live: false, forRecording: true, warm: true });
    rerender({ live: false, forRecording: false, warm: true });
    await waitFor(() => expect(feedCalls(fake.calls)).toEqual(['media.open', 'media.close']));
    expect(FakeMediaRecorder.instances).toHaveLength(2);
    expect(FakeMediaRecorder.instances[1]!.state).toBe('recording');
    rerender({ live: true, forRecording: false, warm: false });
    await waitFor(() => expect(result.current.phase).toBe('sending'));
    expect(feedCalls(fake.calls)).toEqual(['media.open', 'media.close', 'media.open']);
  });

  it('Stop recording waits until what the recorder held at the click has reached main, then main closes the file', async () => {
    const chunkAcks: Array<() => void> = [];
    const fake = installFakeOnair({
      'recording.status': async () => recordingStatus(),
      'recording.stop': async () => recordingStatus({ state: 'done', recordingPath: null }),
      'media.open': async () => ({ ingestId: 'ingest-1', maxQueueBytes: 8 * 1024 * 1024, transcoding: false }),
      'media.chunk': () => new Promise((resolve) => chunkAcks.push(() => resolve({ queuedBytes: 0, maxQueueBytes: 8 * 1024 * 1024 }))),
      'media.close': async () => ({}),
    });
    function Studio() {
      const recording = useRecording();
      const feed = useProgramFeed({ video: track, audio: null, recording: false, live: false, forRecording: recording.status?.state === 'recording' });
      return (
        <>
          <RecordingPanel recording={recording} canRecord />
          <span data-testid="feed-phase">{feed.phase}</span>
        </>
      );
    }
    render(<Studio />);
    await waitFor(() => expect(screen.getByTestId('feed-phase').textContent).toBe('sending'));
    expect(button().textContent).toBe('Stop recording');

    // The last tenth of a second before the click is still in the recorder.
    FakeMediaRecorder.instances[0]!.held = new Uint8Array([7, 7, 7]);
    fireEvent.click(button());
    await waitFor(() => expect(fake.calls.filter((call) => call.channel === 'media.chunk')).toHaveLength(1));
    const chunk = fake.calls.find((call) => call.channel === 'media.chunk')!.request as { data: Uint8Array };
    expect([...chunk.data]).toEqual([7, 7, 7]);
    // Main has not accepted it yet: the file stays open, and the button says so.
    await act(async () => {});
    expect(fake.calls.some((call) => call.channel === 'recording.stop')).toBe(false);
    expect(button().textContent).toBe('Finalizing…');

    await act(async () => chunkAcks.shift()!());
    await waitFor(() => expect(fake.calls.filter((call) => call.channel === 'recording.stop')).toHaveLength(1));
    const order = fake.calls.map((call) => call.channel).filter((channel) => channel === 'media.chunk' || channel === 'recording.stop');
    expect(order).toEqual(['media.chunk', 'recording.stop']);
    await waitFor(() => expect(button().textContent).toBe('Record'));
  });
});
