import { useTranslation } from 'react-i18next';
import type { BroadcastStatus } from '../../shared/broadcast';
import { PreviewPlayer } from './PreviewPlayer';

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

/** The preview player's place in the studio: plays the live broadcast through `@twilio/live-player-sdk`. */
export function PlayerSlot({ status, onFirstFrame }: PlayerSlotProps) {
  const { t } = useTranslation();
  return (
    <section className="card player-slot" aria-labelledby="player-heading" data-testid="player-slot">
      <h2 id="player-heading">{t('player.heading')}</h2>
      <PreviewPlayer live={status?.state === 'live'} onFirstFrame={onFirstFrame} />
    </section>
  );
}
