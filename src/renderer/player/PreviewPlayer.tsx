import { useRef, useState } from 'react';
import { fill, useMediaTexts } from './texts';
import { usePreviewPlayer } from './use-preview-player';

export interface PreviewPlayerProps {
  /** The broadcast is live. */
  live: boolean;
  /** True at the first frame of the broadcast, false while waiting for it. */
  onFirstFrame?: (arrived: boolean) => void;
}

/** The studio's own broadcast, as viewers get it: the real Twilio Live player on the local HLS. */
export function PreviewPlayer({ live, onFirstFrame }: PreviewPlayerProps) {
  const text = useMediaTexts();
  const videoRef = useRef<HTMLVideoElement>(null);
  const player = usePreviewPlayer({ live, video: videoRef, onFirstFrame });
  const [muted, setMuted] = useState(true);
  const shown = live || player.state !== 'idle';

  return (
    <div className="preview-player" data-testid="preview-player" data-state={player.state} data-reconnects={player.reconnects} data-reconnect-reason={player.reconnectReason ?? ''}>
      <div className="preview-frame">
        <video ref={videoRef} data-testid="preview-video" className="camera-preview" playsInline muted={muted} hidden={!shown} />
        {!shown && <p className="preview-note">{text.offAir}</p>}
        {live && (player.state === 'connecting' || player.state === 'buffering') && <p className="preview-note">{text.waiting}</p>}
      </div>
      <p className="status-line" role="status" data-testid="preview-state">
        <span className={`dot ${player.state === 'playing' ? 'ok' : player.state === 'error' ? 'bad' : ''}`} aria-hidden="true" /> {text.state[player.state]}
        {player.state === 'playing' && player.behindSeconds >= 0.5 ? ` · ${fill(text.latency, { seconds: player.behindSeconds.toFixed(1) })}` : ''}
        <span className="spacer" />
        {shown && (
          <button
            type="button"
            className="link"
            aria-pressed={!muted}
            onClick={() => {
              const next = !muted;
              setMuted(next);
              if (videoRef.current) videoRef.current.muted = next;
            }}
          >
            {muted ? text.soundOn : text.soundOff}
          </button>
        )}
      </p>
      {player.error && player.state === 'error' && <p className="problem inline" role="alert">{player.error}</p>}
    </div>
  );
}
