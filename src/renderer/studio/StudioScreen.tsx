import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityPanel } from '../activity/ActivityPanel';
import { useActivity } from '../activity/use-activity';
import { shortcutAria, shortcutLabel, useShortcuts } from '../app/shortcuts';
import { GoLivePanel } from '../broadcast/GoLivePanel';
import { useBroadcast } from '../broadcast/use-broadcast';
import { DestinationsPanel } from '../destinations/DestinationsPanel';
import { useDestinations } from '../destinations/use-destinations';
import { useSettings } from '../ipc/use-settings';
import { PlayerSlot } from '../player/PlayerSlot';
import { ProgramFeed } from '../program/ProgramFeed';
import { RecordingPanel } from '../recording/RecordingPanel';
import { useRecording } from '../recording/use-recording';
import { RoomPanel } from '../twilio-room/RoomPanel';
import { useTwilioRoom } from '../twilio-room/use-twilio-room';
import { DevicePickers, MicMeter } from './DevicePickers';
import { loadPreferences, savePreferences, type StudioPreferences } from './preferences';
import { type CaptureState, useCapture } from './use-capture';
import { useDevices } from './use-devices';
import { useMicLevel } from './use-mic-level';

type Capture = ReturnType<typeof useCapture>;
const lost = (state: CaptureState) =>
  (state.status === 'error' && state.problem === 'missing') || (state.status === 'ready' && state.track.readyState === 'ended');
const setEnabled = (track: MediaStreamTrack | null, enabled: boolean) => {
  if (track) track.enabled = enabled;
};

type Notice = { key: 'studio.devicesChanged' } | { key: 'studio.deviceGone'; kind: 'camera' | 'microphone' };

export function StudioScreen() {
  const { t } = useTranslation();
  const settings = useSettings();
  const mode = settings.view?.mode ?? null;
  const [preferences, setPreferences] = useState<StudioPreferences>(loadPreferences);
  const change = useCallback((patch: Partial<StudioPreferences>) => {
    setPreferences((current) => {
      const next = { ...current, ...patch };
      savePreferences(next);
      return next;
    });
  }, []);

  const [notice, setNotice] = useState<Notice | null>(null);
  const latest = useRef<{ camera: Capture | null; mic: Capture | null }>({ camera: null, mic: null });
  // Hot-plug: say so, and restart a capture whose device went away (it falls back to the default).
  const devices = useDevices((lists) => {
    setNotice({ key: 'studio.devicesChanged' });
    const { camera: cam, mic: microphone } = latest.current;
    if (cam && lost(cam.state) && lists.cameras.length > 0) cam.retry();
    if (microphone && lost(microphone.state) && lists.mics.length > 0) microphone.retry();
  });
  const camera = useCapture('video', preferences.cameraId, preferences.resolution);
  const mic = useCapture('audio', preferences.micId);
  useEffect(() => {
    latest.current = { camera, mic };
  });
  const cameraTrack = camera.state.status === 'ready' ? camera.state.track : null;
  const micTrack = mic.state.status === 'ready' ? mic.state.track : null;
  const level = useMicLevel(mic.state.status === 'ready' ? mic.state.stream : null);
  const [muted, setMuted] = useState(false);
  const broadcast = useBroadcast();
  const recording = useRecording();
  const recordingNow = recording.status?.state === 'recording';
  const destinations = useDestinations();
  const activity = useActivity();
  const room = useTwilioRoom(cameraTrack, micTrack);
  /** The media path's hook for the "first frame" step; the preview player sets it. */
  const [firstFrame, setFirstFrame] = useState<boolean | undefined>(undefined);
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (video) video.srcObject = camera.state.status === 'ready' ? camera.state.stream : null;
  }, [camera.state]);

  useEffect(() => setEnabled(micTrack, !muted), [micTrack, muted]);

  // Device labels are only listed after a grant.
  const { refresh } = devices;
  useEffect(() => {
    if (camera.state.status === 'ready' || mic.state.status === 'ready') refresh();
  }, [camera.state.status, mic.state.status, refresh]);

  const fellBack = camera.state.status === 'ready' && camera.state.fellBack ? 'camera' : mic.state.status === 'ready' && mic.state.fellBack ? 'microphone' : null;
  const [fallbackSeen, setFallbackSeen] = useState(false);
  const shownNotice: Notice | null = fellBack && !fallbackSeen ? { key: 'studio.deviceGone', kind: fellBack } : notice;
  const dismissNotice = () => {
    if (fellBack) setFallbackSeen(true);
    setNotice(null);
  };

  // Leaving Twilio mode leaves the room.
  const { leave } = room;
  useEffect(() => {
    if (mode !== 'twilio') leave();
  }, [mode, leave]);

  useShortcuts({ mute: micTrack ? () => setMuted((value) => !value) : null });

  const state = broadcast.status?.state;
  const live = state === 'live' || state === 'starting' || state === 'stopping';
  const switchToLocal = () => void settings.update({ mode: 'local' }).catch(() => {});

  return (
    <div className="studio">
      <section className="stage" aria-labelledby="studio-heading">
        <div className="stage-head">
          <h2 id="studio-heading">{t('studio.heading')}</h2>
          {camera.state.status === 'ready' && (
            <p className="status-line" data-testid="camera-status">
              <span className="dot ok" aria-hidden="true" /> {t('studio.ready')}
              {camera.state.label ? ` — ${camera.state.label}` : ''}
              {camera.state.width && camera.state.height ? ` · ${camera.state.width}×${camera.state.height}` : ''}
            </p>
          )}
          <ProgramFeed video={cameraTrack} audio={micTrack} state={state} recording={recordingNow} />
          <span className="spacer" />
          <label className="check" title={t('studio.mirrorHelp')}>
            <input type="checkbox" checked={preferences.mirror} onChange={(event) => change({ mirror: event.target.checked })} />
            {t('studio.mirror')}
          </label>
        </div>
        <div className="preview-frame">
          <video
            ref={videoRef}
            data-testid="camera-preview"
            className={preferences.mirror ? 'camera-preview mirrored' : 'camera-preview'}
            autoPlay
            muted
            playsInline
            aria-label={t('studio.heading')}
            hidden={camera.state.status !== 'ready'}
          />
          {camera.state.status === 'starting' && <p className="preview-note">{t('studio.starting')}</p>}
          {camera.state.status === 'error' && (
            <div className="preview-note" role="alert">
              <p data-testid="camera-error">{t(`studio.errors.${camera.state.problem}`, { name: camera.state.name })}</p>
              <button type="button" onClick={camera.retry}>
                {t('studio.retry')}
              </button>
            </div>
          )}
        </div>
        <div className="device-bar">
          <DevicePickers
            cameras={devices.cameras}
            mics={devices.mics}
            preferences={preferences}
            onChange={change}
            resolutionLocked={live || recordingNow}
          />
          <div className="mic-controls">
            <MicMeter level={micTrack ? level : 0} muted={muted} />
            <button
              type="button"
              className={muted ? 'mute on' : 'mute'}
              aria-pressed={muted}
              disabled={!micTrack}
              onClick={() => setMuted((value) => !value)}
              aria-keyshortcuts={shortcutAria('mute')}
              title={`${t('shortcuts.mute')} (${shortcutLabel('mute')})`}
            >
              {muted ? t('studio.unmute') : t('studio.mute')}
            </button>
          </div>
        </div>
        {mic.state.status === 'error' && (
          <div className="problem inline" role="alert" data-testid="mic-error">
            <p>{t(`studio.micErrors.${mic.state.problem}`, { name: mic.state.name })}</p>
            <button type="button" onClick={mic.retry}>
              {t('studio.retryMic')}
            </button>
          </div>
        )}
        {shownNotice && (
          <div className="notice-inline" role="status" data-testid="device-notice">
            <p>{shownNotice.key === 'studio.deviceGone' ? t(shownNotice.key, { kind: t(`studio.${shownNotice.kind}`) }) : t(shownNotice.key)}</p>
            <button type="button" className="link" onClick={dismissNotice}>
              {t('studio.dismiss')}
            </button>
          </div>
        )}
      </section>
      {/* The broadcast column: Controls (Go live and Record as peers), destinations at a glance, the preview player.
          The program feed's status sits in the stage head, next to the camera it encodes. */}
      <aside className="side" aria-label={t('broadcast.heading')}>
        <GoLivePanel
          broadcast={broadcast}
          mode={mode}
          canGoLive={camera.state.status === 'ready'}
          firstFrame={firstFrame}
          onSwitchToLocal={switchToLocal}
        >
          <RecordingPanel recording={recording} canRecord={camera.state.status === 'ready'} />
        </GoLivePanel>
        <DestinationsPanel destinations={destinations} />
        <PlayerSlot status={broadcast.status} onFirstFrame={setFirstFrame} />
      </aside>
      {/* Under the stage, as OBS's docks: the activity feed (and the video room in Twilio mode). */}
      <div className="dock">
        {mode === 'twilio' && (
          <RoomPanel state={room.state} canJoin={!!cameraTrack && !!micTrack} onJoin={() => void room.join()} onLeave={room.leave} />
        )}
        <ActivityPanel entries={activity} />
      </div>
    </div>
  );
}
