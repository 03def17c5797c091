/**
 * Stable error codes that cross the IPC boundary. The renderer translates them
 * (locales: `errors.<code>`); the `message` is an English fallback for logs.
 * Never put a credential into `message` or `details`.
 */
export const ERROR_CODES = [
  'ipc.untrusted_sender',
  'ipc.unknown_channel',
  'ipc.invalid_payload',
  'ipc.transport',
  'settings.invalid',
  'vault.unavailable',
  'vault.unreadable',
  'identity.invalid',
  'room.invalid',
  'twilio.not_configured',
  'twilio.auth',
  'twilio.not_found',
  'twilio.rate_limited',
  'twilio.room_exists',
  'twilio.room_completed',
  'twilio.document_not_found',
  'twilio.revision_mismatch',
  'twilio.document_exists',
  'twilio.streamer_quota',
  'twilio.processor_quota',
  'twilio.live_retired',
  'twilio.bad_request',
  'twilio.server_error',
  'twilio.network',
  'twilio.timeout',
  'local_cloud.unavailable',
  'broadcast.start_failed',
  'broadcast.not_live',
  'media.ffmpeg_missing',
  'media.backpressure',
  'media.not_live',
  'media.ingest_failed',
  'ffmpeg.not_found',
  'ffmpeg.not_executable',
  'ffmpeg.not_ffmpeg',
  'ffmpeg.timeout',
  'recording.disk_full',
  'recording.folder_missing',
  'recording.folder_not_writable',
  'recording.ffmpeg_missing',
  'recording.behind',
  'recording.remux_failed',
  'recording.failed',
  'destination.invalid',
  'destination.not_found',
  'destination.limit',
  'destination.none_enabled',
  'destination.preset_unknown',
  'destination.name_empty',
  'destination.name_too_long',
  'destination.name_invalid',
  'destination.url_empty',
  'destination.url_invalid',
  'destination.url_scheme',
  'destination.url_host_missing',
  'destination.url_credentials',
  'destination.rtmps_required',
  'destination.key_empty',
  'destination.key_whitespace',
  'destination.key_too_long',
  'destination.key_invalid',
  'destination.key_rejected',
  'destination.unreachable',
  'destination.tls_untrusted',
  'destination.tls_failed',
  'destination.timeout',
  'destination.connection_lost',
  'destination.stalled',
  'destination.behind',
  'destination.input_invalid',
  'destination.spawn_failed',
  'destination.ffmpeg_failed',
  'destination.retries_exhausted',
  'destination.key_missing',
  'destination.ffmpeg_missing',
  'destination.ffmpeg_refused',
  'destination.key_unreadable',
  'scenes.invalid',
  'scenes.image_too_large',
  'scenes.too_large',
  'capture.unsupported',
  'capture.screen_denied',
  'capture.source_unknown',
  'capture.failed',
  'guests.not_sharing',
  'guests.invite_not_found',
  'guests.guest_not_found',
  'guests.guest_gone',
  'guests.not_twilio',
  'guests.no_page_url',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `accountSid`. */
  path: string;
  /** i18n key of a message a person understands, e.g. `validation.accountSid`. */
  messageKey: string;
}

export interface IpcError {
  code: ErrorCode;
  message: string;
  details?: {
    issues?: FieldIssue[];
    reason?: string;
    /** Twilio's own error code and HTTP status, when Twilio (or the local cloud) answered. */
    twilioCode?: number;
    status?: number;
    /** The broadcast step that failed (`room`, `streamer`, `processor`, `record`). */
    step?: string;
  };
}

/** An error the core raises on purpose; its code and message may be shown to the user. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly details?: IpcError['details'];

  constructor(code: ErrorCode, message: string, details?: IpcError['details']) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
  }

  toIpc(): IpcError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns whatever came back over a bridge into an `IpcError` with a known code. */
export function normaliseIpcError(raw: unknown): IpcError {
  if (raw && typeof raw === 'object') {
    const candidate = raw as Partial<IpcError>;
    if (isErrorCode(candidate.code)) {
      return {
        code: candidate.code,
        message: typeof candidate.message === 'string' ? candidate.message : candidate.code,
        ...(candidate.details ? { details: candidate.details } : {}),
      };
    }
    if (typeof candidate.message === 'string') return { code: 'ipc.transport', message: candidate.message };
  }
  return { code: 'ipc.transport', message: String(raw) };
}
