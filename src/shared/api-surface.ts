import {
  CHANNEL_NAMES,
  type ChannelName,
  type Envelope,
  type EventName,
  type EventPayloadOf,
  isEventName,
  type RequestOf,
  type ResponseOf,
} from './contract';

type Namespace = ChannelName extends `${infer N}.${string}` ? N : never;
type MethodsOf<N extends Namespace> = {
  [C in ChannelName as C extends `${N}.${infer M}` ? M : never]: RequestOf<C> extends undefined
    ? () => Promise<Envelope<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;
};

/** The shape of `window.onair`: one namespace per contract prefix, plus `on`. */
export type OnAirApi = { readonly [N in Namespace]: Readonly<MethodsOf<N>> } & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void) => () => void;
};

export type Invoker = (channel: ChannelName, request: unknown) => Promise<Envelope<unknown>>;
export type Subscriber = (event: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Derives the renderer-facing API from the contract. Used by the Electron preload
 * (over ipcRenderer) and by the browser harness bridge (over a WebSocket), so both
 * expose exactly the same frozen surface.
 */
export function buildApi(invoke: Invoker, subscribe: Subscriber): OnAirApi {
  const namespaces: Record<string, Record<string, (request?: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const channel of CHANNEL_NAMES) {
    const [namespace, method] = channel.split('.') as [string, string];
    namespaces[namespace] ??= {};
    namespaces[namespace][method] = (request?: unknown) => invoke(channel, request);
  }
  const api: Record<string, unknown> = {};
  for (const [name, methods] of Object.entries(namespaces)) api[name] = Object.freeze(methods);
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventName(event)) throw new TypeError(`Unknown OnAir event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return subscribe(event, listener as (payload: unknown) => void);
  };
  return Object.freeze(api) as OnAirApi;
}
