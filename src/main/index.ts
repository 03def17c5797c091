import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, isSameOrigin } from './core/security/origins';
import { createStudioCore } from './core/studio-core';
import { electronCapture, installDisplayMediaHandler } from './shell/display-media';
import { installPermissionGuards } from './shell/guards';
import { forwardEvents, registerIpc } from './shell/ipc';
import { registerAppScheme, serveRenderer } from './shell/protocol';
import { safeStorageCipher } from './shell/safe-storage-cipher';
import { createSettingsStore } from './shell/settings-store';
import { checkForUpdates } from './shell/updates';
import { createMainWindow } from './shell/window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = join(here, '../renderer');
const preloadDir = join(here, '../preload');

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    const store = createSettingsStore();
    const core = createStudioCore({
      store,
      cipher: safeStorageCipher(),
      dataDir: app.getPath('userData'),
      appOrigin: APP_ORIGIN,
      twilioOrigin: process.env.ONAIR_TWILIO_API_ORIGIN,
      info: { name: app.getName(), version: app.getVersion(), platform: process.platform, shell: 'electron' },
      isTrustedSender: (sender) => isSameOrigin(sender.url, APP_ORIGIN),
      log: (line) => console.info(`[onair] ${line}`),
      // Recordings go to the user's Videos folder unless Settings chooses another.
      videosFolder: () => app.getPath('videos'),
      capture: electronCapture(),
      // The guest page the network guest server serves (Settings → Guests → Share on my network).
      guestRoot: join(rendererRoot, 'guest'),
    });
    serveRenderer(rendererRoot);
    installPermissionGuards(session.defaultSession);
    installDisplayMediaHandler(session.defaultSession, core.capture);
    registerIpc(core);

    const open = () => {
      mainWindow = createMainWindow(store, preloadDir);
      const disconnect = forwardEvents(core, mainWindow.webContents);
      mainWindow.on('closed', () => {
        disconnect();
        mainWindow = null;
      });
    };
    open();
    void checkForUpdates();

    // Never quit with a broadcast running: stop it first (bounded, so quitting cannot hang).
    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting) return;
      event.preventDefault();
      quitting = true;
      const live = ['live', 'starting'].includes(core.broadcast.status().state);
      const stop = live ? core.broadcast.stop().catch(() => undefined) : Promise.resolve();
      const timeout = new Promise((resolve) => setTimeout(resolve, 8000));
      void Promise.race([stop, timeout])
        .then(() => core.close())
        .finally(() => app.quit());
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
