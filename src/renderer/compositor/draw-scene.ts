import type { Scene } from '../../shared/scenes';
import type { ImageCache, TextCache } from './assets';
import { drawnItems, itemBox, placeItem } from './layout';

export type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A live source's current picture: a video element (main thread) or its latest VideoFrame (worker). */
export interface LiveImage {
  image: CanvasImageSource;
  width: number;
  height: number;
}

/** The current picture of each live source (null: none yet, or not shared). */
export interface LiveImages {
  camera: LiveImage | null;
  screen: LiveImage | null;
}

export interface SceneAssets {
  images: ImageCache;
  texts: TextCache;
}

/**
 * Draws `scene` over the whole `width`×`height` context: black first, then each visible item
 * bottom to top (colour, the live source's picture cropped and fitted, a decoded image, a text
 * bitmap). A source without a frame yet leaves its box as it is underneath.
 */
export function drawScene(ctx: Context2D, scene: Scene, live: LiveImages, assets: SceneAssets, width: number, height: number): void {
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, width, height);
  for (const item of drawnItems(scene.items)) {
    if (item.kind === 'color') {
      const box = itemBox(item.rect, width, height);
      ctx.fillStyle = item.color;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      continue;
    }
    let source: CanvasImageSource | null = null;
    let sw = 0;
    let sh = 0;
    if (item.kind === 'camera' || item.kind === 'screen') {
      const picture = live[item.kind];
      if (picture) [source, sw, sh] = [picture.image, picture.width, picture.height];
    } else if (item.kind === 'image') {
      const bitmap = assets.images.get(item);
      if (bitmap) [source, sw, sh] = [bitmap, bitmap.width, bitmap.height];
    } else {
      const box = itemBox(item.rect, width, height);
      const bitmap = assets.texts.get(item, box.w, box.h, height);
      if (bitmap) [source, sw, sh] = [bitmap, bitmap.width, bitmap.height];
    }
    if (!source) continue;
    const placed = placeItem(item, sw, sh, width, height);
    if (!placed) continue;
    const { src, dst } = placed;
    ctx.drawImage(source, src.x, src.y, src.w, src.h, dst.x, dst.y, dst.w, dst.h);
  }
}
