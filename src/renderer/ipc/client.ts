import type { ChannelName, Envelope, RequestOf, ResponseOf } from '../../shared/contract';
import { type IpcError, normaliseIpcError } from '../../shared/errors';

/** A failed IPC call, normalised: always carries a known `code`. */
export class IpcCallError extends Error {
  readonly code: IpcError['code'];
  readonly details: IpcError['details'];

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'IpcCallError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** Unwraps an envelope from `window.onair`; transport failures become `ipc.transport`. */
export async function unwrap<T>(call: () => Promise<Envelope<T>>): Promise<T> {
  let envelope: Envelope<T>;
  try {
    envelope = await call();
  } catch (error) {
    throw new IpcCallError(normaliseIpcError(error));
  }
  if (envelope && envelope.ok === true) return envelope.value;
  throw new IpcCallError(normaliseIpcError(envelope && 'error' in envelope ? envelope.error : envelope));
}

export const asIpcError = (error: unknown): IpcCallError =>
  error instanceof IpcCallError ? error : new IpcCallError(normaliseIpcError(error));

export type { ChannelName, RequestOf, ResponseOf };
