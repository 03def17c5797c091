import type { Scene } from '../../shared/scenes';
import type { CompositorStats } from './frame-stats';
import type { Transition } from './renderer';

/** The live sources the compositor draws: camera, screen and the guests on stage by slot. */
export type LiveKind = 'camera' | 'screen' | 'guest0' | 'guest1' | 'guest2' | 'guest3';

/** Messages to the worker compositor (render-worker.ts). */
export type ToRenderWorker =
  | { type: 'init'; width: number; height: number; fps: number; output: WritableStream<VideoFrame>; statsWindow?: number }
  /** A live source's frames (MediaStreamTrackProcessor's readable), or null when it stops. */
  | { type: 'source'; kind: LiveKind; frames: ReadableStream<VideoFrame> | null }
  | { type: 'program'; scene: Scene; transition: Transition }
  | { type: 'resize'; width: number; height: number; fps: number }
  | { type: 'stop' };

/** Messages from the worker compositor: its stats, about once a second. */
export type FromRenderWorker = { type: 'stats'; stats: CompositorStats };
