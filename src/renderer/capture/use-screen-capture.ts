import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureSource } from '../../shared/capture';
import type { ErrorCode } from '../../shared/errors';
import { asIpcError, unwrap } from '../ipc/client';
import { problemOfCode, type ScreenProblem, screenProblemOf } from './screen-problems';

export type ScreenCaptureState =
  | { status: 'idle' }
  /** The studio's own picker is open (desktop app); `sources` is null while they load. */
  | { status: 'choosing'; sources: CaptureSource[] | null; systemAudio: boolean }
  | { status: 'starting' }
  | { status: 'live'; label: string; hasAudio: boolean }
  | { status: 'error'; problem: ScreenProblem; name: string; code?: ErrorCode };

/** What the studio asks for: 30 fps, and the audio where the platform gives it (a Chrome tab, Windows system audio). */
export const DISPLAY_MEDIA_OPTIONS = {
  video: { frameRate: 30 },
  audio: true,
  // Chrome's own picker: never offer the studio's own tab (a hall of mirrors), do offer the system's audio.
  selfBrowserSurface: 'exclude',
  systemAudio: 'include',
} as DisplayMediaStreamOptions;

export interface ScreenCapture {
  state: ScreenCaptureState;
  stream: MediaStream | null;
  /** The shared screen's or tab's audio, for the mixer; null when none came with it. */
  audio: MediaStreamTrack | null;
  /** Opens the studio's picker (desktop app) or the browser's (harness). */
  start: () => void;
  /** The user's pick in the studio's picker. */
  choose: (id: string) => void;
  /** Closes the picker without sharing. */
  cancel: () => void;
  /** Ends the share (also when the user ends it from the system's own bar). */
  stop: () => void;
}

const stopTracks = (stream: MediaStream | null) => stream?.getTracks().forEach((track) => track.stop());

/**
 * One shared screen or window for the whole studio. In the desktop app the studio's picker lists
 * the sources main found (`capture.sources`), main is told the choice (`capture.choose`) and answers
 * the `getDisplayMedia` call with it; where main has no picker (`capture.unsupported`, the browser
 * harness) the browser's own picker asks.
 */
export function useScreenCapture(): ScreenCapture {
  const [state, setState] = useState<ScreenCaptureState>({ status: 'idle' });
  const [stream, setStream] = useState<MediaStream | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  /** Each start or stop bumps it; an answer for an older attempt is dropped. */
  const attempt = useRef(0);

  const release = useCallback(() => {
    stopTracks(streamRef.current);
    streamRef.current = null;
    setStream(null);
  }, []);

  const fail = useCallback((which: number, error: unknown) => {
    if (which !== attempt.current) return;
    setState({ status: 'error', ...screenProblemOf(error) });
  }, []);

  const capture = useCallback(
    (which: number) => {
      if (!navigator.mediaDevices?.getDisplayMedia) {
        setState({ status: 'error', problem: 'unsupported', name: 'NoGetDisplayMedia' });
        return;
      }
      setState({ status: 'starting' });
      navigator.mediaDevices.getDisplayMedia(DISPLAY_MEDIA_OPTIONS).then(
        (shared) => {
          if (which !== attempt.current) return stopTracks(shared);
          const video = shared.getVideoTracks()[0];
          if (!video) {
            stopTracks(shared);
            return setState({ status: 'error', problem: 'other', name: 'NoVideoTrack' });
          }
          // The system's "Stop sharing" (or a closed window) ends the share.
          video.addEventListener('ended', () => {
            if (which !== attempt.current) return;
            attempt.current++;
            release();
            setState({ status: 'idle' });
          });
          stopTracks(streamRef.current);
          streamRef.current = shared;
          setStream(shared);
          setState({ status: 'live', label: video.label ?? '', hasAudio: shared.getAudioTracks().length > 0 });
        },
        (error: unknown) => fail(which, error),
      );
    },
    [fail, release],
  );

  const start = useCallback(() => {
    const which = ++attempt.current;
    release();
    setState({ status: 'choosing', sources: null, systemAudio: false });
    unwrap(() => window.onair.capture.sources()).then(
      ({ sources, systemAudio }) => {
        if (which === attempt.current) setState({ status: 'choosing', sources, systemAudio });
      },
      (error: unknown) => {
        if (which !== attempt.current) return;
        const { code } = asIpcError(error);
        if (code === 'capture.unsupported') return capture(which);
        setState({ status: 'error', problem: problemOfCode(code) ?? 'other', name: code, code });
      },
    );
  }, [capture, release]);

  const choose = useCallback(
    (id: string) => {
      const which = attempt.current;
      setState({ status: 'starting' });
      unwrap(() => window.onair.capture.choose({ id })).then(
        () => {
          if (which === attempt.current) capture(which);
        },
        (error: unknown) => {
          if (which !== attempt.current) return;
          const { code } = asIpcError(error);
          setState({ status: 'error', problem: problemOfCode(code) ?? 'other', name: code, code });
        },
      );
    },
    [capture],
  );

  const stop = useCallback(() => {
    attempt.current++;
    release();
    setState({ status: 'idle' });
  }, [release]);

  useEffect(() => () => stopTracks(streamRef.current), []);

  return { state, stream, audio: stream?.getAudioTracks()[0] ?? null, start, choose, cancel: stop, stop };
}
