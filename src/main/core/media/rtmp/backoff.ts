/** When a running stream drops: OBS's shape (first retry 2 s, ×1.5, jitter, a cap, a limit), every number configurable. */
export interface ReconnectPolicy {
  /** Reconnect a stream that dropped after going live (a failed first connect is never retried). */
  enabled: boolean;
  firstDelayMs: number;
  factor: number;
  /** ± this fraction of the delay, at random (0.2 = ±20 %). */
  jitter: number;
  maxDelayMs: number;
  /** Attempts in a row before giving up (`failed`, reason `retries_exhausted`). */
  maxRetries: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = {
  enabled: true,
  firstDelayMs: 2_000,
  factor: 1.5,
  jitter: 0.2,
  maxDelayMs: 15 * 60_000,
  maxRetries: 25,
};

/** Delay before retry number `attempt` (1-based). `random` returns [0, 1). */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, base + spread)));
}
