import { useEffect, useRef } from 'react';
import type { Scene } from '../../shared/scenes';
import { runClock } from './clock';
import { LIVE_KINDS, liveImages, type LiveSources } from './compositor';
import { Renderer } from './renderer';
import { acquireVideo, releaseVideo } from './source-video';

export interface ScenePreviewProps {
  scene: Scene;
  sources: LiveSources;
  /** The canvas's size in pixels (small: it is a preview). */
  width: number;
  height: number;
  /** Default 10: a preview needs no more. */
  fps?: number;
  /** Accessible name of the preview. */
  label?: string;
}

const CUT = { kind: 'cut', durationMs: 0 } as const;

/**
 * A small live rendering of a scene that is not on air (studio mode's preview pane): the same
 * drawing as the program, straight onto a visible canvas at low size and rate, on the page's own
 * timers (they slow down in a hidden window, where nobody sees the preview). The video elements
 * of the sources are shared with the program compositor.
 */
export function ScenePreview({ scene, sources, width, height, fps = 10, label }: ScenePreviewProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<Renderer | null>(null);
  const videos = useRef<Partial<Record<keyof LiveSources, HTMLVideoElement | null>>>({});

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || typeof OffscreenCanvas === 'undefined' || typeof VideoFrame === 'undefined') return;
    const renderer = new Renderer({
      canvas,
      width,
      height,
      output: null,
      live: () => liveImages(videos.current),
    });
    rendererRef.current = renderer;
    const stop = runClock(fps, ({ dueAt }) => renderer.frame(Math.round(dueAt * 1000)));
    return () => {
      stop();
      renderer.stop();
      rendererRef.current = null;
    };
  }, [width, height, fps]);

  useEffect(() => rendererRef.current?.setProgram(scene, CUT), [scene, width, height, fps]);

  const { camera, screen, guest0, guest1, guest2, guest3 } = sources;
  useEffect(() => {
    const held: LiveSources = { camera, screen, guest0, guest1, guest2, guest3 };
    const shown = videos.current;
    for (const kind of LIVE_KINDS) {
      const stream = held[kind];
      shown[kind] = stream ? acquireVideo(stream) : null;
    }
    return () => {
      for (const kind of LIVE_KINDS) {
        const stream = held[kind];
        if (stream) releaseVideo(stream);
        shown[kind] = null;
      }
    };
  }, [camera, screen, guest0, guest1, guest2, guest3]);

  return <canvas ref={canvasRef} className="scene-preview" width={width} height={height} role="img" aria-label={label ?? scene.name} data-testid="scene-preview" data-scene={scene.id} />;
}
