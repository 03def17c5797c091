import { useEffect, useState } from 'react';
import type { ActivityEntry } from '../../shared/domain';
import { unwrap } from '../ipc/client';
import { mergeEntries } from './filter';

/** Every REST call the core made, newest first: `activity.list`, then `activity.entry` events. */
export function useActivity(): ActivityEntry[] {
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  useEffect(() => {
    let alive = true;
    const off = window.onair.on('activity.entry', (entry) => setEntries((current) => mergeEntries(current, [entry])));
    unwrap(() => window.onair.activity.list())
      .then((list) => alive && setEntries((current) => mergeEntries(current, list)))
      .catch(() => {});
    return () => {
      alive = false;
      off();
    };
  }, []);
  return entries;
}
