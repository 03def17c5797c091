import { useCallback, useEffect, useMemo, useState } from 'react';
import { unwrap } from '../ipc/client';
import type { RoomLike } from '../twilio-room/room-state';
import { wireRoomGuests } from './room-guests';
import type { TellRoom } from '../twilio-room/use-twilio-room';
import { type RoomLink, useRoomGuestStates } from './room-guest-states';
import type { GuestsSnapshot, GuestView } from '../../shared/guests';
import type { LiveSources } from '../compositor/compositor';
import { GuestPeers } from './guest-peers';
import type { LinkQuality } from './link-quality';

export interface GuestMedia {
  peers: GuestPeers;
  /** Each guest's camera and microphone as received (kept after a drop on stage: the last frame holds). */
  streams: Readonly<Record<string, MediaStream>>;
  quality: Readonly<Record<string, LinkQuality>>;
  /** The guests on stage as compositor sources, by stage slot. */
  stage: Pick<LiveSources, 'guest0' | 'guest1' | 'guest2' | 'guest3'>;
  /** Twilio mode: the studio joined its room; the other participants become guests (told where they stand through `tell`). */
  attachRoom: (room: RoomLike, tell?: TellRoom) => void;
}

export const isHere = (guest: GuestView) => guest.state === 'backstage' || guest.state === 'on_stage';
/** A guest who came through the network guest server: the studio's renderer holds their peer connection. */
const overNetwork = (guest: GuestView) => guest.via === 'network';

/**
 * The guests' media in the studio: one peer connection per guest who is here (opened on arrival,
 * closed on remove or drop), what each guest sends, link quality once a second, and the guests on
 * stage as compositor sources. The return feed is wired by `useGuestReturn`.
 */
export function useGuestMedia(snapshot: GuestsSnapshot | null): GuestMedia {
  const [streams, setStreams] = useState<Record<string, MediaStream>>({});
  const [quality, setQuality] = useState<Record<string, LinkQuality>>({});
  const [peers] = useState(
    () =>
      new GuestPeers({
        send: (guestId, signal) => void window.onair.guests.signal({ guestId, signal }).catch(() => {}),
        onStream: (guestId, stream) => setStreams((current) => ({ ...current, [guestId]: new MediaStream(stream.getTracks()) })),
      }),
  );

  useEffect(() => window.onair.on('guests.signal', ({ guestId, signal }) => void peers.signal(guestId, signal).catch(() => {})), [peers]);
  useEffect(() => () => peers.closeAll(), [peers]);

  const guests = useMemo(() => snapshot?.guests ?? [], [snapshot]);
  const url = snapshot?.server.url ?? null;
  useEffect(() => peers.shareOn(url ? new URL(url).hostname.replace(/^\[|\]$/g, '') : null), [peers, url]);
  useEffect(() => {
    for (const guest of guests) {
      if (!overNetwork(guest)) continue;
      if (isHere(guest) && !peers.has(guest.id)) void peers.open(guest.id, { video: null, audio: null }).catch(() => {});
      else if (!isHere(guest) && peers.has(guest.id)) peers.close(guest.id);
    }
  }, [guests, peers]);

  useEffect(() => {
    // A measure that changed nothing (always, with no guest here) keeps the same object: a new one each
    // second would re-render the whole studio around it.
    const keepIfSame = (next: Record<string, LinkQuality>) => setQuality((current) => (sameQuality(current, next) ? current : next));
    const timer = setInterval(() => void peers.measure().then(keepIfSame).catch(() => {}), 1000);
    return () => clearInterval(timer);
  }, [peers]);

  // A removed guest leaves nothing behind; a dropped one on stage keeps its last frame.
  const kept = useMemo(
    () => Object.fromEntries(Object.entries(streams).filter(([id]) => guests.some((guest) => guest.id === id && (isHere(guest) || guest.stageSlot !== null)))),
    [streams, guests],
  );

  const stage = useMemo(() => {
    const slots: GuestMedia['stage'] = {};
    for (const guest of guests) {
      if (guest.stageSlot === null || guest.stageSlot > 3) continue;
      slots[`guest${guest.stageSlot}` as keyof GuestMedia['stage']] = kept[guest.id] ?? null;
    }
    return slots;
  }, [guests, kept]);

  const [roomLink, setRoomLink] = useState<RoomLink | null>(null);
  useRoomGuestStates(guests, roomLink);

  const attachRoom = useCallback((room: RoomLike, tell?: TellRoom) => {
    const identities = wireRoomGuests(room, {
        report: (request) => unwrap(() => window.onair.guests.room(request)),
        onStream: (guestId, stream) =>
          setStreams((current) => {
            if (stream) return { ...current, [guestId]: stream };
            const rest = { ...current };
            delete rest[guestId];
            return rest;
          }),
    });
    if (tell) setRoomLink({ identities, tell });
  }, []);

  return { peers, streams: kept, quality, stage, attachRoom };
}

/** The same guests with the same figures. */
function sameQuality(a: Record<string, LinkQuality>, b: Record<string, LinkQuality>): boolean {
  const ids = Object.keys(a);
  if (ids.length !== Object.keys(b).length) return false;
  return ids.every((id) => {
    const x = a[id];
    const y = b[id];
    return !!x && !!y && x.grade === y.grade && x.kbps === y.kbps && x.lossPercent === y.lossPercent && x.rttMs === y.rttMs;
  });
}
