import twilio from 'twilio';
import type { VideoToken } from '../../../shared/twilio';
import { StudioError } from '../../../shared/errors';
import { identitySchema } from '../../../shared/settings';
import type { TwilioTarget } from './client';
import type { Connections } from './connection';
import { checkRoomName, ensureRoom, type RoomType } from './rooms';

const { AccessToken } = twilio.jwt;

/** The same rule as the identity setting: letters of any script, digits, space and `_ . @ -`, at most 128. */
export function checkIdentity(identity: string): string {
  const parsed = identitySchema.safeParse(identity);
  if (!parsed.success) {
    throw new StudioError('identity.invalid', 'The name in the room must be 1 to 128 letters, digits, spaces, "_", ".", "@" or "-".', {
      issues: [{ path: 'identity', messageKey: 'validation.identity' }],
    });
  }
  return parsed.data;
}

export interface MintedToken {
  token: string;
  expiresAt: string;
}

function mint(target: TwilioTarget, identity: string, ttlSeconds: number, grant: InstanceType<typeof AccessToken.VideoGrant> | InstanceType<typeof AccessToken.PlaybackGrant>, now: number): MintedToken {
  const token = new AccessToken(target.accountSid, target.apiKeySid, target.apiSecret, { identity, ttl: ttlSeconds });
  token.addGrant(grant);
  // AccessToken stamps `iat` from the wall clock; the expiry is reported from the same clock.
  return { token: token.toJwt(), expiresAt: new Date(now + ttlSeconds * 1000).toISOString() };
}

/** An AccessToken with a VideoGrant for one room and one identity. */
export function videoToken(target: TwilioTarget, identity: string, roomName: string, ttlSeconds = 3600): MintedToken {
  return mint(target, checkIdentity(identity), ttlSeconds, new AccessToken.VideoGrant({ room: roomName }), Date.now());
}

/**
 * `tokens.video` and `onair token video`: both names are checked before anything else
 * (the connection, the room), so a rejected request changes nothing; then the room,
 * then the token.
 */
export async function issueVideoToken(
  connections: Pick<Connections, 'current'>,
  request: { identity: string; room: string; roomType?: RoomType },
): Promise<VideoToken> {
  const identity = checkIdentity(request.identity);
  const roomName = checkRoomName(request.room);
  const connection = await connections.current();
  const room = await ensureRoom(connection.twilio, roomName, request.roomType);
  return { ...videoToken(connection.target, identity, room.uniqueName), identity, room: room.uniqueName, roomSid: room.sid };
}

/** An AccessToken wrapping a PlaybackGrant obtained from Media v1, for the Twilio Live player. */
export function playbackToken(target: TwilioTarget, grant: object, identity: string, ttlSeconds: number): MintedToken {
  return mint(target, checkIdentity(identity), ttlSeconds, new AccessToken.PlaybackGrant({ grant }), Date.now());
}
