import { useTranslation } from 'react-i18next';
import type { BroadcastStatus } from '../../shared/domain';

export interface PlayerSlotProps {
  /** The broadcast the player should play (`tokens.playback` while `live`). */
  status: BroadcastStatus | null;
  /**
   * The player calls this with `true` once the first frame of the broadcast
   * plays (and `false` while it waits): it completes the "first frame" step of
   * the go-live stepper.
   */
  onFirstFrame?: (arrived: boolean) => void;
}

/**
 * The preview player's place in the studio. The player itself (player state,
 * measured latency, mute/volume, `@twilio/live-player-sdk`) is built here by the
 * media-path work; until then this is a placeholder with the final props.
 */
export function PlayerSlot(_props: PlayerSlotProps) {
  const { t } = useTranslation();
  return (
    <section className="card player-slot" aria-labelledby="player-heading" data-testid="player-slot">
      <h2 id="player-heading">{t('player.heading')}</h2>
      <p className="hint">{t('player.placeholder')}</p>
    </section>
  );
}
