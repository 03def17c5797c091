import { z } from 'zod';
import { GUEST_STATES, guestNameSchema, inviteViewSchema, INVITE_MINUTES_MIN } from './guests';

/**
 * Twilio mode, the guest's side: an invite is a Twilio AccessToken (a VideoGrant for the
 * streamer's room) that main mints, carried in the link's fragment to the guest page hosted at
 * the streamer's own URL. Also the identity a guest gets (their name + the invite's id) and the
 * state messages the studio sends the room's guests on its data track.
 */

/**
 * The name of the video track the studio publishes in its room: the program (what goes on air, the
 * compositor's output), which the guest page plays as its return feed. One name for both sides.
 */
export const ROOM_PROGRAM_TRACK = 'program';

/** Twilio refuses an AccessToken that lives longer than 24 hours. */
export const ROOM_INVITE_MINUTES_MAX = 24 * 60;

export const roomInviteRequestSchema = z.strictObject({
  /** Who the invite is for; null = anyone with the link (they appear as “Guest”). */
  name: guestNameSchema.nullable(),
  /** How long the link can be used to join: the token's TTL (Twilio allows at most 24 hours). */
  validMinutes: z
    .number()
    .int()
    .min(INVITE_MINUTES_MIN, { error: 'validation.roomInviteMinutes' })
    .max(ROOM_INVITE_MINUTES_MAX, { error: 'validation.roomInviteMinutes' }),
});
export type RoomInviteRequest = z.infer<typeof roomInviteRequestSchema>;

export const roomInviteCreatedSchema = z.strictObject({
  invite: inviteViewSchema,
  /** `<guest page URL>#room=<token>&host=<studio identity>`: the token is in the fragment, never sent to the page's host. */
  link: z.string(),
  /** The guest's identity in the room: `<name>@<invite id>`. */
  identity: z.string(),
  room: z.string(),
  expiresAt: z.string(),
});
export type RoomInviteCreated = z.infer<typeof roomInviteCreatedSchema>;

/** `Aiko` + invite `q2Xy…` → `Aiko@q2Xy…`: a valid Twilio identity (letters, digits, space, `_ . @ -`), unique per invite. */
export function roomGuestIdentity(name: string | null, inviteId: string): string {
  const safe = (name ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} _.-]/gu, '')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .trim()
    .slice(0, 40);
  return `${safe || 'Guest'}@${inviteId}`;
}

/** The invite id a guest's identity carries, or null (a participant that came from no invite). */
export function inviteIdOfIdentity(identity: string): string | null {
  const match = /@([A-Za-z0-9_-]{6,40})$/.exec(identity);
  return match ? match[1]! : null;
}

/** The name to show for a room participant: the identity without its invite suffix. */
export function nameOfIdentity(identity: string): string {
  const name = identity.replace(/@[A-Za-z0-9_-]{6,40}$/, '').replace(/[^\p{L}\p{N}\p{M} _.'-]/gu, '').trim().slice(0, 40);
  return name || 'Guest';
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface RoomInviteLink {
  token: string;
  /** The studio's identity in the room: whose data track speaks for the studio. */
  host: string;
}

/** `#room=<jwt>&host=<identity>` → the token and the host, or null. */
export function roomInviteFromFragment(hash: string): RoomInviteLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('room');
  const host = params.get('host');
  if (!token || !host || token.length > 4096 || !JWT.test(token) || host.length > 128) return null;
  return { token, host };
}

export function roomInviteFragment(link: RoomInviteLink): string {
  return `#${new URLSearchParams({ room: link.token, host: link.host }).toString()}`;
}

export interface RoomTokenClaims {
  identity: string;
  room: string | null;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** What a guest page can read from its token without verifying it (the room does that): who, where, until when. */
export function readRoomToken(token: string): RoomTokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0)));
    const claims = JSON.parse(json) as { exp?: unknown; grants?: { identity?: unknown; video?: { room?: unknown } } };
    if (typeof claims.exp !== 'number' || typeof claims.grants?.identity !== 'string') return null;
    const room = claims.grants.video?.room;
    return { identity: claims.grants.identity, room: typeof room === 'string' ? room : null, expiresAt: claims.exp };
  } catch {
    return null;
  }
}

/** The studio → its room's guests, on the studio's data track: where each guest stands (by identity). */
export const roomStatesMessageSchema = z.strictObject({
  type: z.literal('guest-states'),
  guests: z
    .array(z.strictObject({ identity: z.string().max(128), state: z.enum(GUEST_STATES), muted: z.boolean() }))
    .max(64),
});
export type RoomStatesMessage = z.infer<typeof roomStatesMessageSchema>;
/** A data-track message larger than this is ignored. */
export const ROOM_STATES_MAX_BYTES = 16 * 1024;
