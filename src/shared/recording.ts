import { z } from 'zod';
import { ERROR_CODES } from './errors';

/**
 * Recording: the program feed written to a file on this computer, independent of any broadcast.
 * While recording the studio writes a crash-safe fragmented MP4 (`<name>.recording.mp4`); a clean
 * stop remuxes it into the final file in the chosen format.
 */
export const RECORDING_FORMATS = ['mp4', 'mkv'] as const;
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];

export const RECORDING_STATES = ['idle', 'recording', 'finalizing', 'done', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

/** Why a recording failed or was refused. */
export const RECORDING_FAILURE_REASONS = [
  'disk_full',
  'folder_missing',
  'folder_not_writable',
  'ffmpeg_missing',
  /** ffmpeg was there but the check refused it (`ffmpeg.*` codes). */
  'ffmpeg_refused',
  /** Writing fell more than the bound behind the feed. */
  'behind',
  /** ffmpeg could not read the program feed. */
  'input_invalid',
  /** ffmpeg stopped on its own (crash, killed, error). */
  'ffmpeg_failed',
  'spawn_failed',
  /** The clean stop's remux to the final file failed; the crash-safe file is kept. */
  'remux_failed',
] as const;
export type RecordingFailureReason = (typeof RECORDING_FAILURE_REASONS)[number];

/** Longest folder path accepted (Windows long paths go to 32 767; no real folder comes near this). */
const MAX_FOLDER_LENGTH = 4096;

export const recordingSettingsSchema = z.strictObject({
  /** An absolute folder; null = the user's Videos folder. */
  folder: z
    .string()
    .trim()
    .min(1)
    .max(MAX_FOLDER_LENGTH)
    .refine((value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'), { error: 'not an absolute folder path' })
    .nullable(),
  /** The final file's container (the crash-safe file is always fragmented MP4). */
  format: z.enum(RECORDING_FORMATS),
});
export type RecordingSettings = z.infer<typeof recordingSettingsSchema>;

export const DEFAULT_RECORDING_SETTINGS: RecordingSettings = Object.freeze({ folder: null, format: 'mp4' });

export const recordingErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  reason: z.enum(RECORDING_FAILURE_REASONS),
  /** English fallback; the renderer shows `errors.<code>`. */
  message: z.string(),
  /** Where what was recorded so far is (the crash-safe file), when anything was. */
  keptPath: z.string().nullable(),
});
export type RecordingError = z.infer<typeof recordingErrorSchema>;

/**
 * A recording a run of the studio was writing when it ended unexpectedly (killed, crashed, power
 * cut), found and finished when the studio started again: `saved` — remuxed into `path`, the
 * crash-safe file removed; `kept` — it could not be finished, `path` is the crash-safe file.
 */
export const recoveredRecordingSchema = z.strictObject({
  path: z.string(),
  outcome: z.enum(['saved', 'kept']),
  /** The saved file's duration, when ffmpeg said it. */
  durationSec: z.number().nonnegative().nullable(),
});
export type RecoveredRecording = z.infer<typeof recoveredRecordingSchema>;

export const recordingStatusSchema = z.strictObject({
  state: z.enum(RECORDING_STATES),
  format: z.enum(RECORDING_FORMATS),
  /** The folder of the current (or last) recording. */
  folder: z.string().nullable(),
  /** The final file: where it will be (recording, finalizing) or is (done). */
  path: z.string().nullable(),
  /** The crash-safe file written while recording. */
  recordingPath: z.string().nullable(),
  /** ISO time the recording started (Record was accepted). */
  startedAt: z.string().nullable(),
  /**
   * ISO time the file's first frame arrived; null until then. The encoder's start-up lies between
   * `startedAt` and this, and the file's time begins here.
   */
  firstFrameAt: z.string().nullable(),
  /**
   * ISO time the file's first frame went into the encoder (its fragment's `prft`): the moment the
   * file's 0:00 shows, one trip through the encoder and to main before `firstFrameAt`. Null until
   * then, and for a feed that does not say (MediaRecorder's WebM).
   */
  fileStartsAt: z.string().nullable(),
  /** Wall-clock time recorded, from the first frame (frozen once stopped): what the file holds. */
  elapsedMs: z.number().int().nonnegative(),
  /** Bytes in the crash-safe file. */
  bytesWritten: z.number().int().nonnegative(),
  /** Feed bytes waiting for ffmpeg. */
  queuedBytes: z.number().int().nonnegative(),
  error: recordingErrorSchema.nullable(),
  /** Recordings interrupted by an unexpected end of an earlier run, found and finished at this start. */
  recovered: z.array(recoveredRecordingSchema),
});
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

export const IDLE_RECORDING: RecordingStatus = Object.freeze({
  state: 'idle',
  format: 'mp4',
  folder: null,
  path: null,
  recordingPath: null,
  startedAt: null,
  firstFrameAt: null,
  fileStartsAt: null,
  elapsedMs: 0,
  bytesWritten: 0,
  queuedBytes: 0,
  error: null,
  recovered: [],
});
