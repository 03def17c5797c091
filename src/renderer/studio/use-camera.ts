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

/** The live camera stream, released when the component goes away. */
export function useCamera() {
  const [state, setState] = useState<CameraState>({ status: 'starting' });
  const streamRef = useRef<MediaStream | null>(null);

  const release = () => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
  };

  const start = useCallback(async () => {
    release();
    setState({ status: 'starting' });
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ status: 'error', problem: 'unsupported', name: 'NoMediaDevices' });
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
        audio: false,
      });
      streamRef.current = stream;
      const track = stream.getVideoTracks()[0];
      track?.addEventListener('ended', () => setState({ status: 'error', problem: 'missing', name: 'TrackEnded' }));
      setState({ status: 'ready', stream, label: track?.label ?? '' });
    } catch (error) {
      setState({ status: 'error', ...cameraProblemOf(error) });
    }
  }, []);

  useEffect(() => {
    void start();
    return release;
  }, [start]);

  return { state, retry: start };
}
