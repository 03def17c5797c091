import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevicePickers } from '../../src/renderer/studio/DevicePickers';
import { loadPreferences, PREFERENCES_KEY, savePreferences, type StudioPreferences } from '../../src/renderer/studio/preferences';
import { useCapture } from '../../src/renderer/studio/use-capture';
import { useDevices } from '../../src/renderer/studio/use-devices';
import { levelOf } from '../../src/renderer/studio/use-mic-level';
import { setupTestI18n } from './support/fake-onair';

type Device = { deviceId: string; kind: MediaDeviceKind; label: string; groupId: string };

/** A fake `navigator.mediaDevices`: a device list the test edits, `devicechange`, and scripted getUserMedia. */
function installFakeMediaDevices(initial: Device[]) {
  let devices = [...initial];
  const target = new EventTarget();
  const requests: MediaStreamConstraints[] = [];
  let fail: ((constraints: MediaStreamConstraints) => DOMException | null) | null = null;
  const fake = {
    enumerateDevices: async () => devices.map((device) => ({ ...device, toJSON: () => device }) as unknown as MediaDeviceInfo),
    getUserMedia: async (constraints: MediaStreamConstraints) => {
      requests.push(constraints);
      const error = fail?.(constraints);
      if (error) throw error;
      const kind = constraints.video ? 'video' : 'audio';
      const track = Object.assign(new EventTarget(), {
        kind,
        label: `${kind} track`,
        enabled: true,
        readyState: 'live',
        stop() {},
        getSettings: () => (kind === 'video' ? { width: 1280, height: 720 } : {}),
      });
      return { getTracks: () => [track], getVideoTracks: () => (kind === 'video' ? [track] : []), getAudioTracks: () => (kind === 'audio' ? [track] : []) };
    },
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: fake, configurable: true });
  return {
    requests,
    failWhen(rule: typeof fail) {
      fail = rule;
    },
    plug(next: Device[]) {
      devices = next;
      target.dispatchEvent(new Event('devicechange'));
    },
  };
}

const CAM_A: Device = { deviceId: 'cam-a', kind: 'videoinput', label: 'Front camera', groupId: 'g1' };
const CAM_B: Device = { deviceId: 'cam-b', kind: 'videoinput', label: 'USB camera', groupId: 'g2' };
const MIC_A: Device = { deviceId: 'mic-a', kind: 'audioinput', label: 'Built-in mic', groupId: 'g1' };

function Pickers({ onHotPlug }: { onHotPlug?: () => void }) {
  const [preferences, setPreferences] = useState<StudioPreferences>(loadPreferences);
  const devices = useDevices(onHotPlug);
  const camera = useCapture('video', preferences.cameraId, preferences.resolution);
  return (
    <>
      <DevicePickers
        cameras={devices.cameras}
        mics={devices.mics}
        preferences={preferences}
        resolutionLocked={false}
        onChange={(patch) =>
          setPreferences((current) => {
            const next = { ...current, ...patch };
            savePreferences(next);
            return next;
          })
        }
      />
      <output data-testid="camera">{camera.state.status === 'ready' ? `ready${camera.state.fellBack ? ' (fell back)' : ''}` : camera.state.status === 'error' ? camera.state.problem : 'starting'}</output>
    </>
  );
}

const optionLabels = (name: string) => [...(screen.getByRole('combobox', { name }) as HTMLSelectElement).options].map((option) => option.text);

beforeEach(async () => {
  localStorage.clear();
  await setupTestI18n('en');
});
afterEach(cleanup);

describe('device pickers', () => {
  it('lists cameras and microphones, remembers the choice and captures the chosen camera', async () => {
    const media = installFakeMediaDevices([CAM_A, CAM_B, MIC_A]);
    render(<Pickers />);
    await waitFor(() => expect(optionLabels('Camera')).toEqual(['System default', 'Front camera', 'USB camera']));
    expect(optionLabels('Microphone')).toEqual(['System default', 'Built-in mic']);
    await waitFor(() => expect(screen.getByTestId('camera').textContent).toBe('ready'));

    fireEvent.change(screen.getByRole('combobox', { name: 'Camera' }), { target: { value: 'cam-b' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Resolution' }), { target: { value: '1080p' } });
    await waitFor(() => expect(screen.getByTestId('camera').textContent).toBe('ready'));
    const last = media.requests.at(-1)!.video as MediaTrackConstraints;
    expect(last.deviceId).toEqual({ exact: 'cam-b' });
    expect(last.width).toEqual({ ideal: 1920 });
    expect(JSON.parse(localStorage.getItem(PREFERENCES_KEY)!)).toMatchObject({ cameraId: 'cam-b', resolution: '1080p' });

    // A new window starts with what was chosen.
    cleanup();
    render(<Pickers />);
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Camera' }) as HTMLSelectElement).value).toBe('cam-b'));
    expect((screen.getByRole('combobox', { name: 'Resolution' }) as HTMLSelectElement).value).toBe('1080p');
  });

  it('follows hot-plug and falls back to the default when the remembered camera is gone', async () => {
    savePreferences({ cameraId: 'cam-b', micId: '', resolution: '720p', mirror: true });
    const media = installFakeMediaDevices([CAM_A, MIC_A]);
    media.failWhen((constraints) =>
      (constraints.video as MediaTrackConstraints | undefined)?.deviceId ? new DOMException('gone', 'OverconstrainedError') : null,
    );
    let hotPlugs = 0;
    render(<Pickers onHotPlug={() => hotPlugs++} />);
    await waitFor(() => expect(screen.getByTestId('camera').textContent).toBe('ready (fell back)'));
    // The picker says what is really in use.
    expect((screen.getByRole('combobox', { name: 'Camera' }) as HTMLSelectElement).value).toBe('');

    await act(async () => media.plug([CAM_A, CAM_B, MIC_A]));
    await waitFor(() => expect(optionLabels('Camera')).toEqual(['System default', 'Front camera', 'USB camera']));
    expect(hotPlugs).toBe(1);

    await act(async () => media.plug([]));
    await waitFor(() => expect(optionLabels('Camera')).toEqual(['None found']));
    expect(screen.getByRole('combobox', { name: 'Camera' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('combobox', { name: 'Microphone' })).toHaveProperty('disabled', true);
  });

  it('says a denied camera is denied', async () => {
    const media = installFakeMediaDevices([CAM_A]);
    media.failWhen(() => new DOMException('no', 'NotAllowedError'));
    render(<Pickers />);
    await waitFor(() => expect(screen.getByTestId('camera').textContent).toBe('denied'));
  });
});

describe('the microphone level', () => {
  it('maps RMS to a -60..0 dBFS scale', () => {
    expect(levelOf(new Float32Array(256))).toBe(0);
    expect(levelOf(new Float32Array(256).fill(1))).toBe(1);
    expect(levelOf(new Float32Array(256).fill(0.1))).toBeCloseTo(2 / 3, 2);
    expect(levelOf(new Float32Array(256).fill(0.0001))).toBe(0);
  });
});
