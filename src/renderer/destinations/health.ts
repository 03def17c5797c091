import type { DestinationFailureReason, DestinationRuntime, DestinationView } from '../../shared/destinations';

/** What the badge of one destination says. */
export type BadgeKind = 'disabled' | 'no-key' | 'standby' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export function badgeKind(destination: DestinationView, runtime: DestinationRuntime | undefined): BadgeKind {
  const state = runtime?.state ?? 'off';
  if (state !== 'off') return state;
  if (!destination.enabled) return 'disabled';
  if (!destination.keyConfigured) return 'no-key';
  return 'standby';
}

/** Reasons a new try cannot fix: the destination has to be edited first. */
const NEEDS_EDIT: ReadonlySet<DestinationFailureReason> = new Set(['key_missing', 'key_unreadable']);

/**
 * Reconnect now makes sense while waiting for the next try, or, while live, after a failure a
 * new try may fix.
 */
export function canReconnect(runtime: DestinationRuntime | undefined, live: boolean): boolean {
  if (!runtime) return false;
  if (runtime.state === 'reconnecting') return true;
  return live && runtime.state === 'failed' && !(runtime.reason && NEEDS_EDIT.has(runtime.reason));
}

export function needsEdit(runtime: DestinationRuntime | undefined): boolean {
  return runtime?.state === 'failed' && !!runtime.reason && NEEDS_EDIT.has(runtime.reason);
}

/** Whole seconds until the next try, counted from when main reported the state. */
export function secondsUntilNextTry(runtime: DestinationRuntime, now: number): number {
  const left = (runtime.nextTryInMs ?? 0) - Math.max(0, now - runtime.at);
  return Math.max(0, Math.ceil(left / 1000));
}

/** Uptime on the current connection, advanced from when main reported it. */
export function uptimeNow(runtime: DestinationRuntime, now: number): number {
  return runtime.health.uptimeMs + Math.max(0, now - runtime.at);
}

/** `m:ss` under an hour, `h:mm:ss` above. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

