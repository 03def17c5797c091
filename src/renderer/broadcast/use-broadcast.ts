import { useCallback, useEffect, useState } from 'react';
import type { BroadcastStatus, CleanupReport } from '../../shared/broadcast';
import { asIpcError, type IpcCallError, unwrap } from '../ipc/client';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';

export type BroadcastAction = 'start' | 'stop' | 'resume' | 'cleanup';

/** While live, ask the core every so often: it notices a broadcast the cloud ended. */
const LIVE_POLL_MS = 15_000;

/**
 * The broadcast as the core reports it (`broadcast.status`, then `broadcast.changed`
 * events), and the actions on it. `error` is the last failed action's error.
 */
export function useBroadcast() {
  const [status, setStatus] = useState<BroadcastStatus | null>(null);
  const [busy, setBusy] = useState<BroadcastAction | null>(null);
  const [error, setError] = useState<IpcCallError | null>(null);
  const [cleanup, setCleanup] = useState<CleanupReport | null>(null);

  useSubscribeThenFetch('broadcast.changed', () => window.onair.broadcast.status(), {
    onEvent: setStatus,
    onAnswer: (value, eventSeen) => !eventSeen && setStatus(value),
    onError: setError,
  });

  const live = status?.state === 'live';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      void unwrap(() => window.onair.broadcast.status()).then(setStatus, () => {});
    }, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [live]);

  const run = useCallback(async (action: BroadcastAction) => {
    setBusy(action);
    setError(null);
    if (action !== 'cleanup') setCleanup(null);
    try {
      if (action === 'cleanup') {
        const report = await unwrap(() => window.onair.broadcast.cleanup());
        setCleanup(report);
        setStatus(await unwrap(() => window.onair.broadcast.status()));
      } else {
        setStatus(await unwrap(() => window.onair.broadcast[action]()));
      }
    } catch (failure) {
      setError(asIpcError(failure));
    } finally {
      setBusy(null);
    }
  }, []);

  return {
    status,
    busy,
    error,
    cleanup,
    start: useCallback(() => run('start'), [run]),
    stop: useCallback(() => run('stop'), [run]),
    resume: useCallback(() => run('resume'), [run]),
    cleanUp: useCallback(() => run('cleanup'), [run]),
    dismissCleanup: useCallback(() => setCleanup(null), []),
  };
}

export type BroadcastController = ReturnType<typeof useBroadcast>;
