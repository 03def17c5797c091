import type { Scene, SceneItem } from '../../shared/scenes';
import type { ImageCache, TextCache } from './assets';
import { drawnItems, itemBox, type PixelRect, placeItem } from './layout';

export type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A live source's current picture: a video element (main thread) or its latest VideoFrame (worker). */
export interface LiveImage {
  image: CanvasImageSource;
  width: number;
  height: number;
}

/** The current picture of each live source (null: none yet, or not shared); `guest0`… by stage slot. */
export interface LiveImages {
  camera: LiveImage | null;
  screen: LiveImage | null;
  guest0?: LiveImage | null;
  guest1?: LiveImage | null;
  guest2?: LiveImage | null;
  guest3?: LiveImage | null;
}

/** The live-image key of a guest source's stage slot. */
export const guestKey = (slot: number) => `guest${slot}` as 'guest0' | 'guest1' | 'guest2' | 'guest3';

export interface SceneAssets {
  images: ImageCache;
  texts: TextCache;
}

/**
 * Draws `scene` over the whole `width`×`height` context: black first, then each visible item
 * bottom to top (colour, the live source's picture cropped and fitted, a decoded image, a text
 * bitmap). A source without a picture yet leaves its box as it is underneath.
 */
export function drawScene(ctx: Context2D, scene: Scene, live: LiveImages, assets: SceneAssets, width: number, height: number): void {
  ctx.globalAlpha = 1;
  const items = drawnItems(scene.items);
  const plans = items.map((item) => planItem(item, live, assets, width, height));
  // Black first, unless the bottom item already paints every pixel opaquely (saves a full-frame fill).
  const bottom = plans[0];
  const opaque = items[0]?.kind === 'color' || items[0]?.kind === 'camera' || items[0]?.kind === 'screen';
  if (!(bottom && opaque && covers(bottom.dst, width, height))) {
    ctx.fillStyle = '#000000';
    ctx.fillRect(0, 0, width, height);
  }
  for (const plan of plans) {
    if (!plan) continue;
    if (plan.color) {
      ctx.fillStyle = plan.color;
      ctx.fillRect(plan.dst.x, plan.dst.y, plan.dst.w, plan.dst.h);
    } else {
      const { source, src, dst } = plan;
      ctx.drawImage(source!, src.x, src.y, src.w, src.h, dst.x, dst.y, dst.w, dst.h);
    }
  }
}

interface Plan {
  color?: string;
  source?: CanvasImageSource;
  src: PixelRect;
  dst: PixelRect;
}

const covers = (r: PixelRect, width: number, height: number) => r.x <= 0 && r.y <= 0 && r.x + r.w >= width && r.y + r.h >= height;

/** What one item draws this frame (null: nothing, e.g. a source without a picture yet or an image still decoding). */
function planItem(item: SceneItem, live: LiveImages, assets: SceneAssets, width: number, height: number): Plan | null {
  if (item.kind === 'color') {
    const box = itemBox(item.rect, width, height);
    return { color: item.color, src: box, dst: box };
  }
  let source: LiveImage | null;
  if (item.kind === 'camera' || item.kind === 'screen') {
    source = live[item.kind];
  } else if (item.kind === 'guest') {
    source = live[guestKey(item.slot)] ?? null;
  } else if (item.kind === 'image') {
    const bitmap = assets.images.get(item);
    source = bitmap && { image: bitmap, width: bitmap.width, height: bitmap.height };
  } else {
    const box = itemBox(item.rect, width, height);
    const bitmap = assets.texts.get(item, box.w, box.h, height);
    source = bitmap && { image: bitmap, width: bitmap.width, height: bitmap.height };
  }
  if (!source) return null;
  const placed = placeItem(item, source.width, source.height, width, height);
  return placed && { source: source.image, ...placed };
}
