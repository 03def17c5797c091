import type { Rectangle } from 'electron';
import type { KeyValueStore } from '../core/settings/ports';

const KEY = 'window.bounds';
export const DEFAULT_BOUNDS = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 1024, height: 640 } as const;

/** The last window bounds, if they still fit on one of the displays. */
export function restoreBounds(store: KeyValueStore, displays: Rectangle[]): Partial<Rectangle> {
  const saved = store.get(KEY) as Partial<Rectangle> | undefined;
  if (!saved || [saved.x, saved.y, saved.width, saved.height].some((n) => typeof n !== 'number')) return { ...DEFAULT_BOUNDS };
  const bounds = saved as Rectangle;
  const visible = displays.some(
    (d) => bounds.x < d.x + d.width && bounds.x + bounds.width > d.x && bounds.y < d.y + d.height && bounds.y + bounds.height > d.y,
  );
  const size = { width: Math.max(bounds.width, MIN_SIZE.width), height: Math.max(bounds.height, MIN_SIZE.height) };
  return visible ? { ...size, x: bounds.x, y: bounds.y } : size;
}

export function saveBounds(store: KeyValueStore, bounds: Rectangle): void {
  store.set(KEY, bounds);
}
