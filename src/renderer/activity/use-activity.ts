import { useState } from 'react';
import type { ActivityEntry } from '../../shared/activity';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';
import { mergeEntries } from './filter';

/** Every REST call the core made, newest first: `activity.list`, then `activity.entry` events. */
export function useActivity(): ActivityEntry[] {
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  useSubscribeThenFetch('activity.entry', () => window.onair.activity.list(), {
    onEvent: (entry) => setEntries((current) => mergeEntries(current, [entry])),
    onAnswer: (list) => setEntries((current) => mergeEntries(current, list)),
  });
  return entries;
}
