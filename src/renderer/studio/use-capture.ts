import { useCallback, useEffect, useRef, useState } from 'react';
import { RESOLUTIONS, type ResolutionId } from './preferences';

export type CaptureProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'other';
export type CaptureState =
  | { status: 'starting' }
  | {
      status: 'ready';
      stream: MediaStream;
      track: MediaStreamTrack;
      label: string;
      width?: number;
      height?: number;
      /** The chosen device was gone, so the system default was used instead. */
      fellBack: boolean;
    }
  | { status: 'error'; problem: CaptureProblem; name: string };

/** Maps getUserMedia's DOMException names to what the user can do about them. */
export function captureProblemOf(error: unknown): { problem: CaptureProblem; name: string } {
  const name = error instanceof DOMException || error instanceof Error ? error.name : 'Error';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { problem: 'denied', name };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { problem: 'missing', name };
    case 'NotReadableError':
    case 'AbortError':
      return { problem: 'busy', name };
    default:
      return { problem: 'other', name };
  }
}

const canCapture = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

export function constraintsFor(kind: 'video' | 'audio', deviceId: string, resolution: ResolutionId): MediaStreamConstraints {
  const device = deviceId ? { deviceId: { exact: deviceId } } : {};
  if (kind === 'audio') {
    return { audio: { ...device, echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false };
  }
  const { width, height } = RESOLUTIONS[resolution];
  return { video: { ...device, width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 30 } }, audio: false };
}

/**
 * One captured device (camera or microphone), restarted when the chosen device or
 * resolution changes, released on unmount. Camera and microphone are separate
 * streams, so a missing microphone never costs the picture. A remembered device
 * that is gone falls back to the system default (`fellBack`).
 */
export function useCapture(kind: 'video' | 'audio', deviceId: string, resolution: ResolutionId = '720p') {
  const [attempt, setAttempt] = useState(0);
  const request = `${kind}|${deviceId}|${resolution}|${attempt}`;
  const [result, setResult] = useState<{ request: string; state: CaptureState } | null>(null);
  const streamRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (!canCapture()) return;
    let cancelled = false;
    const settle = (state: CaptureState) => {
      if (!cancelled) setResult({ request, state });
    };
    const open = (id: string) => navigator.mediaDevices.getUserMedia(constraintsFor(kind, id, resolution));
    const gone = (error: unknown) => ['OverconstrainedError', 'NotFoundError'].includes(captureProblemOf(error).name);
    open(deviceId)
      .then(
        (stream) => ({ stream, fellBack: false }),
        (error: unknown) => (deviceId && gone(error) ? open('').then((stream) => ({ stream, fellBack: true })) : Promise.reject(error)),
      )
      .then(
        ({ stream, fellBack }) => {
          if (cancelled) {
            stream.getTracks().forEach((track) => track.stop());
            return;
          }
          streamRef.current = stream;
          const track = (kind === 'video' ? stream.getVideoTracks() : stream.getAudioTracks())[0];
          if (!track) return settle({ status: 'error', problem: 'missing', name: 'NoTrack' });
          track.addEventListener('ended', () => settle({ status: 'error', problem: 'missing', name: 'TrackEnded' }));
          const settings = typeof track.getSettings === 'function' ? track.getSettings() : {};
          settle({ status: 'ready', stream, track, label: track.label ?? '', width: settings.width, height: settings.height, fellBack });
        },
        (error: unknown) => settle({ status: 'error', ...captureProblemOf(error) }),
      );
    return () => {
      cancelled = true;
      streamRef.current?.getTracks().forEach((track) => track.stop());
      streamRef.current = null;
    };
  }, [kind, deviceId, resolution, attempt, request]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const state: CaptureState = !canCapture()
    ? { status: 'error', problem: 'unsupported', name: 'NoMediaDevices' }
    : result?.request === request
      ? result.state
      : { status: 'starting' };
  return { state, retry };
}
