import type { ActivityEntry } from '../../shared/activity';

export interface ActivityFilter {
  /** `all`, or one domain (`video`, `sync`, `media`, ...). */
  domain: string;
  errorsOnly: boolean;
}

export const KNOWN_DOMAINS = ['video', 'sync', 'media'] as const;

/** A call failed when it got no answer, an HTTP error status, or a Twilio error code. */
export const isFailure = (entry: ActivityEntry) => entry.status === null || entry.status >= 400 || entry.twilioCode !== undefined;

/** Newest first, without duplicates (an event can repeat an entry the list already had). */
export function mergeEntries(current: ActivityEntry[], incoming: ActivityEntry[], capacity = 500): ActivityEntry[] {
  const byId = new Map<number, ActivityEntry>();
  for (const entry of [...current, ...incoming]) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, capacity);
}

export function filterActivity(entries: ActivityEntry[], filter: ActivityFilter): ActivityEntry[] {
  return entries.filter((entry) => (filter.domain === 'all' || entry.domain === filter.domain) && (!filter.errorsOnly || isFailure(entry)));
}

/** The known domains plus any other the feed has seen, for the filter menu. */
export function domainsOf(entries: ActivityEntry[]): string[] {
  const seen = new Set<string>(KNOWN_DOMAINS);
  for (const entry of entries) seen.add(entry.domain);
  return [...seen];
}
