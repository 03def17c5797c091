/** The broadcast's state machine as the contract carries it, and the orphan cleanup's report. */
import { z } from 'zod';
import { ERROR_CODES } from './errors';

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
