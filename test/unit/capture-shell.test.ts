import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '../../src/shared/contract';
import { bootMainBundle } from '../support/boot-main';
import { state } from '../support/fake-electron';
import { scratchDir } from '../support/scratch';

vi.mock('electron', async () => {
  const fake = await import('../support/fake-electron');
  return { ...fake.electronModule, default: fake.electronModule };
});

const MAIN_BUNDLE = resolve('out/main/index.js');
const appEvent = (url: string) => ({ senderFrame: { url } });
const call = (channel: 'capture.sources' | 'capture.choose', payload?: unknown, url = 'app://studio/index.html') =>
  state.ipcHandlers.get(ipcChannel(channel))!(appEvent(url), payload);

/** Electron's display-media request as the built shell receives it; resolves with what the handler answered. */
function requestDisplayMedia(securityOrigin: string, frameUrl: string | null, audioRequested = true): Promise<unknown> {
  return new Promise((answer) =>
    state.displayMediaRequestHandler!({ securityOrigin, frame: frameUrl === null ? null : { url: frameUrl }, videoRequested: true, audioRequested, userGesture: true }, answer),
  );
}

describe('screen capture in the built main bundle (fake electron)', () => {
  beforeAll(() => {
    expect(existsSync(MAIN_BUNDLE), 'run `npm run build` first').toBe(true);
  });

  beforeEach(async () => {
    await bootMainBundle(MAIN_BUNDLE, { userData: scratchDir('capture-shell') });
  });

  it('lists the desktop sources over IPC, then answers the page getDisplayMedia with the chosen one', async () => {
    expect(state.displayMediaRequestHandler).toBeTypeOf('function');
    const listed = await call('capture.sources');
    expect(listed).toMatchObject({ ok: true, value: { systemAudio: process.platform === 'win32' } });
    expect(listed.value.sources.map((source: { id: string; kind: string }) => `${source.kind} ${source.id}`)).toEqual(['screen screen:0:0', 'window window:42:0']);
    expect(await call('capture.choose', { id: 'window:42:0' })).toEqual({ ok: true, value: { id: 'window:42:0', name: 'Notes — draft.txt', kind: 'window' } });
    const answer = await requestDisplayMedia('app://studio', 'app://studio/index.html');
    expect(answer).toMatchObject({ video: { id: 'window:42:0', name: 'Notes — draft.txt' } });
    // One choice, one capture.
    expect(await requestDisplayMedia('app://studio', 'app://studio/index.html')).toBeNull();
  });

  it('refuses getDisplayMedia from any other page, even after a choice', async () => {
    await call('capture.sources');
    for (const [origin, url] of [
      ['https://evil.example', 'https://evil.example/'],
      ['app://studio', 'https://evil.example/'],
      ['file://', 'file:///tmp/index.html'],
      ['app://studio', null],
    ] as const) {
      await call('capture.choose', { id: 'screen:0:0' });
      expect(await requestDisplayMedia(origin, url), `${origin} ${url}`).toBeNull();
    }
  });

  it('refuses the capture channels to untrusted senders and unknown ids', async () => {
    expect(await call('capture.sources', undefined, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
    await call('capture.sources');
    expect(await call('capture.choose', { id: 'screen:7:7' })).toMatchObject({ ok: false, error: { code: 'capture.source_unknown' } });
    expect(await call('capture.choose', { id: '' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
  });
});
