import type { Scene } from '../../shared/scenes';
import { ImageCache, TextCache } from './assets';
import { type Context2D, drawScene, type LiveImages } from './draw-scene';
import { type CompositorStats, FrameStats } from './frame-stats';

export interface Transition {
  kind: 'cut' | 'fade';
  durationMs: number;
}

export interface RendererOptions {
  /** What is drawn on: an OffscreenCanvas (program), or the preview's visible canvas. */
  canvas: OffscreenCanvas | HTMLCanvasElement;
  width: number;
  height: number;
  /** Where each program frame goes (a MediaStreamTrackGenerator's writable), or null (the canvas is the output). */
  output: WritableStream<VideoFrame> | null;
  /** The live sources' current pictures, asked at each frame. */
  live: () => LiveImages;
  /** Frames the stats' median and p95 are taken over (default 300). */
  statsWindow?: number;
}

interface Fade {
  from: Scene;
  start: number;
  durationMs: number;
}

/** The canvas's 2D context: opaque (the program has no alpha), so drawing skips blending with what is behind. */
function context2d(canvas: OffscreenCanvas | HTMLCanvasElement): Context2D {
  const ctx = canvas.getContext('2d', { alpha: false }) as Context2D | null;
  if (!ctx) throw new Error('no 2D context');
  return ctx;
}

/**
 * Draws the program scene, one frame per `frame()` call (a clock calls it at the output rate,
 * see clock.ts) and counts the frames the clock had to skip (`missed`). On a scene change it
 * cuts, or cross-fades from the previous scene over the transition's duration (the new scene is
 * drawn on a layer and laid over the old one with the fade's opacity, so a mid-fade pixel is the
 * mix of the two). Each drawn frame becomes a VideoFrame written to `output`.
 */
export class Renderer {
  private readonly ctx: Context2D;
  private layer: OffscreenCanvas | null = null;
  private readonly assets = { images: new ImageCache(), texts: new TextCache() };
  private readonly stats: FrameStats;
  private readonly writer: WritableStreamDefaultWriter<VideoFrame> | null;
  private program: Scene | null = null;
  private fade: Fade | null = null;
  private width: number;
  private height: number;
  private stopped = false;

  constructor(private readonly options: RendererOptions) {
    this.width = options.width;
    this.height = options.height;
    options.canvas.width = options.width;
    options.canvas.height = options.height;
    this.ctx = context2d(options.canvas);
    this.stats = new FrameStats(options.statsWindow);
    this.writer = options.output?.getWriter() ?? null;
  }

  /** The scene on air; a different scene id starts the transition from the current one. */
  setProgram(scene: Scene, transition: Transition, now = performance.now()): void {
    const previous = this.program;
    this.program = scene;
    if (previous && previous.id !== scene.id && transition.kind === 'fade' && transition.durationMs > 0) {
      // A switch during a fade fades from what was fading in.
      this.fade = { from: previous, start: now, durationMs: transition.durationMs };
    } else if (previous?.id !== scene.id) {
      this.fade = null;
    }
    this.assets.images.keep([...scene.items, ...(this.fade?.from.items ?? [])]);
    this.assets.texts.keep([...scene.items, ...(this.fade?.from.items ?? [])]);
  }

  /** A new output size, in place: the output track stays the same. */
  resize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.options.canvas.width = width;
    this.options.canvas.height = height;
    this.layer = null;
  }

  /** Output frames the clock could not ask for in time (counted as dropped). */
  missed(count: number): void {
    if (count > 0) this.stats.dropped(count);
  }

  /** Draws the frame due at `timestampUs` (µs) and sends it on; `now` is the fade's clock (ms, performance.now). */
  frame(timestampUs: number, now = performance.now()): void {
    if (this.stopped || !this.program) return;
    // The consumer has not taken the previous frame: this one is dropped rather than queued.
    if (this.writer && this.writer.desiredSize !== null && this.writer.desiredSize <= 0) {
      this.stats.dropped();
      return;
    }
    const started = performance.now();
    this.draw(now);
    if (this.writer) {
      const frame = new VideoFrame(this.options.canvas, { timestamp: timestampUs });
      // The generator takes the frame and closes it once written.
      this.writer.write(frame).catch(() => {
        frame.close();
        this.stop();
      });
    }
    this.stats.drawn(performance.now() - started);
  }

  private draw(now: number): void {
    const program = this.program!;
    const live = this.options.live();
    const { width, height } = this;
    const fade = this.fade;
    const progress = fade ? (now - fade.start) / fade.durationMs : 1;
    if (!fade || progress >= 1) {
      this.fade = null;
      drawScene(this.ctx, program, live, this.assets, width, height);
      return;
    }
    drawScene(this.ctx, fade.from, live, this.assets, width, height);
    this.layer ??= new OffscreenCanvas(width, height);
    const layerCtx = context2d(this.layer);
    drawScene(layerCtx, program, live, this.assets, width, height);
    this.ctx.globalAlpha = Math.max(0, progress);
    this.ctx.drawImage(this.layer, 0, 0);
    this.ctx.globalAlpha = 1;
  }

  snapshot(): CompositorStats {
    return this.stats.snapshot();
  }

  /** Every image of the scenes on air is decoded. */
  get imagesReady(): boolean {
    return this.assets.images.settled;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.assets.images.clear();
    void this.writer?.close().catch(() => {});
  }
}
