import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomState, Tile } from './room-state';

export interface RoomPanelProps {
  state: RoomState;
  canJoin: boolean;
  onJoin: () => void;
  onLeave: () => void;
}

/** Twilio mode: join/leave the video room and see who is in it. */
export function RoomPanel({ state, canJoin, onJoin, onLeave }: RoomPanelProps) {
  const { t } = useTranslation();
  return (
    <section className="card room" aria-labelledby="room-heading">
      <header className="card-head">
        <h2 id="room-heading">{t('room.heading')}</h2>
        <span className="spacer" />
        {state.phase === 'joined' ? (
          <button type="button" onClick={onLeave}>
            {t('room.leave')}
          </button>
        ) : (
          <button type="button" onClick={onJoin} disabled={!canJoin || state.phase === 'joining'}>
            {state.phase === 'joining' ? t('room.joining') : t('room.join')}
          </button>
        )}
      </header>
      {!canJoin && state.phase === 'idle' && <p className="hint">{t('room.needsMedia')}</p>}
      {state.failure && (
        <p className="problem" role="alert" data-testid="room-error">
          {t(`room.errors.${state.failure.problem}`, { detail: state.failure.detail })}
        </p>
      )}
      {state.phase === 'joined' && (
        <>
          <p className="hint">
            {t('room.joined', { room: state.room })} · {t('room.participants', { count: state.tiles.length })}
          </p>
          <ul className="participant-grid" data-testid="participant-grid">
            {state.tiles.map((tile) => (
              <ParticipantTile key={tile.sid} tile={tile} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function ParticipantTile({ tile }: { tile: Tile }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = tile.video ? new MediaStream([tile.video]) : null;
  }, [tile.video]);
  const name = tile.local ? t('room.you', { identity: tile.identity }) : tile.identity;
  return (
    <li className="tile" data-testid="participant-tile">
      {tile.video ? <video ref={ref} autoPlay muted playsInline aria-label={name} /> : <span className="no-video">{t('room.noVideo')}</span>}
      <span className="tile-name">{name}</span>
    </li>
  );
}
