import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScreenShareButton } from '../../src/renderer/capture/ScreenShareButton';
import { DISPLAY_MEDIA_OPTIONS, useScreenCapture } from '../../src/renderer/capture/use-screen-capture';
import type { CaptureSource } from '../../src/shared/capture';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const SOURCES: CaptureSource[] = [
  { id: 'screen:0:0', name: 'Screen 1', kind: 'screen', thumbnail: PNG, icon: null },
  { id: 'screen:1:0', name: 'Screen 2', kind: 'screen', thumbnail: null, icon: null },
  { id: 'window:42:0', name: 'Slides — talk.key', kind: 'window', thumbnail: PNG, icon: PNG },
];

/** A fake display capture: one video track (ends on demand), audio when asked; or the error the test sets. */
function installFakeDisplayMedia() {
  const calls: DisplayMediaStreamOptions[] = [];
  const stopped: string[] = [];
  let fail: DOMException | null = null;
  let withAudio = false;
  const track = (kind: 'video' | 'audio', label: string) =>
    Object.assign(new EventTarget(), {
      kind,
      label,
      readyState: 'live',
      stop() {
        stopped.push(kind);
      },
    });
  let video = track('video', 'screen:0:0');
  const fake = {
    getDisplayMedia: async (options: DisplayMediaStreamOptions) => {
      calls.push(options);
      if (fail) throw fail;
      video = track('video', 'Slides — talk.key');
      const tracks = withAudio ? [video, track('audio', 'System audio')] : [video];
      return { getTracks: () => tracks, getVideoTracks: () => [video], getAudioTracks: () => tracks.filter((t) => t.kind === 'audio') };
    },
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: fake, configurable: true });
  return {
    calls,
    stopped,
    failWith: (error: DOMException | null) => (fail = error),
    audio: (on: boolean) => (withAudio = on),
    endVideo: () => video.dispatchEvent(new Event('ended')),
  };
}

function Harness() {
  const capture = useScreenCapture();
  return (
    <>
      <ScreenShareButton capture={capture} />
      <output data-testid="has-stream">{capture.stream ? 'stream' : 'none'}</output>
      <output data-testid="has-audio">{capture.audio ? 'audio' : 'none'}</output>
    </>
  );
}

const share = () => screen.getByTestId('screen-share');
const setPlatform = (platform: string) => Object.defineProperty(navigator, 'platform', { value: platform, configurable: true });

beforeEach(async () => {
  await setupTestI18n('en');
  setPlatform('Linux x86_64');
});
afterEach(cleanup);

describe('screen sharing', () => {
  it('desktop app: the studio picker lists screens then windows; the pick goes to main, then getDisplayMedia', async () => {
    const media = installFakeDisplayMedia();
    const fake = installFakeOnair({
      'capture.sources': async () => ({ sources: SOURCES, systemAudio: false }),
      'capture.choose': async (request) => ({ ...(request as { id: string }), name: 'Slides — talk.key', kind: 'window' }),
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose what to share' });
    const tiles = [...dialog.querySelectorAll<HTMLButtonElement>('button.screen-source')];
    expect(tiles.map((tile) => tile.textContent)).toEqual(['Screen 1', 'Screen 2', 'Slides — talk.key']);
    expect(screen.getByRole('region', { name: 'Screens' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Windows' })).toBeTruthy();
    expect(tiles[0]!.querySelector('img')?.getAttribute('src')).toBe(PNG);
    // Keyboard: the first tile gets focus (the dialog moves it in an effect, after it is shown), the arrows move it (wrapping).
    await waitFor(() => expect(document.activeElement).toBe(tiles[0]));
    fireEvent.keyDown(tiles[0]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tiles[1]);
    fireEvent.keyDown(tiles[1]!, { key: 'ArrowLeft' });
    fireEvent.keyDown(tiles[0]!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(tiles[2]);
    fireEvent.click(tiles[2]!);
    await waitFor(() => expect(share().getAttribute('data-state')).toBe('live'));
    expect(fake.calls.filter((call) => call.channel.startsWith('capture.'))).toEqual([
      { channel: 'capture.sources', request: undefined },
      { channel: 'capture.choose', request: { id: 'window:42:0' } },
    ]);
    expect(media.calls).toEqual([DISPLAY_MEDIA_OPTIONS]);
    expect(DISPLAY_MEDIA_OPTIONS).toMatchObject({ video: { frameRate: 30 }, audio: true });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(share().textContent).toContain('Sharing: Slides — talk.key');
    expect(share().textContent).toContain('No sound comes with this share');
    expect(screen.getByTestId('has-stream').textContent).toBe('stream');
    fireEvent.click(screen.getByRole('button', { name: 'Stop sharing' }));
    expect(share().getAttribute('data-state')).toBe('idle');
    expect(media.stopped).toEqual(['video']);
    expect(screen.getByTestId('has-stream').textContent).toBe('none');
  });

  it('Escape closes the picker without sharing', async () => {
    const media = installFakeDisplayMedia();
    const fake = installFakeOnair({ 'capture.sources': async () => ({ sources: SOURCES, systemAudio: true }) });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('The computer’s sound is shared with it.');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(share().getAttribute('data-state')).toBe('idle');
    expect(fake.calls.map((call) => call.channel)).toEqual(['capture.sources']);
    expect(media.calls).toEqual([]);
  });

  it('browser harness: main has no picker, so the browser asks; the audio comes along; the system bar ending it ends the share', async () => {
    const media = installFakeDisplayMedia();
    media.audio(true);
    installFakeOnair({
      'capture.sources': async () => {
        throw { code: 'capture.unsupported', message: 'no picker' };
      },
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    await waitFor(() => expect(share().getAttribute('data-state')).toBe('live'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(media.calls).toHaveLength(1);
    expect(screen.getByTestId('has-audio').textContent).toBe('audio');
    expect(share().textContent).toContain('Its sound goes to the mixer');
    act(() => media.endVideo());
    expect(share().getAttribute('data-state')).toBe('idle');
    expect(media.stopped.sort()).toEqual(['audio', 'video']);
  });

  it('tells a cancelled picker from a refusal by macOS, and says how to allow Screen Recording', async () => {
    const media = installFakeDisplayMedia();
    installFakeOnair({
      'capture.sources': async () => {
        throw { code: 'capture.unsupported', message: 'no picker' };
      },
    });
    render(<Harness />);
    media.failWith(new DOMException('Permission denied', 'NotAllowedError'));
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Screen sharing was cancelled or not allowed.');
    setPlatform('MacIntel');
    media.failWith(new DOMException('Permission denied by system', 'NotAllowedError'));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('System Settings → Privacy & Security → Screen Recording'));
    expect(screen.getByRole('alert').textContent).toContain('quit and reopen the app');
    media.failWith(new DOMException('Could not start video source', 'NotReadableError'));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That screen or window could not be captured. Try another one.'));
  });

  it('main refusing on macOS (Screen Recording off) is said in Japanese too', async () => {
    await setupTestI18n('ja');
    installFakeDisplayMedia();
    installFakeOnair({
      'capture.sources': async () => {
        throw { code: 'capture.screen_denied', message: 'macOS refused', details: { reason: 'denied' } };
      },
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: '画面を共有' }));
    expect((await screen.findByRole('alert')).textContent).toContain('システム設定 → プライバシーとセキュリティ → 画面収録');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a source gone before the pick reaches main says choose again', async () => {
    const media = installFakeDisplayMedia();
    installFakeOnair({
      'capture.sources': async () => ({ sources: SOURCES, systemAudio: false }),
      'capture.choose': async () => {
        throw { code: 'capture.source_unknown', message: 'gone' };
      },
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    fireEvent.click((await screen.findAllByTestId('screen-source'))[1]!);
    expect((await screen.findByRole('alert')).textContent).toBe('That screen or window is no longer there. Choose again.');
    expect(media.calls).toEqual([]);
  });
});
