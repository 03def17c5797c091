import type { ActivityEntry } from '../../../shared/activity';

const CAPACITY = 500;

/** The most recent REST calls, newest last; listeners see each call as it completes. */
export class ActivityFeed {
  private readonly entries: ActivityEntry[] = [];
  private readonly listeners = new Set<(entry: ActivityEntry) => void>();
  private nextId = 1;

  record(entry: Omit<ActivityEntry, 'id' | 'at'> & { at?: string }): ActivityEntry {
    const full: ActivityEntry = { id: this.nextId++, at: entry.at ?? new Date().toISOString(), ...stripUndefined(entry) };
    this.entries.push(full);
    if (this.entries.length > CAPACITY) this.entries.splice(0, this.entries.length - CAPACITY);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  list(): ActivityEntry[] {
    return [...this.entries];
  }

  subscribe(listener: (entry: ActivityEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
