import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { RESOLUTION_IDS, type ResolutionId, type StudioPreferences } from './preferences';
import { useMicLevel } from './use-mic-level';

export interface DevicePickersProps {
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  preferences: StudioPreferences;
  onChange: (patch: Partial<StudioPreferences>) => void;
  /** While live the encoder's resolution is fixed. */
  resolutionLocked: boolean;
}

/** Camera, microphone and resolution pickers. `''` is the system default device. */
export function DevicePickers({ cameras, mics, preferences, onChange, resolutionLocked }: DevicePickersProps) {
  const { t } = useTranslation();
  const cameraId = useId();
  const micId = useId();
  const resolutionId = useId();
  const options = (devices: MediaDeviceInfo[]) =>
    devices.map((device, index) => (
      <option key={device.deviceId} value={device.deviceId}>
        {device.label || t('studio.deviceFallback', { n: index + 1 })}
      </option>
    ));
  const chosen = (devices: MediaDeviceInfo[], id: string) => (devices.some((device) => device.deviceId === id) ? id : '');

  return (
    <div className="pickers">
      <div className="picker">
        <label htmlFor={cameraId}>{t('studio.camera')}</label>
        <select id={cameraId} value={chosen(cameras, preferences.cameraId)} disabled={cameras.length === 0} onChange={(event) => onChange({ cameraId: event.target.value })}>
          <option value="">{cameras.length === 0 ? t('studio.noDevices') : t('studio.defaultDevice')}</option>
          {options(cameras)}
        </select>
      </div>
      <div className="picker">
        <label htmlFor={micId}>{t('studio.microphone')}</label>
        <select id={micId} value={chosen(mics, preferences.micId)} disabled={mics.length === 0} onChange={(event) => onChange({ micId: event.target.value })}>
          <option value="">{mics.length === 0 ? t('studio.noDevices') : t('studio.defaultDevice')}</option>
          {options(mics)}
        </select>
      </div>
      <div className="picker narrow">
        <label htmlFor={resolutionId}>{t('studio.resolution')}</label>
        <select
          id={resolutionId}
          value={preferences.resolution}
          disabled={resolutionLocked}
          title={resolutionLocked ? t('studio.resolutionLocked') : undefined}
          onChange={(event) => onChange({ resolution: event.target.value as ResolutionId })}
        >
          {RESOLUTION_IDS.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/**
 * The microphone's meter with its own level reading: the level changes ~15 times a second, and only this
 * small component re-renders for it (read in the studio screen, it re-rendered the whole studio — every panel,
 * the activity list — at that rate, which took the page's thread from the compositor as the lists grew).
 */
export function LiveMicMeter({ stream, muted }: { stream: MediaStream | null; muted: boolean }) {
  const level = useMicLevel(stream);
  return <MicMeter level={level} muted={muted} />;
}

export function MicMeter({ level, muted }: { level: number; muted: boolean }) {
  const { t } = useTranslation();
  const percent = muted ? 0 : Math.round(level * 100);
  return (
    <div
      className={muted ? 'meter muted' : percent > 90 ? 'meter hot' : 'meter'}
      role="meter"
      aria-label={t('studio.micLevel')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={muted ? t('studio.muted') : `${percent}%`}
      data-testid="mic-meter"
    >
      <div className="meter-fill" style={{ transform: `scaleX(${muted ? 0 : level})` }} />
    </div>
  );
}
