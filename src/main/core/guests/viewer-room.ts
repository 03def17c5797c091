import type { ViewerRefusal } from '../../../shared/guests';

/**
 * Bounds on the viewer page's token requests: a viewer is the page's own random id; it counts
 * while it asked for a token, or its address fetched the stream, within `activeMs` (the page
 * asks again every few seconds while open). At most `max()` count at once: one more is refused (`full`), those already counted
 * never are. One address may ask `perAddress` times in each `rateWindowMs` (`too_many_requests`),
 * without touching anyone else's allowance.
 */
export interface ViewerLimits {
  /** Read on each request, so a changed setting applies at once. */
  max: () => number;
  activeMs: number;
  rateWindowMs: number;
  perAddress: number;
}

export const DEFAULT_VIEWER_ACTIVE_MS = 30_000;
export const DEFAULT_VIEWER_RATE = { rateWindowMs: 10_000, perAddress: 12 } as const;

export type ViewerVerdict = { ok: true } | { ok: false; reason: ViewerRefusal };

export class ViewerRoom {
  /** Viewer id → its address and when it last asked. */
  private readonly viewers = new Map<string, { address: string; seen: number }>();
  /** Address → the times of its recent requests. */
  private readonly requests = new Map<string, number[]>();

  constructor(
    private readonly limits: ViewerLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token request from `viewerId` at `address`: whether it may have one. */
  ask(viewerId: string, address: string): ViewerVerdict {
    const now = this.now();
    this.forget(now);
    const recent = this.requests.get(address) ?? [];
    if (recent.length >= this.limits.perAddress) return { ok: false, reason: 'too_many_requests' };
    recent.push(now);
    this.requests.set(address, recent);
    const known = this.viewers.get(viewerId);
    if (!known && this.viewers.size >= this.limits.max()) return { ok: false, reason: 'full' };
    this.viewers.set(viewerId, { address, seen: now });
    return { ok: true };
  }

  /** How many viewers watch now. */
  watching(): number {
    this.forget(this.now());
    return this.viewers.size;
  }

  /**
   * The HLS relay asks before each file: whether someone at `address` watches now. Fetching the
   * stream keeps that address's viewers counted too (a hidden tab's timers may be slowed down,
   * its player's requests are not).
   */
  streamTo(address: string): boolean {
    const now = this.now();
    this.forget(now);
    let watching = false;
    for (const viewer of this.viewers.values()) {
      if (viewer.address !== address) continue;
      viewer.seen = now;
      watching = true;
    }
    return watching;
  }

  private forget(now: number): void {
    for (const [id, viewer] of this.viewers) if (now - viewer.seen >= this.limits.activeMs) this.viewers.delete(id);
    for (const [address, times] of this.requests) {
      const kept = times.filter((at) => now - at < this.limits.rateWindowMs);
      if (kept.length) this.requests.set(address, kept);
      else this.requests.delete(address);
    }
  }
}
