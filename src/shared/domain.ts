import { z } from 'zod';
import { ERROR_CODES } from './errors';

/** One REST call to Twilio (or the local cloud), as the activity panel shows it. Never a credential. */
export const activityEntrySchema = z.strictObject({
  id: z.number().int(),
  at: z.string(),
  method: z.string(),
  domain: z.string(),
  path: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  twilioCode: z.number().int().optional(),
  /** `retry 1/3` etc. when the call was a retry. */
  attempt: z.number().int().optional(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const roomInfoSchema = z.strictObject({
  sid: z.string(),
  uniqueName: z.string(),
  status: z.string(),
  type: z.string(),
  created: z.boolean(),
});
export type RoomInfo = z.infer<typeof roomInfoSchema>;

export const videoTokenRequestSchema = z
  .strictObject({ identity: z.string().optional(), room: z.string().optional() })
  .optional();
export const videoTokenSchema = z.strictObject({
  token: z.string(),
  identity: z.string(),
  room: z.string(),
  roomSid: z.string(),
  expiresAt: z.string(),
});
export type VideoToken = z.infer<typeof videoTokenSchema>;

export const playbackTokenSchema = z.strictObject({ token: z.string(), expiresAt: z.string() });
export type PlaybackToken = z.infer<typeof playbackTokenSchema>;

export const BROADCAST_STATES = ['idle', 'starting', 'live', 'stopping', 'failed', 'orphaned'] as const;
export type BroadcastState = (typeof BROADCAST_STATES)[number];
export const BROADCAST_STEPS = ['room', 'streamer', 'processor', 'record', 'first-frame'] as const;
export type BroadcastStep = (typeof BROADCAST_STEPS)[number];

export const broadcastStatusSchema = z.strictObject({
  state: z.enum(BROADCAST_STATES),
  /** While starting: the step in progress. */
  step: z.enum(BROADCAST_STEPS).nullable(),
  roomSid: z.string().nullable(),
  playerStreamerSid: z.string().nullable(),
  mediaProcessorSid: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** Remote statuses as last seen (`created`, `started`, `ended`), or null when unknown. */
  remote: z.strictObject({ playerStreamer: z.string().nullable(), mediaProcessor: z.string().nullable() }),
  error: z
    .strictObject({ code: z.enum(ERROR_CODES), message: z.string(), step: z.string().optional() })
    .nullable(),
});
export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>;

export const cleanupReportSchema = z.strictObject({
  ended: z.array(z.strictObject({ kind: z.enum(['MediaProcessor', 'PlayerStreamer']), sid: z.string() })),
  deletedRecord: z.boolean(),
});
export type CleanupReport = z.infer<typeof cleanupReportSchema>;

/** Credentials to try before saving them; omitted fields come from the stored settings. */
export const connectionTestRequestSchema = z
  .strictObject({
    mode: z.enum(['local', 'twilio']).optional(),
    accountSid: z.string().optional(),
    apiKeySid: z.string().optional(),
    apiSecret: z.string().optional(),
  })
  .optional();
export const connectionTestSchema = z.strictObject({ mode: z.enum(['local', 'twilio']), accountSid: z.string(), ms: z.number() });
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
