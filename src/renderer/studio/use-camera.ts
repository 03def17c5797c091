import { useCallback, useEffect, useRef, useState } from 'react';

export type CameraProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'other';
export type CameraState =
  | { status: 'starting' }
  | { status: 'ready'; stream: MediaStream; label: string }
  | { status: 'error'; problem: CameraProblem; name: string };

/** Maps getUserMedia's DOMException names to what the user can do about them. */
export function cameraProblemOf(error: unknown): { problem: CameraProblem; name: string } {
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

const CONSTRAINTS: MediaStreamConstraints = {
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  audio: false,
};

const canCapture = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

/** The live camera stream, released when the component goes away or a new attempt starts. */
export function useCamera() {
  const [state, setState] = useState<CameraState>(() =>
    canCapture() ? { status: 'starting' } : { status: 'error', problem: 'unsupported', name: 'NoMediaDevices' },
  );
  const [attempt, setAttempt] = useState(0);
  const streamRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (!canCapture()) return;
    let cancelled = false;
    navigator.mediaDevices.getUserMedia(CONSTRAINTS).then(
      (stream) => {
        if (cancelled) {
          stream.getTracks().forEach((track) => track.stop());
          return;
        }
        streamRef.current = stream;
        const track = stream.getVideoTracks()[0];
        track?.addEventListener('ended', () => setState({ status: 'error', problem: 'missing', name: 'TrackEnded' }));
        setState({ status: 'ready', stream, label: track?.label ?? '' });
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: 'error', ...cameraProblemOf(error) });
      },
    );
    return () => {
      cancelled = true;
      streamRef.current?.getTracks().forEach((track) => track.stop());
      streamRef.current = null;
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setState({ status: 'starting' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, retry };
}
