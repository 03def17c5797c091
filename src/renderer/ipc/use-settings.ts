import { useCallback, useState } from 'react';
import type { SettingsPatch, SettingsView } from '../../shared/settings';
import { type IpcCallError, unwrap } from './client';
import { useSubscribeThenFetch } from './use-subscribe-then-fetch';

/** Settings as the renderer may see them, kept fresh by `settings.changed` events. */
export function useSettings() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<IpcCallError | null>(null);

  useSubscribeThenFetch('settings.changed', () => window.onair.settings.get(), {
    onEvent: setView,
    onAnswer: (value, eventSeen) => !eventSeen && setView(value),
    onError: setLoadError,
  });

  const update = useCallback(async (patch: SettingsPatch) => {
    const next = await unwrap(() => window.onair.settings.update(patch));
    setView(next);
    return next;
  }, []);

  const clearSecret = useCallback(async () => {
    setView(await unwrap(() => window.onair.settings.clearSecret()));
  }, []);

  return { view, loadError, update, clearSecret };
}
