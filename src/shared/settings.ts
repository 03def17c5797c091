import { z } from 'zod';
import { OUTPUT_FPS, OUTPUT_RESOLUTIONS, PROGRAM_ENCODERS, VIDEO_KBPS_MAX, VIDEO_KBPS_MIN } from './output';
import { RECORDING_FORMATS } from './recording';

/** Twilio resource SIDs: two-letter prefix + 32 hex digits. */
export const SID_PATTERNS = {
  accountSid: /^AC[0-9a-fA-F]{32}$/,
  apiKeySid: /^SK[0-9a-fA-F]{32}$/,
  syncServiceSid: /^IS[0-9a-fA-F]{32}$/,
} as const;

export const MODES = ['local', 'twilio'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_ROOM_NAME = 'myroom';
export const DEFAULT_IDENTITY = 'streamer';
export const ROOM_TYPES = ['group', 'group-small', 'peer-to-peer', 'go'] as const;
/** The seeds' MediaProcessor extension. */
export const DEFAULT_EXTENSION = 'video-composer-v1';
/** Four hours. Twilio's own default is 300 s, which would end a broadcast after five minutes. */
export const DEFAULT_MAX_DURATION_SECONDS = 4 * 60 * 60;

/** Letters (any script), digits, space and a few separators; no control or URL characters. */
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.@-]*$/u;

const sid = (field: keyof typeof SID_PATTERNS) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || SID_PATTERNS[field].test(value), { error: `validation.${field}` });

const safeName = (field: 'roomName' | 'identity') =>
  z
    .string()
    .trim()
    .min(1, { error: `validation.${field}` })
    .max(128, { error: `validation.${field}` })
    .regex(SAFE_NAME, { error: `validation.${field}` });

/** A name in a Twilio room: also what video tokens accept. */
export const identitySchema = safeName('identity');
/**
 * A room's UniqueName (Twilio allows up to 128 characters): the setting, the `tokens.video`
 * request and the CLI's `--room`/`--name` all follow this one rule.
 */
export const roomNameSchema = safeName('roomName');

/**
 * What the renderer may send to change settings. Every field is optional; an empty
 * SID clears it. `apiSecret` is write-only: it is never part of any reply.
 */
export const settingsPatchSchema = z.strictObject({
  mode: z.enum(MODES, { error: 'validation.mode' }).optional(),
  accountSid: sid('accountSid').optional(),
  apiKeySid: sid('apiKeySid').optional(),
  apiSecret: z
    .string()
    .min(8, { error: 'validation.apiSecret' })
    .max(256, { error: 'validation.apiSecret' })
    .refine((value) => !/\s/.test(value), { error: 'validation.apiSecret' })
    .optional(),
  syncServiceSid: sid('syncServiceSid').optional(),
  roomName: roomNameSchema.optional(),
  identity: identitySchema.optional(),
  roomType: z.enum(ROOM_TYPES, { error: 'validation.roomType' }).optional(),
  extension: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'validation.extension' })
    .optional(),
  /** ffmpeg for the local cloud; empty = find it (FFMPEG_PATH, the bundled copy, PATH). */
  ffmpegPath: z
    .string()
    .trim()
    .max(1024, { error: 'validation.ffmpegPath' })
    .refine((value) => value === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value), { error: 'validation.ffmpegPath' })
    .optional(),
  /** How long a broadcast may run before Twilio ends it: 5 minutes to 24 hours. */
  maxDurationSeconds: z
    .number({ error: 'validation.maxDurationSeconds' })
    .int({ error: 'validation.maxDurationSeconds' })
    .min(300, { error: 'validation.maxDurationSeconds' })
    .max(86_400, { error: 'validation.maxDurationSeconds' })
    .optional(),
  /** Where recordings go: an absolute folder that exists and is writable (checked by main); null or empty = the Videos folder. */
  recordingFolder: z
    .string()
    .trim()
    .max(4096, { error: 'validation.recordingFolder' })
    .refine((value) => value === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value), { error: 'validation.recordingFolder' })
    .nullable()
    .optional(),
  /** The recording's final file: a plain MP4 or Matroska. */
  recordingFormat: z.enum(RECORDING_FORMATS, { error: 'validation.recordingFormat' }).optional(),
  /** Output preset: the program feed's frame size (720p, 1080p, 480p). */
  outputResolution: z.enum(OUTPUT_RESOLUTIONS, { error: 'validation.outputResolution' }).optional(),
  /** Output preset: frames per second (30 or 60). */
  outputFps: z
    .union(OUTPUT_FPS.map((fps) => z.literal(fps)) as [z.ZodLiteral<30>, z.ZodLiteral<60>], { error: 'validation.outputFps' })
    .optional(),
  /** Video bitrate in kbps; null = the preset's own (4500 for 720p30). */
  outputVideoKbps: z
    .number({ error: 'validation.outputVideoKbps' })
    .int({ error: 'validation.outputVideoKbps' })
    .min(VIDEO_KBPS_MIN, { error: 'validation.outputVideoKbps' })
    .max(VIDEO_KBPS_MAX, { error: 'validation.outputVideoKbps' })
    .nullable()
    .optional(),
  /** WebCodecs (2 s keyframes, one fragment per frame) or MediaRecorder (compatibility). */
  programEncoder: z.enum(PROGRAM_ENCODERS, { error: 'validation.programEncoder' }).optional(),
});
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const vaultStatusSchema = z.object({
  /** Whether a secret can be stored encrypted on this machine. */
  available: z.boolean(),
  /** Which backend protects it (`keychain`, `dpapi`, `gnome_libsecret`, `session-key`, `basic_text`, ...). */
  backend: z.string(),
  /** True when a stored secret survives a restart of the studio. */
  persistent: z.boolean(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

/** The only form in which settings ever reach the renderer. */
export const settingsViewSchema = z.strictObject({
  mode: z.enum(MODES),
  accountSid: z.string(),
  /** Masked, e.g. `SK••••••••••••3f9a`; empty when none. */
  apiKeySidMasked: z.string(),
  hasApiSecret: z.boolean(),
  syncServiceSid: z.string(),
  roomName: z.string(),
  identity: z.string(),
  roomType: z.enum(ROOM_TYPES),
  extension: z.string(),
  maxDurationSeconds: z.number().int(),
  ffmpegPath: z.string(),
  /** The recording folder chosen in Settings; null = the Videos folder (`recordingDefaultFolder`). */
  recordingFolder: z.string().nullable(),
  recordingFormat: z.enum(RECORDING_FORMATS),
  /** The user's Videos folder, where recordings go when no folder is chosen. */
  recordingDefaultFolder: z.string(),
  outputResolution: z.enum(OUTPUT_RESOLUTIONS),
  outputFps: z.union([z.literal(30), z.literal(60)]),
  /** null = the preset's default bitrate (`defaultVideoKbps`). */
  outputVideoKbps: z.number().int().nullable(),
  programEncoder: z.enum(PROGRAM_ENCODERS),
  /** True when every credential the Twilio mode needs is present. */
  configured: z.boolean(),
  /** Credentials still missing for Twilio mode, as field names. */
  missing: z.array(z.enum(['accountSid', 'apiKeySid', 'apiSecret', 'syncServiceSid'])),
  vault: vaultStatusSchema,
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export function maskSid(sidValue: string): string {
  if (!sidValue) return '';
  return `${sidValue.slice(0, 2)}${'•'.repeat(12)}${sidValue.slice(-4)}`;
}
