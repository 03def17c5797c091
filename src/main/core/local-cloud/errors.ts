/** Twilio error codes the local cloud answers with. */
export const TwilioCode = {
  /** Generic "invalid or missing parameter" (Twilio's REST convention for 400s the cloud cannot be more specific about). */
  invalidParameter: 20001,
  authenticate: 20003,
  notFound: 20404,
  internal: 20500,
  roomNameTooLong: 53101,
  roomExists: 53113,
  roomCompleted: 53118,
  roomQuota: 53119,
  documentTooLarge: 54006,
  invalidDocumentData: 54008,
  revisionMismatch: 54103,
  uniqueNameExists: 54301,
  invalidUniqueName: 54302,
  playerStreamerQuota: 58001,
  mediaProcessorQuota: 58002,
} as const;

/** An error that crosses HTTP as Twilio's `{ code, message, more_info, status }`. */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioError';
  }

  toBody(): TwilioErrorBody {
    return twilioErrorBody(this.status, this.code, this.message);
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Twilio's own convention for generic HTTP failures: 20000 + HTTP status (20404, 20429, 20500, ...). */
export function genericCode(status: number): number {
  return 20000 + status;
}

export function invalidParameter(message: string): TwilioError {
  return new TwilioError(400, TwilioCode.invalidParameter, message);
}

export function notFound(what = 'The requested resource'): TwilioError {
  return new TwilioError(404, TwilioCode.notFound, `${what} was not found`);
}
