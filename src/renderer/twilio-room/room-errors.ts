import { IpcCallError } from '../ipc/client';

export type RoomProblem =
  | 'token'
  | 'credentials'
  | 'notConfigured'
  | 'roomCompleted'
  | 'roomFull'
  | 'duplicateIdentity'
  | 'network'
  | 'media'
  | 'unknown';

export interface RoomFailure {
  problem: RoomProblem;
  /** Twilio's numeric code, the IPC code or the DOMException name, for the "unknown" message and the logs. */
  detail: string;
}

// twilio-video's TwilioError codes (https://www.twilio.com/docs/api/errors).
const TOKEN_CODES = new Set([20101, 20102, 20103, 20104, 20105, 20106, 20107, 20151, 20157]);
const ROOM_COMPLETED = new Set([53118, 53106]);
const ROOM_FULL = new Set([53105]);
const DUPLICATE = new Set([53205]);

const isNetworkCode = (code: number) => (code >= 53000 && code <= 53004) || (code >= 53400 && code <= 53407) || code === 53500 || code === 53501;

/**
 * What went wrong with the room, as a person can act on it. Accepts twilio-video's
 * TwilioError (numeric `code`), an IPC error from `tokens.video`, or a getUserMedia
 * DOMException.
 */
export function roomFailureOf(error: unknown): RoomFailure {
  if (error instanceof IpcCallError) {
    switch (error.code) {
      case 'twilio.auth':
        return { problem: 'credentials', detail: error.code };
      case 'twilio.not_configured':
        return { problem: 'notConfigured', detail: error.code };
      case 'twilio.room_completed':
        return { problem: 'roomCompleted', detail: error.code };
      case 'twilio.network':
      case 'twilio.timeout':
      case 'ipc.transport':
        return { problem: 'network', detail: error.code };
      default:
        return { problem: 'unknown', detail: error.code };
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') {
    const detail = String(code);
    if (TOKEN_CODES.has(code) || (code >= 20100 && code < 20200)) return { problem: 'token', detail };
    if (ROOM_COMPLETED.has(code)) return { problem: 'roomCompleted', detail };
    if (ROOM_FULL.has(code)) return { problem: 'roomFull', detail };
    if (DUPLICATE.has(code)) return { problem: 'duplicateIdentity', detail };
    if (isNetworkCode(code)) return { problem: 'network', detail };
    return { problem: 'unknown', detail };
  }
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (['NotAllowedError', 'NotFoundError', 'NotReadableError', 'OverconstrainedError', 'AbortError'].includes(name)) {
    return { problem: 'media', detail: name };
  }
  if (name === 'TypeError' && /fetch|network/i.test((error as Error).message)) return { problem: 'network', detail: name };
  return { problem: 'unknown', detail: name || String(error) };
}
