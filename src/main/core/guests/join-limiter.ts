/**
 * Bounds on joins, so a flood of hellos (or of connections that never say hello) cannot fill
 * the studio: at most `perAddress` attempts from one address and `total` attempts overall in each
 * window of `windowMs`, and at most `pending` connections that have not yet joined.
 */
export interface JoinLimits {
  windowMs: number;
  perAddress: number;
  total: number;
  pending: number;
}

export const DEFAULT_JOIN_LIMITS: JoinLimits = { windowMs: 10_000, perAddress: 10, total: 40, pending: 16 };

export class JoinLimiter {
  private attempts: Array<{ at: number; address: string }> = [];
  private pendingCount = 0;

  constructor(
    private readonly limits: JoinLimits = DEFAULT_JOIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** One more connection attempt from `address`: true if it may go on. */
  attempt(address: string): boolean {
    const now = this.now();
    this.attempts = this.attempts.filter((attempt) => now - attempt.at < this.limits.windowMs);
    if (this.attempts.length >= this.limits.total) return false;
    if (this.attempts.filter((attempt) => attempt.address === address).length >= this.limits.perAddress) return false;
    this.attempts.push({ at: now, address });
    return true;
  }

  /** A connection that has not joined yet; false when too many wait already. Call `settled` once it joins or closes. */
  open(): boolean {
    if (this.pendingCount >= this.limits.pending) return false;
    this.pendingCount += 1;
    return true;
  }

  settled(): void {
    this.pendingCount = Math.max(0, this.pendingCount - 1);
  }

  pending(): number {
    return this.pendingCount;
  }
}
