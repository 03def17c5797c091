import { useCallback, useState } from 'react';
import type { DestinationAddRequest, DestinationsSnapshot, DestinationUpdateRequest, DestinationView } from '../../shared/destinations';
import { type IpcCallError, unwrap } from '../ipc/client';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';

/**
 * The destinations as main reports them (`destinations.list`, then `destinations.changed`
 * events): the list (no stream key, ever) and what each output is doing. The actions return
 * main's answer and throw `IpcCallError` (field issues in `details.issues`) for the caller to show.
 */
export function useDestinations() {
  const [snapshot, setSnapshot] = useState<DestinationsSnapshot | null>(null);
  const [loadError, setLoadError] = useState<IpcCallError | null>(null);

  useSubscribeThenFetch('destinations.changed', () => window.onair.destinations.list(), {
    onEvent: setSnapshot,
    onAnswer: (value, eventSeen) => !eventSeen && setSnapshot(value),
    onError: setLoadError,
  });

  /** Puts main's answer for one destination into the list until the next event says more. */
  const merge = useCallback((view: DestinationView) => {
    setSnapshot((current) => {
      if (!current) return current;
      const known = current.destinations.some((destination) => destination.id === view.id);
      const destinations = known
        ? current.destinations.map((destination) => (destination.id === view.id ? view : destination))
        : [...current.destinations, view];
      return { ...current, destinations };
    });
    return view;
  }, []);

  const add = useCallback(async (request: DestinationAddRequest) => merge(await unwrap(() => window.onair.destinations.add(request))), [merge]);

  const update = useCallback(async (request: DestinationUpdateRequest) => merge(await unwrap(() => window.onair.destinations.update(request))), [merge]);

  const remove = useCallback(async (id: string) => {
    const next = await unwrap(() => window.onair.destinations.remove({ id }));
    setSnapshot(next);
  }, []);

  const reconnect = useCallback(async (id: string) => {
    const runtime = await unwrap(() => window.onair.destinations.reconnect({ id }));
    setSnapshot((current) => (current ? { ...current, runtime: { ...current.runtime, [id]: runtime } } : current));
    return runtime;
  }, []);

  return { snapshot, loadError, add, update, remove, reconnect };
}

export type DestinationsController = ReturnType<typeof useDestinations>;
