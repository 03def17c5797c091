import { describe, expect, it } from 'vitest';
import { CAPTURE_CHOICE_TTL_MS } from '../../src/shared/capture';
import { StudioError } from '../../src/shared/errors';
import { CaptureService } from '../../src/main/core/capture/capture-service';
import { desktopCapturer, fakeDesktopSource, resetFakeElectron, state } from '../support/fake-electron';

const APP = 'app://studio';
const fromApp = { securityOrigin: APP, frame: { url: 'app://studio/index.html' }, videoRequested: true, audioRequested: true };

function service(options: Partial<ConstructorParameters<typeof CaptureService>[0]> = {}) {
  resetFakeElectron({});
  let now = 1_000;
  const capture = new CaptureService({ desktopCapturer, platform: 'linux', appOrigin: APP, now: () => now, ...options });
  return { capture, advance: (ms: number) => (now += ms) };
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error instanceof StudioError ? error.code : 'not a StudioError';
  }
  return undefined;
}

describe('the capture service (the studio picker, main side)', () => {
  it('lists screens first, then windows, with PNG thumbnails and icons, asking for screens and windows with icons', async () => {
    const { capture } = service();
    state.desktopSources = [fakeDesktopSource('window:7:0', 'Editor', true), fakeDesktopSource('screen:1:0', 'Screen 2'), fakeDesktopSource('screen:0:0', 'Screen 1')];
    const { sources, systemAudio } = await capture.sources();
    expect(sources.map((source) => [source.id, source.kind])).toEqual([
      ['screen:1:0', 'screen'],
      ['screen:0:0', 'screen'],
      ['window:7:0', 'window'],
    ]);
    expect(sources[0]!.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(sources[0]!.icon).toBeNull();
    expect(sources[2]!.icon).toMatch(/^data:image\/png;base64,/);
    expect(systemAudio).toBe(false);
    expect(state.calls).toContainEqual(expect.stringContaining('"types":["screen","window"]'));
    expect(state.calls).toContainEqual(expect.stringContaining('"fetchWindowIcons":true'));
  });

  it('gives an empty thumbnail as null instead of an empty data URL', async () => {
    const { capture } = service();
    const source = fakeDesktopSource('window:9:0', 'Minimised');
    source.thumbnail = { isEmpty: () => true, toDataURL: () => 'data:image/png;base64,' };
    state.desktopSources = [source];
    expect((await capture.sources()).sources[0]!.thumbnail).toBeNull();
  });

  it('answers getDisplayMedia from the studio page with the chosen source, once', async () => {
    const { capture } = service();
    await capture.sources();
    expect(capture.choose('window:42:0')).toEqual({ id: 'window:42:0', name: 'Notes — draft.txt', kind: 'window' });
    expect(capture.answer(fromApp)).toEqual({ video: { id: 'window:42:0', name: 'Notes — draft.txt' } });
    // Taken: a second request without a new choice is refused.
    expect(capture.answer(fromApp)).toBeNull();
  });

  it('adds the system audio (loopback) on Windows when the page asks for audio', async () => {
    const { capture } = service({ platform: 'win32' });
    expect((await capture.sources()).systemAudio).toBe(true);
    capture.choose('screen:0:0');
    expect(capture.answer(fromApp)).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' }, audio: 'loopback' });
    capture.choose('screen:0:0');
    expect(capture.answer({ ...fromApp, audioRequested: false })).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' } });
  });

  it('refuses other pages, requests without a choice and stale choices', async () => {
    const { capture, advance } = service();
    await capture.sources();
    expect(capture.answer(fromApp)).toBeNull();
    for (const request of [
      { ...fromApp, securityOrigin: 'https://evil.example' },
      { ...fromApp, frame: { url: 'https://evil.example/' } },
      { ...fromApp, frame: null },
      { ...fromApp, securityOrigin: 'app://other' },
    ]) {
      capture.choose('screen:0:0');
      expect(capture.answer(request), JSON.stringify(request)).toBeNull();
    }
    capture.choose('screen:0:0');
    advance(CAPTURE_CHOICE_TTL_MS + 1);
    expect(capture.answer(fromApp)).toBeNull();
  });

  it('only accepts a source from the last list', async () => {
    const { capture } = service();
    expect(await codeOf(() => capture.choose('screen:0:0'))).toBe('capture.source_unknown');
    await capture.sources();
    expect(await codeOf(() => capture.choose('screen:9:9'))).toBe('capture.source_unknown');
  });

  it('says unsupported without a desktop capturer (browser harness, CLI)', async () => {
    const capture = new CaptureService({ platform: 'linux', appOrigin: APP });
    expect(await codeOf(capture.sources())).toBe('capture.unsupported');
  });

  it('on macOS says how to allow Screen Recording when the system refused it, and does not list', async () => {
    for (const status of ['denied', 'restricted'] as const) {
      const { capture } = service({ platform: 'darwin', screenAccess: () => status });
      const error = await capture.sources().catch((caught: unknown) => caught as StudioError);
      expect(error).toMatchObject({ code: 'capture.screen_denied', details: { reason: status } });
      expect((error as StudioError).message).toContain('Privacy & Security → Screen Recording');
      expect(state.calls.some((call) => call.startsWith('desktopCapturer.getSources'))).toBe(false);
    }
    // Not asked yet: listing lets macOS ask the user.
    const { capture } = service({ platform: 'darwin', screenAccess: () => 'not-determined' });
    expect((await capture.sources()).sources).toHaveLength(2);
  });

  it('turns a failing desktop capturer into capture.failed', async () => {
    const failing = { getSources: async () => Promise.reject(new Error('boom')) };
    const capture = new CaptureService({ desktopCapturer: failing, platform: 'win32', appOrigin: APP });
    expect(await codeOf(capture.sources())).toBe('capture.failed');
  });
});
