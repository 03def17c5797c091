import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from '../core/security/origins';
import type { KeyValueStore } from '../core/settings/ports';
import { installNavigationGuards } from './guards';
import { MIN_SIZE, restoreBounds, saveBounds } from './window-state';

export function createMainWindow(store: KeyValueStore, preloadDir: string): BrowserWindow {
  const bounds = restoreBounds(
    store,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'OnAir Studio',
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      // A studio keeps composing, encoding and sending while it is hidden or minimised (as OBS does):
      // Chromium would otherwise throttle the page's timers and video decoding behind the window.
      backgroundThrottling: false,
    },
  });
  installNavigationGuards(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveBounds(store, window.getNormalBounds()));
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
