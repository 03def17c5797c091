/**
 * A stand-in for the `electron` module, good enough to boot the built main bundle
 * in Node and record what it asked Electron to do. No Electron binary is needed.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: any[]) => any;

export interface FakeState {
  userData: string;
  singleInstanceLock: boolean;
  storageBackend: string;
  encryptionAvailable: boolean;
  /** `app.isPackaged`; false unless a test says otherwise (like `npm start`). */
  isPackaged: boolean;
  calls: string[];
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  ipcHandlers: Map<string, Handler>;
  windows: FakeBrowserWindow[];
  permissionRequestHandler: Handler | null;
  permissionCheckHandler: Handler | null;
  displayMediaRequestHandler: Handler | null;
  /** What `desktopCapturer.getSources` finds (screens and windows). */
  desktopSources: FakeDesktopSource[];
  /** `systemPreferences.getMediaAccessStatus('screen')`. */
  screenAccess: string;
  openedExternally: string[];
  readyResolve: () => void;
  ready: Promise<void>;
}

// Kept on globalThis: vi.resetModules() may load this file again, and the main
// bundle and the test must still share one fake.
const shared = globalThis as typeof globalThis & { __onairFakeElectron?: any };
export const state: FakeState = (shared.__onairFakeElectron ??= {}).state ??= {} as FakeState;

export function resetFakeElectron(
  options: Partial<Pick<FakeState, 'userData' | 'singleInstanceLock' | 'storageBackend' | 'encryptionAvailable' | 'isPackaged'>>,
): FakeState {
  let readyResolve = () => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  Object.assign(state, {
    userData: '/nonexistent',
    singleInstanceLock: true,
    storageBackend: 'gnome_libsecret',
    encryptionAvailable: true,
    isPackaged: false,
    ...options,
    calls: [],
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    ipcHandlers: new Map(),
    windows: [],
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    displayMediaRequestHandler: null,
    desktopSources: [fakeDesktopSource('screen:0:0', 'Entire screen'), fakeDesktopSource('window:42:0', 'Notes — draft.txt', true)],
    screenAccess: 'granted',
    openedExternally: [],
    readyResolve,
    ready,
  });
  app.removeAllListeners();
  ipcMain.removeAllListeners();
  return state;
}

class FakeApp extends EventEmitter {
  get isPackaged() {
    return state.isPackaged === true;
  }
  enableSandbox() {
    state.calls.push('app.enableSandbox');
  }
  requestSingleInstanceLock() {
    state.calls.push('app.requestSingleInstanceLock');
    return state.singleInstanceLock;
  }
  quit() {
    state.calls.push('app.quit');
  }
  whenReady() {
    return state.ready;
  }
  getPath(name: string) {
    // The Videos folder (recordings) is a made-up path under userData: nothing is written there unless a test records.
    if (name === 'videos') return `${state.userData}/Videos`;
    if (name !== 'userData') throw new Error(`fake electron: getPath(${name}) not supported`);
    return state.userData;
  }
  getName() {
    return 'OnAir Studio';
  }
  getVersion() {
    return '0.0.0-test';
  }
}
export const app: FakeApp = (shared.__onairFakeElectron.app ??= new FakeApp());

class FakeIpcMain extends EventEmitter {
  handle(channel: string, handler: Handler) {
    if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    state.ipcHandlers.set(channel, handler);
  }
}
export const ipcMain: FakeIpcMain = (shared.__onairFakeElectron.ipcMain ??= new FakeIpcMain());

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    state.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    state.protocolHandlers.set(scheme, handler);
  },
};

/** A 1×1 PNG: what a NativeImage's toDataURL gives for a tiny thumbnail. */
const PNG_1X1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export interface FakeDesktopSource {
  id: string;
  name: string;
  display_id: string;
  thumbnail: { isEmpty(): boolean; toDataURL(): string };
  appIcon: { isEmpty(): boolean; toDataURL(): string } | null;
}

export function fakeDesktopSource(id: string, name: string, withIcon = false): FakeDesktopSource {
  const image = { isEmpty: () => false, toDataURL: () => PNG_1X1 };
  return { id, name, display_id: id.startsWith('screen:') ? '1' : '', thumbnail: image, appIcon: withIcon ? image : null };
}

export const desktopCapturer = {
  async getSources(options: unknown) {
    state.calls.push(`desktopCapturer.getSources ${JSON.stringify(options)}`);
    return state.desktopSources;
  },
};

export const systemPreferences = {
  getMediaAccessStatus(mediaType: string) {
    state.calls.push(`systemPreferences.getMediaAccessStatus ${mediaType}`);
    return mediaType === 'screen' ? state.screenAccess : 'granted';
  },
};

export const session = {
  defaultSession: {
    setDisplayMediaRequestHandler(handler: Handler) {
      state.displayMediaRequestHandler = handler;
    },
    setPermissionRequestHandler(handler: Handler) {
      state.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: Handler) {
      state.permissionCheckHandler = handler;
    },
  },
};

export const shell = {
  async openExternal(url: string) {
    state.openedExternally.push(url);
  },
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const safeStorage = {
  isAsyncEncryptionAvailable: async () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.storageBackend,
  // Reversible but not plain: enough to prove the secret is not stored in the clear.
  encryptStringAsync: async (plain: string) => Buffer.from(`enc:${Buffer.from(plain).reverse().toString('base64')}`),
  decryptStringAsync: async (encrypted: Buffer) => {
    const text = encrypted.toString();
    if (!text.startsWith('enc:')) throw new Error('fake safeStorage: not ours');
    return { result: Buffer.from(text.slice(4), 'base64').reverse().toString(), shouldReEncrypt: false };
  },
};

export class FakeWebContents extends EventEmitter {
  url = '';
  windowOpenHandler: Handler | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  getURL() {
    return this.url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows() {
    return state.windows;
  }
  readonly webContents = new FakeWebContents();
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, any>) {
    super();
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width, height: options.height };
    state.windows.push(this);
  }
  async loadURL(url: string) {
    this.webContents.url = url;
  }
  getNormalBounds() {
    return this.bounds;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {}
}
export const BrowserWindow = FakeBrowserWindow;

export const electronModule = { app, ipcMain, protocol, session, shell, screen, safeStorage, BrowserWindow, desktopCapturer, systemPreferences };
