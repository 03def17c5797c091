import { ipcMain } from 'electron';
import Store from 'electron-store';
import type { KeyValueStore } from '../core/settings/ports';

/**
 * electron-store in the app's data folder. electron-store registers an IPC
 * listener of its own for renderer-side use; we never use the store from a
 * renderer, so that listener is removed to keep the contract the only IPC surface.
 */
export function createSettingsStore(): KeyValueStore & { path: string } {
  const store = new Store<Record<string, unknown>>({ name: 'settings' });
  ipcMain.removeAllListeners('electron-store-get-data');
  return store;
}
