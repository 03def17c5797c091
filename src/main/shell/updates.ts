import { app } from 'electron';

export interface UpdateCheckOptions {
  /** Where update progress and failures go; never throws into the app. */
  log?: (line: string) => void;
}

/**
 * Asks GitHub releases (electron-builder's `publish`, written into resources/app-update.yml)
 * whether a newer OnAir Studio exists, downloads it in the background and offers it on quit.
 *
 * Only packaged builds check: a development run (`npm start`) or a test has no app-update.yml and
 * must never download anything. electron-updater is loaded only here, on demand, so unpackaged
 * runs never load it at all. Offline or failed checks are logged and otherwise ignored: the studio
 * works without the network. `ONAIR_DISABLE_UPDATES=1` turns the check off (managed installs).
 *
 * Resolves `true` when a check was started and finished without error.
 */
export async function checkForUpdates(options: UpdateCheckOptions = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.info(`[onair] ${line}`));
  if (!app.isPackaged || process.env.ONAIR_DISABLE_UPDATES === '1') return false;
  try {
    const { default: updater } = await import('electron-updater');
    const { autoUpdater } = updater;
    autoUpdater.logger = {
      info: (message?: unknown) => log(`updates: ${String(message)}`),
      warn: (message?: unknown) => log(`updates: ${String(message)}`),
      error: (message?: unknown) => log(`updates: ${String(message)}`),
      debug: () => {},
    };
    await autoUpdater.checkForUpdatesAndNotify();
    return true;
  } catch (error) {
    log(`updates: check failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
