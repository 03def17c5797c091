import { z } from 'zod';

/**
 * Destinations: RTMP/RTMPS servers the program feed is published to while live (YouTube,
 * Twitch, …, or any server). The stream key is write-only: a request may carry it, no reply or
 * event ever does — the renderer sees `keyConfigured` and a masked `keyHint` (`••••abcd`).
 */
export const DESTINATION_PRESET_IDS = ['youtube', 'twitch', 'facebook', 'kick', 'amazon_ivs', 'custom'] as const;
export type DestinationPresetIdWire = (typeof DESTINATION_PRESET_IDS)[number];

/**
 * What the renderer needs of each preset (main's `presets.ts` builds its presets from this, so
 * the two cannot disagree): the platform's name, its server (null where the user enters one),
 * the schemes it takes (preferred first) and where the streamer finds the key.
 */
export const DESTINATION_PRESET_DEFAULTS: Readonly<
  Record<DestinationPresetIdWire, { label: string; serverUrl: string | null; schemes: readonly ('rtmps' | 'rtmp')[]; keyHelpUrl: string | null }>
> = Object.freeze({
  youtube: { label: 'YouTube', serverUrl: 'rtmps://a.rtmps.youtube.com:443/live2', schemes: ['rtmps', 'rtmp'], keyHelpUrl: 'https://studio.youtube.com/' },
  twitch: {
    label: 'Twitch',
    serverUrl: 'rtmps://ingest.global-contribute.live-video.net/app',
    schemes: ['rtmps', 'rtmp'],
    keyHelpUrl: 'https://dashboard.twitch.tv/settings/stream',
  },
  facebook: { label: 'Facebook Live', serverUrl: 'rtmps://rtmp-api.facebook.com:443/rtmp/', schemes: ['rtmps'], keyHelpUrl: 'https://www.facebook.com/live/producer' },
  kick: {
    label: 'Kick',
    serverUrl: 'rtmps://fa723fc1b171.global-contribute.live-video.net:443/app',
    schemes: ['rtmps'],
    keyHelpUrl: 'https://kick.com/dashboard/settings/stream',
  },
  amazon_ivs: { label: 'Amazon IVS', serverUrl: null, schemes: ['rtmps', 'rtmp'], keyHelpUrl: 'https://console.aws.amazon.com/ivs/' },
  custom: { label: 'Custom (RTMP / RTMPS)', serverUrl: null, schemes: ['rtmps', 'rtmp'], keyHelpUrl: null },
});

/** How many destinations one studio keeps. */
export const MAX_DESTINATIONS = 16;

export const DESTINATION_STATES = ['off', 'connecting', 'live', 'reconnecting', 'failed'] as const;
export type DestinationStateName = (typeof DESTINATION_STATES)[number];

/**
 * Why a destination failed (or, while reconnecting, why it dropped). Each has ja/en text at
 * `errors.destination.<reason>` saying what it means and what to do.
 */
export const DESTINATION_FAILURE_REASONS = [
  /** The server closed the connection right after publish: a wrong or expired key. Not retried. */
  'key_rejected',
  /**
   * The server accepted the publish and closed the connection within seconds, on two attempts in a
   * row: a key refused late, or a stream not set up on the platform. Not retried (Reconnect now tries once).
   */
  'rejected_after_publish',
  'unreachable',
  'tls_untrusted',
  'tls_failed',
  'timeout',
  'connection_lost',
  'stalled',
  'behind',
  'input_invalid',
  'spawn_failed',
  'ffmpeg_failed',
  'retries_exhausted',
  /** No stream key stored for this destination. */
  'key_missing',
  /** No ffmpeg found. */
  'ffmpeg_missing',
  /** An ffmpeg was found but the `-version` check refused it. */
  'ffmpeg_refused',
  /** The stored key could not be decrypted (other machine, lost keyring). */
  'key_unreadable',
] as const;
export type DestinationFailureReason = (typeof DESTINATION_FAILURE_REASONS)[number];

const id = z.string().min(1).max(64);
const name = z.string().max(200);
/** Write-only. Validated in main (`validateDestination`) so issues come back with stable codes. */
const streamKey = z.string().max(2048);
const serverUrl = z.string().max(2048);

export const destinationViewSchema = z.strictObject({
  id,
  name: z.string(),
  presetId: z.enum(DESTINATION_PRESET_IDS),
  /** The server the stream goes to (the key is appended by main, never shown). */
  serverUrl: z.string(),
  enabled: z.boolean(),
  keyConfigured: z.boolean(),
  /** `••••` + the key's last 4 characters (only `••••` for keys shorter than 16); null without a key. */
  keyHint: z.string().nullable(),
});
export type DestinationView = z.infer<typeof destinationViewSchema>;

export const destinationHealthSchema = z.strictObject({
  bitrateKbps: z.number().nonnegative(),
  fps: z.number().nonnegative(),
  droppedFrames: z.number().int().nonnegative(),
  /** Time live on the current connection. */
  uptimeMs: z.number().int().nonnegative(),
  /** Times the destination went from a dropped stream back to live. */
  reconnects: z.number().int().nonnegative(),
});
export type DestinationHealth = z.infer<typeof destinationHealthSchema>;

export const destinationRuntimeSchema = z.strictObject({
  state: z.enum(DESTINATION_STATES),
  /** Connection attempt (connecting, reconnecting); null otherwise. */
  attempt: z.number().int().positive().nullable(),
  /** Reconnecting: time until the next try, as of `at`. */
  nextTryInMs: z.number().int().nonnegative().nullable(),
  /** Failed: why; reconnecting: why the stream dropped. */
  reason: z.enum(DESTINATION_FAILURE_REASONS).nullable(),
  /** When this state was reported (epoch ms). */
  at: z.number().int(),
  health: destinationHealthSchema,
});
export type DestinationRuntime = z.infer<typeof destinationRuntimeSchema>;

export const IDLE_DESTINATION_HEALTH: DestinationHealth = Object.freeze({ bitrateKbps: 0, fps: 0, droppedFrames: 0, uptimeMs: 0, reconnects: 0 });

/** Every destination and, per id, what its output is doing. Reply of `destinations.list`, payload of `destinations.changed`. */
export const destinationsSnapshotSchema = z.strictObject({
  /**
   * True from Go live to Stop: enabled destinations are being published to (in Local and in
   * Twilio mode). While true the program feed is wanted (`media.open` is accepted).
   */
  live: z.boolean(),
  destinations: z.array(destinationViewSchema),
  runtime: z.record(z.string(), destinationRuntimeSchema),
});
export type DestinationsSnapshot = z.infer<typeof destinationsSnapshotSchema>;

export const destinationAddRequestSchema = z.strictObject({
  name,
  presetId: z.enum(DESTINATION_PRESET_IDS),
  /** Empty or omitted: the preset's server. */
  serverUrl: serverUrl.nullable().optional(),
  /** Write-only; may be added later with `destinations.update`. */
  streamKey: streamKey.optional(),
  /** Default true. */
  enabled: z.boolean().optional(),
});
export type DestinationAddRequest = z.infer<typeof destinationAddRequestSchema>;

export const destinationUpdateRequestSchema = z.strictObject({
  id,
  name: name.optional(),
  presetId: z.enum(DESTINATION_PRESET_IDS).optional(),
  /** Empty: the preset's server. */
  serverUrl: serverUrl.nullable().optional(),
  /** Write-only: replaces the stored key. Omitted: the key is kept. */
  streamKey: streamKey.optional(),
  enabled: z.boolean().optional(),
});
export type DestinationUpdateRequest = z.infer<typeof destinationUpdateRequestSchema>;

export const destinationIdRequestSchema = z.strictObject({ id });
export type DestinationIdRequest = z.infer<typeof destinationIdRequestSchema>;
