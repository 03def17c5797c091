import { useCallback, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import type { GuestAction, GuestsConfigPatch, GuestsSnapshot, InviteCreated, InviteCreateRequest } from '../../shared/guests';
import type { RoomInviteCreated, RoomInviteRequest } from '../../shared/guest-room';
import { asIpcError, unwrap } from '../ipc/client';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';

export interface GuestsControl {
  snapshot: GuestsSnapshot | null;
  /** The last call that failed, by code (shown in ja/en). */
  error: ErrorCode | null;
  configure: (patch: GuestsConfigPatch) => Promise<void>;
  invite: (request: InviteCreateRequest) => Promise<InviteCreated | null>;
  /** Twilio mode: an invite whose link carries a room token minted in main. */
  roomInvite: (request: RoomInviteRequest) => Promise<RoomInviteCreated | null>;
  revoke: (id: string) => Promise<void>;
  act: (guestId: string, action: GuestAction) => Promise<boolean>;
}

/** The guests' settings, invites and guests over IPC, kept fresh by `guests.changed`. */
export function useGuests(): GuestsControl {
  const [snapshot, setSnapshot] = useState<GuestsSnapshot | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);

  useSubscribeThenFetch('guests.changed', () => window.onair.guests.list(), {
    onEvent: setSnapshot,
    onAnswer: (value, eventSeen) => setSnapshot((current) => (eventSeen && current ? current : value)),
    onError: (failure) => setError(failure.code),
  });

  const call = useCallback(async <T>(run: () => Promise<T>): Promise<T | null> => {
    setError(null);
    try {
      return await run();
    } catch (failure) {
      setError(asIpcError(failure).code);
      return null;
    }
  }, []);

  const configure = useCallback(
    async (patch: GuestsConfigPatch) => {
      const next = await call(() => unwrap(() => window.onair.guests.configure(patch)));
      if (next) setSnapshot(next);
    },
    [call],
  );
  const invite = useCallback((request: InviteCreateRequest) => call(() => unwrap(() => window.onair.guests.invite(request))), [call]);
  const roomInvite = useCallback((request: RoomInviteRequest) => call(() => unwrap(() => window.onair.guests.roomInvite(request))), [call]);
  const revoke = useCallback(
    async (id: string) => {
      await call(() => unwrap(() => window.onair.guests.revoke({ id })));
    },
    [call],
  );
  const act = useCallback(async (guestId: string, action: GuestAction) => (await call(() => unwrap(() => window.onair.guests.act({ guestId, action })))) !== null, [call]);

  return { snapshot, error, configure, invite, roomInvite, revoke, act };
}
