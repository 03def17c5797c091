import { type DependencyList, useEffect, useRef } from 'react';
import type { Envelope, EventName, EventPayloadOf } from '../../shared/contract';
import { asIpcError, type IpcCallError, unwrap } from './client';

export interface SubscribeThenFetch<T, A = T> {
  /** Each `event` from main. */
  onEvent: (payload: T) => void;
  /** The fetch's answer; `eventSeen`: an event came first, and it is at least as new as this answer. */
  onAnswer: (value: A, eventSeen: boolean) => void;
  onError?: (error: IpcCallError) => void;
}

/**
 * How the renderer follows a piece of main's state: listen to `event` first, then `fetch` it once,
 * so nothing that changes between the two is missed. Nothing is delivered after unmount. Runs
 * again when `deps` change; the handlers may change on every render without subscribing again.
 */
export function useSubscribeThenFetch<E extends EventName, A = EventPayloadOf<E>>(
  event: E,
  fetch: () => Promise<Envelope<A>>,
  handlers: SubscribeThenFetch<EventPayloadOf<E>, A>,
  deps: DependencyList = [],
): void {
  const latest = useRef({ fetch, handlers });
  // Runs before the subscription's effect below (effects run in order), so it sees these handlers.
  useEffect(() => {
    latest.current = { fetch, handlers };
  });
  useEffect(() => {
    let alive = true;
    let eventSeen = false;
    const off = window.onair.on(event, (payload) => {
      eventSeen = true;
      latest.current.handlers.onEvent(payload);
    });
    unwrap(() => latest.current.fetch()).then(
      (value) => alive && latest.current.handlers.onAnswer(value, eventSeen),
      (error: unknown) => alive && latest.current.handlers.onError?.(asIpcError(error)),
    );
    return () => {
      alive = false;
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` is the caller's list
  }, [event, ...deps]);
}
