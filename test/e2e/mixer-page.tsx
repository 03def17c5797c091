/**
 * The page test/e2e/mixer.test.ts builds with vite and opens in Chromium: the real useMixer and
 * MixerPanel on Chromium's fake microphone, and the real useScreenCapture/ScreenShareButton. Like
 * the browser harness, main has no screen picker here (`capture.sources` answers
 * `capture.unsupported`), so the browser's own getDisplayMedia is used.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultScenesDoc } from '../../src/shared/scenes';
import { ScreenShareButton } from '../../src/renderer/capture/ScreenShareButton';
import { useScreenCapture } from '../../src/renderer/capture/use-screen-capture';
import { setupI18n } from '../../src/renderer/i18n';
import { MixerPanel } from '../../src/renderer/mixer/MixerPanel';
import { useMixer } from '../../src/renderer/mixer/use-mixer';

declare global {
  interface Window {
    mixerPage: { program: MediaStreamTrack | null; screen: MediaStream | null; setMicPlugged: (plugged: boolean) => void };
  }
}

const unsupported = { ok: false, error: { code: 'capture.unsupported', message: 'no picker' } };
Object.defineProperty(window, 'onair', { value: { capture: { sources: async () => unsupported, choose: async () => unsupported } } });
window.mixerPage = { program: null, screen: null, setMicPlugged: () => {} };

function Page() {
  const [micTrack, setMicTrack] = useState<MediaStreamTrack | null>(null);
  const [plugged, setPlugged] = useState(true);
  const [settings, setSettings] = useState(defaultScenesDoc().mixer);
  const screen = useScreenCapture();
  useEffect(() => {
    void navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => setMicTrack(stream.getAudioTracks()[0] ?? null));
  }, []);
  const mixer = useMixer({ mic: plugged ? micTrack : null, screen: screen.audio, settings, onChange: setSettings });
  useEffect(() => {
    window.mixerPage = { program: mixer.track, screen: screen.stream, setMicPlugged: setPlugged };
  }, [mixer.track, screen.stream]);
  return (
    <main>
      <ScreenShareButton capture={screen} />
      <MixerPanel mixer={mixer} />
    </main>
  );
}

void setupI18n().then(() => createRoot(document.getElementById('root')!).render(<Page />));
