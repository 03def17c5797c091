import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityPanel } from '../activity/ActivityPanel';
import { useActivity } from '../activity/use-activity';
import { shortcutAria, shortcutLabel, useShortcuts } from '../app/shortcuts';
import { GoLivePanel } from '../broadcast/GoLivePanel';
import { ScreenShareButton } from '../capture/ScreenShareButton';
import { useScreenCapture } from '../capture/use-screen-capture';
import { ScenePreview, useCompositor } from '../compositor';
import { useBroadcast } from '../broadcast/use-broadcast';
import { LiveDestinationsPanel } from '../destinations/DestinationsPanel';
import { useSettings } from '../ipc/use-settings';
import { PlayerSlot } from '../player/PlayerSlot';
import { MixerPanel } from '../mixer/MixerPanel';
import { useMixer } from '../mixer/use-mixer';
import { ProgramFeed } from '../program/ProgramFeed';
import { LiveRecordingPanel } from '../recording/RecordingPanel';
import { LayoutEditor } from '../scenes/LayoutEditor';
import { chooseByNumber, editedScene, programScene, sceneById, take } from '../scenes/scene-model';
import { ScenesPanel } from '../scenes/ScenesPanel';
import { SourcesPanel } from '../scenes/SourcesPanel';
import { useScenes } from '../scenes/use-scenes';
import { defaultScenesDoc, type MixerSettings, type ScenesDoc } from '../../shared/scenes';
import { OUTPUT_SIZES } from '../../shared/output';
import { RoomPanel } from '../twilio-room/RoomPanel';
import { useTwilioRoom } from '../twilio-room/use-twilio-room';
import { DevicePickers, LiveMicMeter } from './DevicePickers';
import { loadPreferences, savePreferences, type StudioPreferences } from './preferences';
import { type CaptureState, useCapture } from './use-capture';
import { useDevices } from './use-devices';
import { GuestsPanel } from '../guests/GuestsPanel';
import { useGuestMedia } from '../guests/use-guest-media';
import { useGuestReturn } from '../guests/use-guest-return';
import { useGuests } from '../guests/use-guests';
import { useGuestsScene } from '../guests/use-guests-scene';

type Capture = ReturnType<typeof useCapture>;
const lost = (state: CaptureState) =>
  (state.status === 'error' && state.problem === 'missing') || (state.status === 'ready' && state.track.readyState === 'ended');
const setEnabled = (track: MediaStreamTrack | null, enabled: boolean) => {
  if (track) track.enabled = enabled;
};

type Notice = { key: 'studio.devicesChanged' } | { key: 'studio.deviceGone'; kind: 'camera' | 'microphone' };

/** Until the scenes are loaded (or when they cannot be): the camera alone, as before scenes. */
const CAMERA_ONLY: ScenesDoc = defaultScenesDoc();
/** Studio mode's preview pane is drawn small: it is only looked at. */
const PREVIEW_SIZE = { width: 640, height: 360 };
/** The dock's tabbed card beside the scene list. */
const DOCK_TABS = ['activity', 'sources', 'mixer', 'guests'] as const;
type DockTab = (typeof DOCK_TABS)[number];
const DOCK_TAB_TITLES: Record<DockTab, string> = { activity: 'activity.heading', sources: 'sources.heading', mixer: 'mixer.heading', guests: 'guests.title' };

export function StudioScreen() {
  const { t } = useTranslation();
  const settings = useSettings();
  const mode = settings.view?.mode ?? null;
  const [preferences, setPreferences] = useState<StudioPreferences>(loadPreferences);
  const changePreferences = useCallback((patch: Partial<StudioPreferences>) => {
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
  const [muted, setMuted] = useState(false);
  const broadcast = useBroadcast();
  // Whether a recording runs (the panel owns the recording's status, which main reports every second).
  const [recordingNow, setRecordingNow] = useState(false);
  const activity = useActivity();
  // Guests on stage are sources too, by stage slot (Local mode over the network, Twilio mode from the room).
  const guests = useGuests();
  const guestMedia = useGuestMedia(guests.snapshot);
  /** The media path's hook for the "first frame" step; the preview player sets it. */
  const [firstFrame, setFirstFrame] = useState<boolean | undefined>(undefined);
  const videoRef = useRef<HTMLVideoElement>(null);

  // The program: scenes drawn by the compositor from the camera (and the shared screen); the audio
  // mixed from the microphone. The Twilio room gets the program video and the raw microphone.
  const scenes = useScenes();
  const doc = scenes.doc ?? CAMERA_ONLY;
  const { change } = scenes;
  const cameraStream = camera.state.status === 'ready' ? camera.state.stream : null;
  const screen = useScreenCapture();
  const guestStage = guestMedia.stage;
  const sources = useMemo(() => ({ camera: cameraStream, screen: screen.stream, ...guestStage }), [cameraStream, screen.stream, guestStage]);
  const size = OUTPUT_SIZES[settings.view?.outputResolution ?? '720p'];
  const compositor = useCompositor({ program: programScene(doc), transition: doc.transition, sources, width: size.width, height: size.height, fps: settings.view?.outputFps ?? 30 });
  const onMixer = useCallback((mixer: MixerSettings) => change((current) => ({ ...current, mixer })), [change]);
  const mixer = useMixer({ mic: micTrack, screen: screen.audio, settings: doc.mixer, onChange: onMixer });
  // Until the compositor and the mixer have their tracks (or where the browser cannot compose), the camera and microphone as they are.
  const programVideo = compositor.track ?? cameraTrack;
  // Twilio mode: the room's guests see the program (their return feed) and hear the host's
  // microphone and each other, never themselves (the room sends nobody their own tracks).
  const room = useTwilioRoom(programVideo, micTrack, guestMedia.attachRoom);
  const guestAudio = useGuestReturn(guests.snapshot, guestMedia, programVideo, mixer);
  const guestsScene = useGuestsScene(guests, change);
  const programAudio = mixer.track ?? micTrack;
  const programStream = compositor.stream ?? cameraStream;
  const studio = doc.previewSceneId !== null;
  const previewScene = sceneById(doc, doc.previewSceneId);
  const edited = editedScene(doc);
  const [selectedItem, setSelectedItem] = useState<string | null>(null);
  const [dockTab, setDockTab] = useState<DockTab>('activity');
  // Picking a source on the picture opens its settings.
  const selectItem = useCallback((id: string | null) => {
    setSelectedItem(id);
    if (id) setDockTab('sources');
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (video) video.srcObject = programStream;
  }, [programStream]);

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

  useShortcuts({
    mute: micTrack ? () => setMuted((value) => !value) : null,
    // 1–9: the program (in studio mode: the preview); T: Take in studio mode.
    scene: scenes.doc ? (n: number) => change((current) => chooseByNumber(current, n)) : null,
    take: scenes.doc && studio ? () => change(take) : null,
  });

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
          <ProgramFeed video={programVideo} audio={programAudio} state={state} recording={recordingNow} />
          <span className="spacer" />
        </div>
        <div className={studio ? 'stage-panes studio-mode' : 'stage-panes'}>
          {studio && previewScene && (
            <div className="preview-frame scene-pane" data-testid="preview-pane">
              <span className="pane-label">{t('scenes.preview')}</span>
              <ScenePreview scene={previewScene} sources={sources} width={PREVIEW_SIZE.width} height={PREVIEW_SIZE.height} label={`${t('scenes.preview')}: ${previewScene.name}`} />
              <LayoutEditor scene={previewScene} change={change} selectedId={selectedItem} onSelect={selectItem} />
            </div>
          )}
          <div className="preview-frame program-frame">
            {studio && <span className="pane-label on-air">{t('scenes.program')}</span>}
            {/* The program as viewers get it (the compositor's output); never mirrored. */}
            <video ref={videoRef} data-testid="camera-preview" className="camera-preview" autoPlay muted playsInline aria-label={t('scenes.program')} hidden={!programStream} />
            {!studio && scenes.doc && <LayoutEditor scene={edited} change={change} selectedId={selectedItem} onSelect={selectItem} />}
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
        </div>
        <div className="device-bar">
          <DevicePickers
            cameras={devices.cameras}
            mics={devices.mics}
            preferences={preferences}
            onChange={changePreferences}
            resolutionLocked={live || recordingNow}
          />
          <ScreenShareButton capture={screen} />
          <div className="mic-controls">
            <LiveMicMeter stream={micTrack && mic.state.status === 'ready' ? mic.state.stream : null} muted={muted} />
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
          canGoLive={!!programVideo}
          firstFrame={firstFrame}
          onSwitchToLocal={switchToLocal}
        >
          <LiveRecordingPanel canRecord={!!programVideo} onActive={setRecordingNow} />
        </GoLivePanel>
        <LiveDestinationsPanel />
        <PlayerSlot status={broadcast.status} onFirstFrame={setFirstFrame} />
      </aside>
      {/* Under the stage, as OBS's docks: the activity feed (and the video room in Twilio mode). */}
      <div className="dock">
        {scenes.doc ? (
          <ScenesPanel doc={doc} change={change} />
        ) : (
          <section className="card scenes-panel" data-testid="scenes-panel" aria-live="polite">
            <p className={scenes.loadError ? 'problem inline' : 'hint'} role={scenes.loadError ? 'alert' : undefined}>
              {scenes.loadError ? t('scenes.loadFailed') : t('scenes.loading')}
            </p>
            {scenes.loadError && (
              <button type="button" onClick={scenes.retry}>
                {t('scenes.retry')}
              </button>
            )}
          </section>
        )}
        {scenes.saveError && (
          <div className="problem inline scenes-save-error" role="alert" data-testid="scenes-save-error">
            <p>{t(`errors.${scenes.saveError}`)}</p>
            <button type="button" className="link" onClick={scenes.dismissError}>
              {t('studio.dismiss')}
            </button>
          </div>
        )}
        {mode === 'twilio' && (
          <RoomPanel state={room.state} canJoin={!!cameraTrack && !!micTrack} onJoin={() => void room.join()} onLeave={room.leave} />
        )}
        <div className="dock-tabs">
          <div role="tablist" aria-label={t('scenes.docks')} className="dock-tablist">
            {DOCK_TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`dock-tab-${name}`}
                aria-selected={dockTab === name}
                aria-controls={`dock-panel-${name}`}
                className={dockTab === name ? 'tab active' : 'tab'}
                onClick={() => setDockTab(name)}
              >
                {t(DOCK_TAB_TITLES[name])}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`dock-panel-${dockTab}`} aria-labelledby={`dock-tab-${dockTab}`} className="dock-tabpanel">
            {dockTab === 'activity' && <ActivityPanel entries={activity} />}
            {dockTab === 'sources' && <SourcesPanel scene={edited} change={change} selectedId={selectedItem} onSelect={setSelectedItem} />}
            {dockTab === 'mixer' && <MixerPanel mixer={mixer} />}
            {dockTab === 'guests' && <GuestsPanel guests={guests} media={guestMedia} audio={guestAudio} meters={mixer.guests.meters} scene={guestsScene} mode={mode} />}
          </div>
        </div>
      </div>
    </div>
  );
}
