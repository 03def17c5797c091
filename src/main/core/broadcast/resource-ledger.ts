import type { KeyValueStore } from '../settings/ports';
import type { ResourceKind } from './end-resources';

const KEY = 'broadcast.createdResources';

interface Entry {
  kind: ResourceKind;
  sid: string;
  /** The account the resource was created in; absent in entries written before accounts were kept. */
  account?: string;
}

const isEntry = (entry: unknown): entry is Entry => {
  if (!entry || typeof entry !== 'object') return false;
  const { kind, sid, account } = entry as Record<string, unknown>;
  return typeof sid === 'string' && (kind === 'MediaProcessor' || kind === 'PlayerStreamer') && (account === undefined || typeof account === 'string');
};

/**
 * The billable resources this studio created and has not yet seen ended, kept in
 * the studio's own data so that a stop after a crash (or with the Sync record
 * gone) still knows what to end. Entries are kept per account: a stop in one mode
 * (the local cloud, or a Twilio account) only ends, and only forgets, what was
 * made there — the other account's "not found" never drops an entry it still runs.
 */
export class ResourceLedger {
  constructor(private readonly store: KeyValueStore) {}

  private all(): Entry[] {
    const raw = this.store.get(KEY);
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }

  /** What was made in `account` (entries from before accounts were kept count for every account). */
  entries(account: string): Array<{ kind: ResourceKind; sid: string }> {
    return this.all()
      .filter((entry) => entry.account === undefined || entry.account === account)
      .map(({ kind, sid }) => ({ kind, sid }));
  }

  add(account: string, kind: ResourceKind, sid: string): void {
    this.store.set(KEY, [...this.all().filter((entry) => entry.sid !== sid), { kind, sid, account }]);
  }

  remove(sid: string): void {
    const entries = this.all();
    if (entries.some((entry) => entry.sid === sid)) this.store.set(KEY, entries.filter((entry) => entry.sid !== sid));
  }
}
