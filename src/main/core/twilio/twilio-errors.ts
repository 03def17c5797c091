import { type ErrorCode, StudioError } from '../../../shared/errors';

/** Twilio error codes the studio explains in its own words. */
const BY_TWILIO_CODE: Record<number, ErrorCode> = {
  20003: 'twilio.auth',
  20404: 'twilio.not_found',
  20429: 'twilio.rate_limited',
  53113: 'twilio.room_exists',
  53118: 'twilio.room_completed',
  54100: 'twilio.document_not_found',
  54103: 'twilio.revision_mismatch',
  54301: 'twilio.document_exists',
  58001: 'twilio.streamer_quota',
  58002: 'twilio.processor_quota',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  'twilio.auth': 'Twilio did not accept the credentials. Check the Account SID, API key SID and secret.',
  'twilio.not_found': 'Twilio has no such resource.',
  'twilio.rate_limited': 'Twilio is limiting requests right now. Wait a moment and try again.',
  'twilio.room_exists': 'A room with this name is already in progress.',
  'twilio.room_completed': 'The room has already ended. Start a new one.',
  'twilio.document_not_found': 'The Sync document does not exist.',
  'twilio.revision_mismatch': 'The Sync document changed in the meantime.',
  'twilio.document_exists': 'A Sync document with this name already exists.',
  'twilio.streamer_quota': 'Too many PlayerStreamers are active on this account. End unused ones (Clean up) and try again.',
  'twilio.processor_quota': 'Too many MediaProcessors are active on this account. End unused ones (Clean up) and try again.',
  'twilio.live_retired':
    'Twilio Live was retired by Twilio on 2023-11-30, so Twilio no longer offers broadcasts (PlayerStreamer, MediaProcessor). Switch to the local cloud to go live.',
  'twilio.bad_request': 'Twilio rejected the request.',
  'twilio.server_error': 'Twilio had a problem answering. Try again in a moment.',
  'twilio.network': 'Could not reach Twilio. Check the network connection.',
  'twilio.timeout': 'Twilio did not answer in time. Try again.',
};

export function twilioError(code: ErrorCode, details: { twilioCode?: number; status?: number } = {}): StudioError {
  const clean = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
  return new StudioError(code, MESSAGES[code] ?? code, Object.keys(clean).length ? clean : undefined);
}

/** Media v1 collections: a live service never answers 404 here, a retired one always does. */
const MEDIA_COLLECTION = /^\/v1\/(PlayerStreamers|MediaProcessors)\/?$/;

/** A studio error for a Twilio error answer. */
export function fromTwilioAnswer(status: number, twilioCode: number | undefined, domain: string, path: string): StudioError {
  const known = twilioCode !== undefined ? BY_TWILIO_CODE[twilioCode] : undefined;
  if (domain === 'media' && status === 404 && MEDIA_COLLECTION.test(path)) {
    return twilioError('twilio.live_retired', { twilioCode, status });
  }
  if (known) return twilioError(known, { twilioCode, status });
  if (status === 401 || status === 403) return twilioError('twilio.auth', { twilioCode, status });
  if (status === 404) return twilioError('twilio.not_found', { twilioCode, status });
  if (status === 429) return twilioError('twilio.rate_limited', { twilioCode, status });
  if (status >= 500) return twilioError('twilio.server_error', { twilioCode, status });
  return twilioError('twilio.bad_request', { twilioCode, status });
}

/** Network-level failures (no HTTP answer). Never includes the request, which carries credentials. */
export function fromNetworkFailure(error: unknown): StudioError {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return twilioError('twilio.timeout');
  return twilioError('twilio.network');
}
