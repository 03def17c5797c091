import { useEffect, useState } from 'react';
import type { GuestsSnapshot } from '../../shared/guests';
import type { Mixer } from '../mixer/use-mixer';
import { type GuestMedia, isHere } from './use-guest-media';

export interface GuestAudio {
  gains: Readonly<Record<string, number>>;
  setGain: (guestId: string, gainDb: number) => void;
}

/**
 * Each guest's audio as a mixer channel (their gain; the host's mute), and the return feed sent
 * back to each guest: the program video and the program audio without their own voice.
 */
export function useGuestReturn(snapshot: GuestsSnapshot | null, media: GuestMedia, programVideo: MediaStreamTrack | null, mixer: Mixer): GuestAudio {
  const [gains, setGains] = useState<Record<string, number>>({});
  const { guests: mixerGuests } = mixer;
  const { peers, streams } = media;
  useEffect(() => {
    for (const guest of snapshot?.guests ?? []) {
      const track = isHere(guest) ? (streams[guest.id]?.getAudioTracks()[0] ?? null) : null;
      mixerGuests.set(guest.id, track, { gainDb: gains[guest.id] ?? 0, muted: guest.muted });
      if (isHere(guest)) void peers.setReturn(guest.id, { video: programVideo, audio: mixerGuests.returnTrack(guest.id) }).catch(() => {});
    }
  }, [snapshot, streams, gains, mixerGuests, peers, programVideo]);

  return { gains, setGain: (guestId, gainDb) => setGains((current) => ({ ...current, [guestId]: gainDb })) };
}
