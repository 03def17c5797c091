import type { Scene } from '../../shared/scenes';
import { startFrameClock } from './clock';
import { type CompositorStats, NO_STATS } from './frame-stats';
import type { FromRenderWorker, ToRenderWorker } from './protocol';
import { Renderer, type Transition } from './renderer';
import type { LiveImages } from './draw-scene';
import { acquireVideo, releaseVideo, videoImage } from './source-video';

/**
 * Where the program is drawn: `main` — canvas 2D on the page's thread from video elements, on a
 * worker's timer (the default: fastest here, see README "Compositor"); `worker` — canvas 2D on an
 * OffscreenCanvas in a worker from VideoFrames (MediaStreamTrackProcessor), the page's thread
 * untouched.
 */
export type CompositorEngine = 'main' | 'worker';

export interface LiveSources {
  camera: MediaStream | null;
  screen: MediaStream | null;
  /** Guests on stage, by stage slot (scenes' guest sources draw them). */
  guest0?: MediaStream | null;
  guest1?: MediaStream | null;
  guest2?: MediaStream | null;
  guest3?: MediaStream | null;
}

export interface CompositorOptions {
  width: number;
  height: number;
  fps: number;
  engine?: CompositorEngine;
  /** Frames the stats' median and p95 are taken over (default 300: 10 s at 30 fps). */
  statsWindow?: number;
}

type Kind = keyof LiveSources;
export const LIVE_KINDS: Kind[] = ['camera', 'screen', 'guest0', 'guest1', 'guest2', 'guest3'];
const KINDS = LIVE_KINDS;
const noSources = (): Record<Kind, null> => ({ camera: null, screen: null, guest0: null, guest1: null, guest2: null, guest3: null });

/** Chromium's MediaStreamTrackGenerator / MediaStreamTrackProcessor (not in the DOM typings). */
type TrackGenerator = MediaStreamTrack & { writable: WritableStream<VideoFrame> };
type Breakout = {
  MediaStreamTrackGenerator?: new (init: { kind: 'video' }) => TrackGenerator;
  MediaStreamTrackProcessor?: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };
};
const breakout = () => globalThis as unknown as Breakout;

/** The current picture of each source's shared video element. */
export function liveImages(videos: Partial<Record<Kind, HTMLVideoElement | null>>): LiveImages {
  const images: LiveImages = { camera: null, screen: null };
  for (const kind of KINDS) images[kind] = videoImage(videos[kind] ?? null);
  return images;
}

/** Whether this browser can run the compositor (Chromium: a track made of VideoFrames, OffscreenCanvas). */
export function compositorSupported(engine: CompositorEngine = 'main'): boolean {
  const api = breakout();
  if (!api.MediaStreamTrackGenerator || typeof VideoFrame === 'undefined' || typeof OffscreenCanvas === 'undefined') return false;
  return engine === 'main' || (!!api.MediaStreamTrackProcessor && typeof Worker !== 'undefined');
}

/**
 * The program compositor: draws the program scene from the live sources at the output size and
 * rate into one video track (`track`), which stays the same for the compositor's life — scene
 * switches, source changes and resizes happen inside it, so the encoder downstream never restarts.
 */
export class Compositor {
  readonly track: MediaStreamTrack;
  private readonly engine: CompositorEngine;
  private latestStats: CompositorStats = NO_STATS;
  private sources: LiveSources = noSources();
  private disposed = false;
  // engine `main`
  private renderer: Renderer | null = null;
  private videos: Record<Kind, HTMLVideoElement | null> = noSources();
  private stopClock: (() => void) | null = null;
  // engine `worker`
  private worker: Worker | null = null;
  private clones: Record<Kind, MediaStreamTrack | null> = noSources();

  constructor(private readonly options: CompositorOptions) {
    this.engine = options.engine ?? 'main';
    if (!compositorSupported(this.engine)) throw new Error('compositor unsupported');
    const generator = new (breakout().MediaStreamTrackGenerator!)({ kind: 'video' });
    this.track = generator;
    if (this.engine === 'worker') {
      this.worker = new Worker(new URL('./render-worker.ts', import.meta.url), { type: 'module', name: 'onair-compositor' });
      this.worker.onmessage = (event: MessageEvent<FromRenderWorker>) => this.report(event.data.stats);
      this.send({ type: 'init', width: options.width, height: options.height, fps: options.fps, output: generator.writable, statsWindow: options.statsWindow }, [generator.writable]);
    } else {
      this.renderer = new Renderer({
        canvas: new OffscreenCanvas(options.width, options.height),
        width: options.width,
        height: options.height,
        output: generator.writable,
        statsWindow: options.statsWindow,
        live: () => liveImages(this.videos),
      });
      this.startClock(options.fps);
    }
  }

  private send(message: ToRenderWorker, transfer: Transferable[] = []) {
    this.worker?.postMessage(message, transfer);
  }

  private report(stats: CompositorStats) {
    this.latestStats = stats;
  }

  private startClock(fps: number) {
    this.stopClock?.();
    let frames = 0;
    this.stopClock = startFrameClock(fps, ({ missed, dueAt, late }) => {
      const renderer = this.renderer!;
      renderer.missed(missed + (late ? 1 : 0));
      if (!late) renderer.frame(Math.round(dueAt * 1000));
      if (++frames % fps === 0) this.report(renderer.snapshot());
    });
  }

  /** The live sources: a changed stream replaces that source only. */
  setSources(sources: LiveSources): void {
    if (this.disposed) return;
    for (const kind of KINDS) {
      const stream = sources[kind] ?? null;
      if (stream === (this.sources[kind] ?? null)) continue;
      this.detach(kind);
      this.sources[kind] = stream;
      if (stream) this.attach(kind, stream);
    }
  }

  private attach(kind: Kind, stream: MediaStream) {
    if (this.engine === 'main') {
      this.videos[kind] = acquireVideo(stream);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    const clone = track.clone();
    this.clones[kind] = clone;
    const { readable } = new (breakout().MediaStreamTrackProcessor!)({ track: clone, maxBufferSize: 1 });
    this.send({ type: 'source', kind, frames: readable }, [readable]);
  }

  private detach(kind: Kind) {
    const stream = this.sources[kind];
    if (!stream) return;
    this.sources[kind] = null;
    if (this.engine === 'main') {
      releaseVideo(stream);
      this.videos[kind] = null;
      return;
    }
    this.send({ type: 'source', kind, frames: null });
    this.clones[kind]?.stop();
    this.clones[kind] = null;
  }

  /** The scene on air; another scene id cuts or fades to it (see Renderer). */
  setProgram(scene: Scene, transition: Transition): void {
    if (this.disposed) return;
    if (this.renderer) this.renderer.setProgram(scene, transition);
    else this.send({ type: 'program', scene, transition });
  }

  /** A new output size or rate; the track stays the same. */
  resize(width: number, height: number, fps: number): void {
    if (this.disposed) return;
    if (this.renderer) {
      this.renderer.resize(width, height);
      if (fps !== this.options.fps) this.startClock(fps);
    } else {
      this.send({ type: 'resize', width, height, fps });
    }
    this.options.width = width;
    this.options.height = height;
    this.options.fps = fps;
  }

  /** The latest stats (the main engine's are current; the worker's are about a second old). */
  stats(): CompositorStats {
    return this.renderer ? this.renderer.snapshot() : this.latestStats;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const kind of KINDS) this.detach(kind);
    this.disposed = true;
    this.stopClock?.();
    this.renderer?.stop();
    this.send({ type: 'stop' });
    this.track.stop();
  }
}
