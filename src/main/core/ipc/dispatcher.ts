import { contract, type ChannelName, type Envelope, isChannelName, type ParsedRequestOf, type ResponseOf } from '../../../shared/contract';
import { StudioError } from '../../../shared/errors';
import { zodIssues } from '../../../shared/validation';

export type Handlers = { [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

export interface Sender {
  /** The URL of the frame that sent the call (Electron) or the page origin (harness). */
  url: string | null | undefined;
}

export interface DispatcherOptions {
  handlers: Handlers;
  isTrustedSender: (sender: Sender) => boolean;
  /** Receives failures for the log; gets the error code and channel, never the payload. */
  onError?: (entry: { channel: string; code: string; message: string }) => void;
}

export type Dispatch = (channel: string, payload: unknown, sender: Sender) => Promise<Envelope<unknown>>;


/**
 * The single entry point for every renderer → main call, whatever the transport.
 * Checks the sender, the channel and the payload, runs the handler and turns any
 * outcome into an envelope. Unexpected errors are reported as `internal` without
 * their message, which could carry anything.
 */
export function createDispatcher({ handlers, isTrustedSender, onError }: DispatcherOptions): Dispatch {
  const fail = (channel: string, error: StudioError): Envelope<never> => {
    onError?.({ channel, code: error.code, message: error.message });
    return { ok: false, error: error.toIpc() };
  };

  return async (channel, payload, sender) => {
    if (!isTrustedSender(sender)) {
      return fail(channel, new StudioError('ipc.untrusted_sender', 'The call came from a page that is not part of OnAir Studio.'));
    }
    if (!isChannelName(channel)) {
      return fail(channel, new StudioError('ipc.unknown_channel', `There is no channel named "${String(channel)}".`));
    }
    const parsed = contract.invoke[channel].request.safeParse(payload);
    if (!parsed.success) {
      return fail(
        channel,
        new StudioError('ipc.invalid_payload', `The request for ${channel} is not valid.`, { issues: zodIssues(parsed.error) }),
      );
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      return { ok: true, value: contract.invoke[channel].response.parse(value) };
    } catch (error) {
      if (error instanceof StudioError) return fail(channel, error);
      onError?.({ channel, code: 'internal', message: error instanceof Error ? error.name : 'unknown' });
      return { ok: false, error: { code: 'internal', message: 'Something went wrong inside the studio. Please try again.' } };
    }
  };
}
