import { z } from 'zod';

/**
 * Guests on air: invites, the guests themselves, the network guest server's settings and state,
 * and the WebRTC signalling the renderer (which owns each RTCPeerConnection) exchanges with a
 * guest's page through main. Also the wire messages between the guest page and the guest server
 * (`guestWire…`), so the page and main check the same shapes.
 */

export const GUEST_STATES = ['backstage', 'on_stage', 'removed', 'dropped'] as const;
export type GuestState = (typeof GUEST_STATES)[number];

export const INVITE_STATES = ['active', 'expired', 'used_up', 'revoked'] as const;
export type InviteState = (typeof INVITE_STATES)[number];

export const GUEST_ACTIONS = ['stage', 'backstage', 'mute', 'unmute', 'remove'] as const;
export type GuestAction = (typeof GUEST_ACTIONS)[number];

/** Why the guest server turned a join away (the guest page shows each one plainly). */
export const JOIN_REFUSALS = ['unknown', 'revoked', 'expired', 'used_up', 'full', 'busy', 'invalid'] as const;
export type JoinRefusal = (typeof JOIN_REFUSALS)[number];

export const DEFAULT_MAX_GUESTS = 4;
export const MAX_GUESTS_LIMIT = 8;
/** "Share the player on my network": how many viewers may watch at once (each costs its share of the relay). */
export const DEFAULT_MAX_VIEWERS = 10;
export const MAX_VIEWERS_LIMIT = 50;
export const INVITE_MINUTES_MIN = 5;
export const INVITE_MINUTES_MAX = 7 * 24 * 60;
export const INVITE_USES_MAX = 20;
/** How many invites are kept (active or not); the oldest finished ones are forgotten first. */
export const INVITES_KEPT = 50;
export const GUEST_NAME_MAX = 40;
/** One signalling message from a guest page, as bytes on the wire (an SDP offer/answer fits easily). */
export const GUEST_WIRE_MAX_BYTES = 64 * 1024;
export const SDP_MAX = 48 * 1024;
export const CANDIDATE_MAX = 1024;
export const DEFAULT_GUEST_PORT = 8443;

/** A display name: letters (any script), digits, spaces and a few separators; nothing that could be markup or a URL. */
export const guestNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'validation.guestName' })
  .max(GUEST_NAME_MAX, { error: 'validation.guestName' })
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\p{M} _.'-]*$/u, { error: 'validation.guestName' });

const id = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/);

/** An IPv4 or IPv6 literal (the guest server binds one address, never a host name). */
const listenAddressSchema = z
  .string()
  .trim()
  .max(64)
  .refine((value) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(value) ? value.split('.').every((part) => Number(part) <= 255) : /^[0-9a-fA-F:]{2,45}$/.test(value) && value.includes(':'), {
    error: 'validation.listenAddress',
  });

/** The guest page's URL for internet guests: empty (not set) or an https address (http only for this computer). */
export const guestPageUrlSchema = z
  .string()
  .trim()
  .max(2048, { error: 'validation.guestPageUrl' })
  .refine((value) => value === '' || isGuestPageUrl(value), { error: 'validation.guestPageUrl' });

function isGuestPageUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    return (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && url.hash === '' && url.search === '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export const guestsConfigSchema = z.strictObject({
  /** "Share on my network": off by default; nothing listens until the user turns it on. */
  shareOnNetwork: z.boolean(),
  /** "Share the player on my network" (Local mode): the viewer page, its token and the HLS on the same server; off by default. */
  sharePlayer: z.boolean(),
  /** The address the guest server listens on (the LAN address the user picks; tests use 127.0.0.1). */
  listenAddress: listenAddressSchema,
  /** 0 = any free port (tests). */
  port: z.number().int().min(0).max(65535, { error: 'validation.port' }),
  maxGuests: z.number().int().min(1, { error: 'validation.maxGuests' }).max(MAX_GUESTS_LIMIT, { error: 'validation.maxGuests' }),
  /** Viewers at most on the viewer page at once; one more is told the stream is full (those watching keep watching). */
  maxViewers: z.number().int().min(1, { error: 'validation.maxViewers' }).max(MAX_VIEWERS_LIMIT, { error: 'validation.maxViewers' }),
  /** Twilio mode: where the streamer hosts the static guest page (README “Hosting the guest page”); empty = not set. */
  guestPageUrl: guestPageUrlSchema,
});
export type GuestsConfig = z.infer<typeof guestsConfigSchema>;
export const guestsConfigPatchSchema = guestsConfigSchema.partial();
export type GuestsConfigPatch = z.infer<typeof guestsConfigPatchSchema>;

export function defaultGuestsConfig(): GuestsConfig {
  return { shareOnNetwork: false, sharePlayer: false, listenAddress: '127.0.0.1', port: DEFAULT_GUEST_PORT, maxGuests: DEFAULT_MAX_GUESTS, maxViewers: DEFAULT_MAX_VIEWERS, guestPageUrl: '' };
}

export const inviteCreateRequestSchema = z.strictObject({
  /** Who the invite is for; null = anyone with the link. */
  name: guestNameSchema.nullable(),
  validMinutes: z.number().int().min(INVITE_MINUTES_MIN, { error: 'validation.inviteMinutes' }).max(INVITE_MINUTES_MAX, { error: 'validation.inviteMinutes' }),
  maxUses: z.number().int().min(1, { error: 'validation.inviteUses' }).max(INVITE_USES_MAX, { error: 'validation.inviteUses' }),
});
export type InviteCreateRequest = z.infer<typeof inviteCreateRequestSchema>;

/** An invite as the renderer sees it: never its secret, which exists only in the link shown once. */
export const inviteViewSchema = z.strictObject({
  id,
  name: z.string().nullable(),
  createdAt: z.number(),
  expiresAt: z.number(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  state: z.enum(INVITE_STATES),
});
export type InviteView = z.infer<typeof inviteViewSchema>;

export const inviteCreatedSchema = z.strictObject({
  invite: inviteViewSchema,
  /** `https://<address>:<port>/#invite=<id>.<secret>`: the secret is in the fragment, which browsers never send to a server. */
  link: z.string(),
  /** SHA-256 of the studio's certificate, as the browser shows it (AA:BB:…). */
  fingerprint: z.string(),
});
export type InviteCreated = z.infer<typeof inviteCreatedSchema>;

/** How a guest reached the studio: the network guest server (Local mode) or the Twilio Video room (Twilio mode). */
export const GUEST_VIAS = ['network', 'room'] as const;
export type GuestVia = (typeof GUEST_VIAS)[number];

export const guestViewSchema = z.strictObject({
  id,
  name: z.string(),
  via: z.enum(GUEST_VIAS),
  inviteId: id,
  state: z.enum(GUEST_STATES),
  muted: z.boolean(),
  joinedAt: z.number(),
  /** Order on stage (0 = first); null when not on stage. */
  stageSlot: z.number().int().nullable(),
});
export type GuestView = z.infer<typeof guestViewSchema>;

export const GUEST_SERVER_STATES = ['off', 'starting', 'on', 'failed'] as const;
export const guestServerViewSchema = z.strictObject({
  state: z.enum(GUEST_SERVER_STATES),
  /** `https://<address>:<port>/` while on. */
  url: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** Why it failed to listen (e.g. `EADDRNOTAVAIL`), never a secret. */
  error: z.string().nullable(),
});
export type GuestServerView = z.infer<typeof guestServerViewSchema>;

export const guestsSnapshotSchema = z.strictObject({
  config: guestsConfigSchema,
  server: guestServerViewSchema,
  invites: z.array(inviteViewSchema),
  guests: z.array(guestViewSchema),
});
export type GuestsSnapshot = z.infer<typeof guestsSnapshotSchema>;

/** Twilio mode: a participant of the studio's room (not the studio itself) connected or left; main keeps them in the same backstage. */
export const roomParticipantRequestSchema = z.strictObject({
  event: z.enum(['connected', 'disconnected']),
  participantSid: z.string().regex(/^PA[0-9a-fA-F]{32}$/),
  identity: z.string().min(1).max(128),
});
export type RoomParticipantRequest = z.infer<typeof roomParticipantRequestSchema>;

export const inviteIdRequestSchema = z.strictObject({ id });
export const guestActionRequestSchema = z.strictObject({ guestId: id, action: z.enum(GUEST_ACTIONS) });

/** WebRTC signalling, the same shape in both directions (renderer ↔ main ↔ guest page). */
export const signalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('offer'), sdp: z.string().min(1).max(SDP_MAX) }),
  z.strictObject({ kind: z.literal('answer'), sdp: z.string().min(1).max(SDP_MAX) }),
  z.strictObject({
    kind: z.literal('ice'),
    candidate: z.string().max(CANDIDATE_MAX),
    sdpMid: z.string().max(32).nullable(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
  }),
]);
export type Signal = z.infer<typeof signalSchema>;

export const guestSignalSchema = z.strictObject({ guestId: id, signal: signalSchema });
export type GuestSignal = z.infer<typeof guestSignalSchema>;

/** Guest page → guest server. `seq` rises by one with each message (a replayed or reordered one closes the connection). */
export const guestWireInSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    seq: z.literal(1),
    /** `<inviteId>.<secret>` from the link's fragment. */
    invite: z.string().max(128),
    name: guestNameSchema,
  }),
  z.strictObject({ type: z.literal('signal'), seq: z.number().int().min(2).max(1_000_000), signal: signalSchema }),
  z.strictObject({ type: z.literal('leave'), seq: z.number().int().min(2).max(1_000_000) }),
]);
export type GuestWireIn = z.infer<typeof guestWireInSchema>;

/** Guest server → guest page. */
export type GuestWireOut =
  | { type: 'welcome'; guestId: string; state: GuestState; muted: boolean }
  | { type: 'refused'; reason: JoinRefusal }
  | { type: 'state'; state: GuestState; muted: boolean }
  | { type: 'signal'; signal: Signal };

// The viewer page's paths and token protocol live in a zod-free module the viewer page imports.
export { VIEWER_HLS_PREFIX, VIEWER_ID_PARAM, VIEWER_ID_PATTERN, VIEWER_PATH, VIEWER_REFUSALS, VIEWER_TOKEN_PATH, type ViewerRefusal } from './viewers';

/** The path of the guest server's one WebSocket. */
export const GUEST_SIGNAL_PATH = '/signal';

/** `#invite=<id>.<secret>` → the token, or null. */
export function inviteTokenFromFragment(hash: string): string | null {
  const match = /^#?invite=([A-Za-z0-9_-]{6,40}\.[A-Za-z0-9_-]{16,64})$/.exec(hash);
  return match ? match[1]! : null;
}
