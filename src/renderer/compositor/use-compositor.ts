import { useEffect, useRef, useState } from 'react';
import type { Scene } from '../../shared/scenes';
import { Compositor, type CompositorEngine, compositorSupported, type LiveSources } from './compositor';
import type { Transition } from './renderer';

export interface UseCompositorOptions {
  /** The scene on air. A new `program.id` cuts or fades to it; the same id with other items just redraws. */
  program: Scene;
  transition: Transition;
  sources: LiveSources;
  width: number;
  height: number;
  fps: number;
  /** Where it draws (default `main`, see Compositor). */
  engine?: CompositorEngine;
}

export interface CompositorHandle {
  /** The program video: the same track for the hook's life (scene switches, sources and sizes change inside it); null where unsupported. */
  track: MediaStreamTrack | null;
  /** `track` in a MediaStream, for a `<video>` (the program preview). */
  stream: MediaStream | null;
  /** This browser cannot compose (no MediaStreamTrackGenerator): show the camera as it is. */
  unsupported: boolean;
}

/**
 * The program compositor as a hook: one Compositor (and one output track) from mount to
 * unmount, fed the program scene, transition, live sources and output size as they change.
 * The compositor's own stats (`Compositor.stats()`) stay out of React state: a report each second would
 * re-render the whole studio, and nothing on screen shows them.
 */
export function useCompositor({ program, transition, sources, width, height, fps, engine = 'main' }: UseCompositorOptions): CompositorHandle {
  const [made, setMade] = useState<{ compositor: Compositor; stream: MediaStream } | null>(null);
  const size = useRef({ width, height, fps });
  useEffect(() => {
    size.current = { width, height, fps };
  });
  const unsupported = !compositorSupported(engine);

  useEffect(() => {
    if (unsupported) return;
    const { width: w, height: h, fps: f } = size.current;
    const compositor = new Compositor({ width: w, height: h, fps: f, engine });
    const stream = new MediaStream([compositor.track]);
    // Published from the next task on (like the program feed's start), so a StrictMode remount never sees the disposed one.
    let alive = true;
    const published = setTimeout(() => alive && setMade({ compositor, stream }), 0);
    return () => {
      alive = false;
      clearTimeout(published);
      compositor.dispose();
      setMade(null);
    };
  }, [engine, unsupported]);

  const compositor = made?.compositor ?? null;
  useEffect(() => compositor?.resize(width, height, fps), [compositor, width, height, fps]);
  const { camera, screen, guest0, guest1, guest2, guest3 } = sources;
  useEffect(() => compositor?.setSources({ camera, screen, guest0, guest1, guest2, guest3 }), [compositor, camera, screen, guest0, guest1, guest2, guest3]);
  const { kind, durationMs } = transition;
  useEffect(() => compositor?.setProgram(program, { kind, durationMs }), [compositor, program, kind, durationMs]);

  return { track: compositor?.track ?? null, stream: made?.stream ?? null, unsupported };
}
