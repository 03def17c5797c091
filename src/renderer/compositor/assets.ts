import type { SceneItem } from '../../shared/scenes';
import { layoutText } from './layout';

type ImageItem = Extract<SceneItem, { kind: 'image' }>;
type TextItem = Extract<SceneItem, { kind: 'text' }>;

/** A data URL's bytes as a Blob, without fetch (no network permission needed, works in a worker). */
function dataUrlBlob(dataUrl: string): Blob {
  const comma = dataUrl.indexOf(',');
  const type = /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'application/octet-stream';
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/**
 * Decoded images, once per image: `get` starts decoding on first use and returns null until the
 * bitmap is ready (the frame is drawn without it meanwhile). Images no scene uses any more are
 * released by `keep`.
 */
export class ImageCache {
  private readonly bitmaps = new Map<string, ImageBitmap | 'decoding' | 'failed'>();

  get(item: ImageItem): ImageBitmap | null {
    const entry = this.bitmaps.get(item.src);
    if (entry === undefined) {
      this.bitmaps.set(item.src, 'decoding');
      createImageBitmap(dataUrlBlob(item.src)).then(
        (bitmap) => {
          if (this.bitmaps.get(item.src) === 'decoding') this.bitmaps.set(item.src, bitmap);
          else bitmap.close();
        },
        () => this.bitmaps.set(item.src, 'failed'),
      );
      return null;
    }
    return typeof entry === 'object' ? entry : null;
  }

  /** Every image is decoded (or failed): a frame drawn now shows them all. */
  get settled(): boolean {
    return [...this.bitmaps.values()].every((entry) => entry !== 'decoding');
  }

  /** Releases the images not in `items`. */
  keep(items: Iterable<SceneItem>): void {
    const wanted = new Set<string>();
    for (const item of items) if (item.kind === 'image') wanted.add(item.src);
    for (const [src, entry] of this.bitmaps) {
      if (wanted.has(src)) continue;
      if (typeof entry === 'object') entry.close();
      this.bitmaps.delete(src);
    }
  }

  clear(): void {
    this.keep([]);
  }
}

/** What a text bitmap depends on: a change of any of these renders it again. */
const textKey = (item: TextItem, w: number, h: number, outputHeight: number) =>
  JSON.stringify([item.text, item.color, item.size, item.background, item.align, item.bold, w, h, outputHeight]);

/**
 * Text items rendered once into a bitmap the size of their box (background box included), and
 * again only when the text, its style or the box's size changes.
 */
export class TextCache {
  private readonly bitmaps = new Map<string, { key: string; canvas: OffscreenCanvas }>();

  get(item: TextItem, w: number, h: number, outputHeight: number): OffscreenCanvas | null {
    if (w <= 0 || h <= 0) return null;
    const key = textKey(item, w, h, outputHeight);
    const cached = this.bitmaps.get(item.id);
    if (cached?.key === key) return cached.canvas;
    const canvas = cached?.canvas ?? new OffscreenCanvas(w, h);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.clearRect(0, 0, w, h);
    if (item.background) {
      ctx.fillStyle = item.background;
      ctx.fillRect(0, 0, w, h);
    }
    const layout = layoutText(item, w, h, outputHeight, (text, font) => {
      ctx.font = font;
      return ctx.measureText(text).width;
    });
    ctx.font = layout.font;
    ctx.fillStyle = item.color;
    ctx.textAlign = item.align;
    ctx.textBaseline = 'alphabetic';
    for (const line of layout.lines) ctx.fillText(line.text, line.x, line.y);
    this.bitmaps.set(item.id, { key, canvas });
    return canvas;
  }

  /** Forgets the texts not in `items`. */
  keep(items: Iterable<SceneItem>): void {
    const wanted = new Set<string>();
    for (const item of items) if (item.kind === 'text') wanted.add(item.id);
    for (const id of this.bitmaps.keys()) if (!wanted.has(id)) this.bitmaps.delete(id);
  }
}
