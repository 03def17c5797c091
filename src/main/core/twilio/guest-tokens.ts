import { StudioError } from '../../../shared/errors';
import type { SettingsService } from '../settings/settings-service';
import type { Connections } from './connection';
import { type MintedToken, videoToken } from './tokens';

export interface GuestRoomToken extends MintedToken {
  /** The streamer's room (the setting), which the grant names. */
  room: string;
  /** The studio's own identity in that room: the guest page listens to its data track. */
  host: string;
}

/**
 * Twilio mode: an AccessToken with a VideoGrant for the streamer's room, for one guest identity,
 * living `ttlSeconds`. Signed here in main with the stored API key and secret, which never leave
 * it; nothing is sent anywhere (Twilio checks the token when the guest connects).
 */
export async function mintGuestRoomToken(
  deps: { settings: Pick<SettingsService, 'read'>; connections: Pick<Connections, 'current'> },
  identity: string,
  ttlSeconds: number,
): Promise<GuestRoomToken> {
  const { mode, roomName, identity: host } = deps.settings.read();
  if (mode !== 'twilio') {
    throw new StudioError('guests.not_twilio', 'Invites for the Twilio room need Twilio mode; in Local mode invite over your network.');
  }
  const connection = await deps.connections.current();
  return { ...videoToken(connection.target, identity, roomName, ttlSeconds), room: roomName, host };
}
