import { useCallback, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import type { RecordingStatus } from '../../shared/recording';
import { asIpcError, unwrap } from '../ipc/client';
import { feedClockMs, feedTailDelivered } from '../program/feed-tail';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';

export interface RecordingControl {
  /** The current (or last) recording as main reports it; null until the first answer. */
  status: RecordingStatus | null;
  /** A start or stop call is on its way. */
  pending: 'start' | 'stop' | null;
  /** A call that failed without a recording status saying why (transport, unknown channel, …). */
  callError: ErrorCode | null;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /**
   * How the last Stop recording's wait for the program feed ended (`feed-tail.ts`) and how long it
   * took: `delivered` (main had the picture up to the click), `bound` (cut short), `none` (no feed).
   */
  stopWait: { outcome: 'delivered' | 'bound' | 'none'; ms: number } | null;
}

/** Record / Stop recording over IPC, kept fresh by `recording.changed` (every second while recording). */
export function useRecording(): RecordingControl {
  const [status, setStatus] = useState<RecordingStatus | null>(null);
  const [pending, setPending] = useState<RecordingControl['pending']>(null);
  const [callError, setCallError] = useState<ErrorCode | null>(null);
  const [stopWait, setStopWait] = useState<RecordingControl['stopWait']>(null);

  useSubscribeThenFetch('recording.changed', () => window.onair.recording.status(), {
    onEvent: setStatus,
    onAnswer: (value) => setStatus((current) => current ?? value),
    onError: (error) => setCallError(error.code),
  });

  const start = useCallback(async () => {
    setPending('start');
    setCallError(null);
    try {
      setStatus(await unwrap(() => window.onair.recording.start()));
    } catch (error) {
      // A refusal also arrives as a `failed` status (with the reason); keep the code for when it does not.
      setCallError(asIpcError(error).code);
    } finally {
      setPending(null);
    }
  }, []);

  const stop = useCallback(async () => {
    // The file ends at the click: what the camera gave until now is still in the encoder or on its
    // way to main, and main closes the file when it hears Stop (bounded wait; "finalizing…" meanwhile).
    const clickedAt = feedClockMs();
    setPending('stop');
    setCallError(null);
    try {
      const outcome = await feedTailDelivered(clickedAt);
      setStopWait({ outcome, ms: Math.round(feedClockMs() - clickedAt) });
      setStatus(await unwrap(() => window.onair.recording.stop()));
    } catch (error) {
      setCallError(asIpcError(error).code);
    } finally {
      setPending(null);
    }
  }, []);

  return { status, pending, callError, start, stop, stopWait };
}

/** `mm:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** File sizes as a file manager shows them (decimal units): 950 KB, 12.4 MB, 1.25 GB. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}
