/** The program feed's IPC (open, chunk, close) and the preview ingest's status. */
import { z } from 'zod';

/** Largest program-feed chunk one IPC call carries; bigger recorder chunks are split (the feed is a byte stream). */
export const MEDIA_CHUNK_MAX_BYTES = 4 * 1024 * 1024;

/** Length of the preview's HLS segments (LHLS, the local cloud's packager); the preview leg's keyframes follow it. */
export const HLS_SEGMENT_SECONDS = 0.25;

/**
 * Which feed a `media.open` starts: `program` (the default) goes to destinations, the recording and,
 * without a preview leg, the preview; `preview` is the small short-GOP leg the WebCodecs encoder
 * makes for the in-app preview only, taken while a Local-mode broadcast is live.
 */
export const MEDIA_FEED_LEGS = ['program', 'preview'] as const;
export type MediaFeedLeg = (typeof MEDIA_FEED_LEGS)[number];

/** Binds a new feed (encoder output of this mime type) to what needs it. */
export const mediaOpenRequestSchema = z.strictObject({ mimeType: z.string().min(1).max(200), leg: z.enum(MEDIA_FEED_LEGS).optional() });
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
  /** When the page made this call (epoch ms on the latency clock, `src/shared/latency.ts`): main measures the hop. */
  sentAt: z.number().optional(),
});
/**
 * The acknowledgement of one chunk: accepted into main's queue, which now holds `queuedBytes`.
 * `keyframeWanted`: an output that joined mid-stream (a recording started while live) waits for a
 * fragment that starts with a keyframe; the encoder makes its next frame one.
 */
export const mediaChunkAckSchema = z.strictObject({
  seq: z.number().int(),
  queuedBytes: z.number().int(),
  maxQueueBytes: z.number().int(),
  keyframeWanted: z.boolean().optional(),
});
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
