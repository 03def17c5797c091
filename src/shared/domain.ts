import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { roomNameSchema } from './settings';

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
  .strictObject({ identity: z.string().optional(), room: roomNameSchema.optional() })
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

/** Nothing live, nothing known. */
export const IDLE_BROADCAST: BroadcastStatus = Object.freeze({
  state: 'idle',
  step: null,
  roomSid: null,
  playerStreamerSid: null,
  mediaProcessorSid: null,
  startedAt: null,
  remote: Object.freeze({ playerStreamer: null, mediaProcessor: null }),
  error: null,
});

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

/** Largest program-feed chunk one IPC call carries; bigger recorder chunks are split (the feed is a byte stream). */
export const MEDIA_CHUNK_MAX_BYTES = 4 * 1024 * 1024;

/** Binds a new program feed (MediaRecorder output of this mime type) to the live broadcast. */
export const mediaOpenRequestSchema = z.strictObject({ mimeType: z.string().min(1).max(200) });
export const mediaIngestSchema = z.strictObject({
  ingestId: z.string(),
  /** Bound of main's queue: a chunk that would exceed it is refused with `media.backpressure`. */
  maxQueueBytes: z.number().int(),
  /** True when the video is re-encoded (not H.264 in MP4): costs CPU. */
  transcoding: z.boolean(),
});
export type MediaIngest = z.infer<typeof mediaIngestSchema>;

export const mediaChunkRequestSchema = z.strictObject({
  ingestId: z.string().min(1).max(64),
  /** 0, 1, 2, … per ingest: main refuses a gap. */
  seq: z.number().int().min(0),
  data: z.instanceof(Uint8Array).refine((data) => data.byteLength > 0 && data.byteLength <= MEDIA_CHUNK_MAX_BYTES, {
    message: `a chunk carries 1 to ${MEDIA_CHUNK_MAX_BYTES} bytes`,
  }),
});
/** The acknowledgement of one chunk: accepted into main's queue, which now holds `queuedBytes`. */
export const mediaChunkAckSchema = z.strictObject({ seq: z.number().int(), queuedBytes: z.number().int(), maxQueueBytes: z.number().int() });
export type MediaChunkAck = z.infer<typeof mediaChunkAckSchema>;
export const mediaCloseRequestSchema = z.strictObject({ ingestId: z.string().min(1).max(64) });

export const MEDIA_STATES = ['idle', 'waiting', 'live', 'ended', 'failed'] as const;
export const mediaStatusSchema = z.strictObject({
  /** `waiting` until the first HLS segment exists, `live` after it, `ended` with the playlist's end. */
  state: z.enum(MEDIA_STATES),
  mediaProcessorSid: z.string().nullable(),
  ingestId: z.string().nullable(),
  segments: z.number().int(),
  queuedBytes: z.number().int(),
  maxQueueBytes: z.number().int(),
  transcoding: z.boolean(),
  /** ffmpeg's own words when packaging failed. */
  error: z.string().nullable(),
});
export type MediaStatus = z.infer<typeof mediaStatusSchema>;
