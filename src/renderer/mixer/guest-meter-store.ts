import type { Level } from './db';

/** The guests' channel levels (~20 updates a second), outside React state like the MeterStore. */
export class GuestMeterStore {
  private snapshot: Readonly<Record<string, Level>> = {};
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = (): Readonly<Record<string, Level>> => this.snapshot;

  push(levels: Record<string, Level>): void {
    this.snapshot = levels;
    for (const listener of this.listeners) listener();
  }
}
