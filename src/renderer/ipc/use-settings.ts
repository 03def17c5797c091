import { useCallback, useEffect, useState } from 'react';
import type { SettingsPatch, SettingsView } from '../../shared/settings';
import { asIpcError, type IpcCallError, unwrap } from './client';

/** Settings as the renderer may see them, kept fresh by `settings.changed` events. */
export function useSettings() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<IpcCallError | null>(null);

  useEffect(() => {
    let alive = true;
    unwrap(() => window.onair.settings.get())
      .then((value) => alive && setView(value))
      .catch((error: unknown) => alive && setLoadError(asIpcError(error)));
    const off = window.onair.on('settings.changed', (value) => setView(value));
    return () => {
      alive = false;
      off();
    };
  }, []);

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
