import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, ipcChannel } from '../../src/shared/contract';
import { bootMainBundle, SECURE_WEB_PREFERENCES } from '../support/boot-main';
import { ipcMain, type resetFakeElectron, state } from '../support/fake-electron';
import { scratchDir } from '../support/scratch';

vi.mock('electron', async () => {
  const fake = await import('../support/fake-electron');
  return { ...fake.electronModule, default: fake.electronModule };
});

const MAIN_BUNDLE = resolve('out/main/index.js');

async function bootMain(options: Parameters<typeof resetFakeElectron>[0] = {}) {
  const userData = scratchDir('shell');
  await bootMainBundle(MAIN_BUNDLE, { userData, ...options });
  return { userData };
}

const appEvent = (url: string) => ({ senderFrame: { url } });

describe('built main bundle against a fake electron', () => {
  beforeAll(() => {
    expect(existsSync(MAIN_BUNDLE), 'run `npm run build` first').toBe(true);
  });

  beforeEach(async () => {
    await bootMain();
  });

  it('turns on the sandbox and the single-instance lock before anything else', () => {
    expect(state.calls.slice(0, 2)).toEqual(['app.enableSandbox', 'app.requestSingleInstanceLock']);
  });

  it('opens one window with isolated, sandboxed, Node-free web preferences', () => {
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject(SECURE_WEB_PREFERENCES);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    // Live while minimised: the compositor and the encoder are not throttled behind a hidden window.
    expect(prefs.backgroundThrottling).toBe(false);
    expect(prefs.preload).toBe(resolve('out/preload/index.cjs'));
    expect(existsSync(prefs.preload)).toBe(true);
    expect(state.windows[0]!.webContents.getURL()).toBe('app://studio/index.html');
  });

  it('registers exactly the contract channels and no other IPC listener', () => {
    expect([...state.ipcHandlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcChannel).sort());
    // electron-store's own renderer listener is removed.
    expect(state.ipcHandlers.size).toBe(CHANNEL_NAMES.length);
    expect(ipcMain.eventNames()).toEqual([]);
  });

  it('answers a call from the studio page and rejects an untrusted sender', async () => {
    const handler = state.ipcHandlers.get(ipcChannel('settings.get'))!;
    const fromApp = await handler(appEvent('app://studio/index.html'));
    expect(fromApp).toMatchObject({ ok: true, value: { mode: 'local', roomName: 'myroom' } });
    // Recordings default to Electron's Videos folder (app.getPath('videos')), not the core's own lookup.
    expect(fromApp).toMatchObject({ ok: true, value: { recordingDefaultFolder: `${state.userData}/Videos`, recordingFolder: null } });
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', 'app://other/index.html', '']) {
      const reply = await handler(appEvent(url));
      expect(reply).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
    }
  });

  it('validates payloads in main: a bad SID comes back as a typed error', async () => {
    const handler = state.ipcHandlers.get(ipcChannel('settings.update'))!;
    const reply = await handler(appEvent('app://studio/'), { accountSid: 'AC123' });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'ipc.invalid_payload',
        message: expect.any(String),
        details: { issues: [{ path: 'accountSid', messageKey: 'validation.accountSid' }] },
      },
    });
  });

  it('stores the API secret encrypted with safeStorage and never returns it', async () => {
    const { userData } = await bootMain();
    const secret = 'super-secret-value-123';
    const handler = state.ipcHandlers.get(ipcChannel('settings.update'))!;
    const reply = await handler(appEvent('app://studio/'), {
      apiKeySid: `SK${'a'.repeat(32)}`,
      apiSecret: secret,
    });
    expect(reply.ok).toBe(true);
    expect(JSON.stringify(reply)).not.toContain(secret);
    expect(reply.value.apiKeySidMasked).toBe('SK••••••••••••aaaa');
    const onDisk = readFileSync(join(userData, 'settings.json'), 'utf8');
    expect(onDisk).not.toContain(secret);
    expect(onDisk).toContain('apiSecret');
    // The event pushed to the window carries the same view, not the secret.
    const sent = state.windows[0]!.webContents.sent;
    expect(sent.at(-1)?.channel).toBe('onair:event:settings.changed');
    expect(JSON.stringify(sent)).not.toContain(secret);
  });

  it('refuses to store a secret when the only backend is basic_text', async () => {
    const { userData } = await bootMain({ storageBackend: 'basic_text' });
    const handler = state.ipcHandlers.get(ipcChannel('settings.update'))!;
    const reply = await handler(appEvent('app://studio/'), { apiSecret: 'would-be-weak-123', roomName: 'other' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'vault.unavailable', details: { reason: 'basic_text' } } });
    expect(existsSync(join(userData, 'settings.json')) && readFileSync(join(userData, 'settings.json'), 'utf8')).not.toContain('would-be-weak');
    const view = await state.ipcHandlers.get(ipcChannel('settings.get'))!(appEvent('app://studio/'));
    // Nothing of the refused patch was written.
    expect(view.value.roomName).toBe('myroom');
    expect(view.value.vault).toEqual({ available: false, backend: 'basic_text', persistent: true });
  });

  it('serves the renderer from app:// with a strict CSP and refuses to leave the renderer folder', async () => {
    expect(state.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const handle = state.protocolHandlers.get('app')!;
    const index = await handle(new Request('app://studio/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain('unsafe-inline');
    // out/renderer/../../package.json exists: without the guard these would answer 200.
    for (const path of ['..%2f..%2fpackage.json', '..%5c..%5cpackage.json', '%2e%2e%2f%2e%2e%2fpackage.json']) {
      const response = await handle(new Request(`app://studio/${path}`));
      expect(response.status, path).toBe(403);
    }
    // The URL parser itself collapses plain dot segments, so this one stays inside and is simply missing.
    const collapsed = await handle(new Request('app://studio/%2e%2e/%2e%2e/package.json'));
    expect(collapsed.status).toBe(404);
    expect((await handle(new Request('app://studio/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('grants camera, microphone and screen capture to the studio page only', () => {
    const request = state.permissionRequestHandler!;
    const decide = (permission: string, requestingUrl: string, mediaTypes: string[] = ['video', 'audio']) => {
      let granted: boolean | undefined;
      request({ getURL: () => requestingUrl }, permission, (answer: boolean) => (granted = answer), { requestingUrl, mediaTypes });
      return granted;
    };
    expect(decide('media', 'app://studio/index.html')).toBe(true);
    expect(decide('media', 'https://evil.example/')).toBe(false);
    expect(decide('geolocation', 'app://studio/index.html')).toBe(false);
    expect(decide('notifications', 'app://studio/index.html')).toBe(false);
    // Screen, window or tab capture with its audio (which source: src/main/shell/display-media.ts).
    expect(decide('display-capture', 'app://studio/index.html')).toBe(true);
    expect(decide('display-capture', 'app://studio/index.html', ['video'])).toBe(true);
    expect(decide('display-capture', 'https://evil.example/')).toBe(false);
    expect(decide('display-capture', 'app://other/index.html')).toBe(false);
    expect(decide('display-capture', 'app://studio/index.html', ['video', 'midi'])).toBe(false);
    expect(decide('window-management', 'app://studio/index.html')).toBe(false);
    expect(state.permissionCheckHandler!(null, 'media', 'app://studio')).toBe(true);
    expect(state.permissionCheckHandler!(null, 'media', 'https://evil.example')).toBe(false);
    expect(state.permissionCheckHandler!(null, 'display-capture', 'app://studio')).toBe(true);
    expect(state.permissionCheckHandler!(null, 'display-capture', 'https://evil.example')).toBe(false);
    expect(state.permissionCheckHandler!(null, 'geolocation', 'app://studio')).toBe(false);
  });

  it('keeps the window on the studio and sends https links to the browser', () => {
    const contents = state.windows[0]!.webContents;
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('app://studio/index.html#settings')).toBe(false);
    expect(navigate('https://www.twilio.com/docs')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    return new Promise<void>((done) =>
      setTimeout(() => {
        expect(state.openedExternally).toEqual(['https://www.twilio.com/docs', 'https://example.com/help']);
        done();
      }, 10),
    );
  });

  it('remembers the window size and position across launches', async () => {
    const { userData } = await bootMain();
    const first = state.windows[0]!;
    first.bounds = { x: 40, y: 60, width: 1400, height: 900 };
    first.emit('close');
    await bootMainBundle(MAIN_BUNDLE, { userData });
    expect(state.windows[0]!.options).toMatchObject({ x: 40, y: 60, width: 1400, height: 900 });
  });

  it('quits at once when another instance holds the lock', async () => {
    await bootMain({ singleInstanceLock: false });
    expect(state.calls).toContain('app.quit');
    expect(state.windows).toHaveLength(0);
    expect(state.ipcHandlers.size).toBe(0);
  });
});
