import { type BroadcastStatus, IDLE_BROADCAST } from '../../../shared/broadcast';

/**
 * Twilio mode, destinations only: Go live publishes to the destinations without a Twilio
 * broadcast (Twilio Live is retired). The studio is on air all the same, so the broadcast status
 * the renderer sees says `live` — with no room, PlayerStreamer or MediaProcessor (null sids),
 * which is how the renderer tells this kind of live from a Twilio one.
 */
export function onAirStatus(broadcast: BroadcastStatus, destinationsLiveSince: string | null): BroadcastStatus {
  if (destinationsLiveSince === null) return broadcast;
  if (broadcast.state !== 'idle' && broadcast.state !== 'failed') return broadcast;
  return { ...IDLE_BROADCAST, state: 'live', startedAt: destinationsLiveSince };
}
