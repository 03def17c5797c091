import type { KeyValueStore } from '../settings/ports';
import type { ResourceKind } from './end-resources';

const KEY = 'broadcast.createdResources';

/**
 * The billable resources this studio created and has not yet seen ended, kept in
 * the studio's own data so that a stop after a crash (or with the Sync record
 * gone) still knows what to end.
 */
export class ResourceLedger {
  constructor(private readonly store: KeyValueStore) {}

  entries(): Array<{ kind: ResourceKind; sid: string }> {
    const raw = this.store.get(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (entry): entry is { kind: ResourceKind; sid: string } =>
        !!entry && typeof entry.sid === 'string' && (entry.kind === 'MediaProcessor' || entry.kind === 'PlayerStreamer'),
    );
  }

  add(kind: ResourceKind, sid: string): void {
    this.store.set(KEY, [...this.entries().filter((entry) => entry.sid !== sid), { kind, sid }]);
  }

  remove(sid: string): void {
    const entries = this.entries();
    if (entries.some((entry) => entry.sid === sid)) this.store.set(KEY, entries.filter((entry) => entry.sid !== sid));
  }
}
