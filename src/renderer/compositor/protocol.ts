import type { Scene } from '../../shared/scenes';
import type { CompositorStats } from './frame-stats';
import type { Transition } from './renderer';

/** Messages to the worker compositor (render-worker.ts). */
export type ToRenderWorker =
  | { type: 'init'; width: number; height: number; fps: number; output: WritableStream<VideoFrame>; statsWindow?: number }
  /** A live source's frames (MediaStreamTrackProcessor's readable), or null when it stops. */
  | { type: 'source'; kind: 'camera' | 'screen'; frames: ReadableStream<VideoFrame> | null }
  | { type: 'program'; scene: Scene; transition: Transition }
  | { type: 'resize'; width: number; height: number; fps: number }
  | { type: 'stop' };

/** Messages from the worker compositor: its stats, about once a second. */
export type FromRenderWorker = { type: 'stats'; stats: CompositorStats };
