import type { Rect } from '../../shared/scenes';

/**
 * Snapping for the layout editor, pure: an item being moved or resized jumps to the frame's edges
 * and centre and to the edges and centres of the other items when it comes within `threshold`
 * (a fraction of the frame, ~1 %). Returns the snapped rect and the guide lines to draw.
 */
export const SNAP_THRESHOLD = 0.01;

export interface Guide {
  /** `x`: a vertical line at x; `y`: a horizontal line at y. */
  axis: 'x' | 'y';
  at: number;
}

/** A corner (or side) handle: which edges it moves. */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export const HANDLES: Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

const MIN_SIZE = 0.02;

/** Lines an edge may snap to on one axis: 0, ½, 1 and every other item's start, centre and end. */
function targets(axis: 'x' | 'y', others: readonly Rect[]): number[] {
  const lines = [0, 0.5, 1];
  for (const other of others) {
    const start = axis === 'x' ? other.x : other.y;
    const size = axis === 'x' ? other.w : other.h;
    lines.push(start, start + size / 2, start + size);
  }
  return lines;
}

/** The smallest shift that puts one of `edges` on one of `lines`, if within threshold. */
function nearest(edges: number[], lines: number[], threshold: number): { shift: number; at: number } | null {
  let best: { shift: number; at: number } | null = null;
  for (const edge of edges) {
    for (const line of lines) {
      const shift = line - edge;
      if (Math.abs(shift) <= threshold && (!best || Math.abs(shift) < Math.abs(best.shift))) best = { shift, at: line };
    }
  }
  return best;
}

/** Moves `rect` by (dx, dy), then snaps its start, centre or end on each axis. */
export function snapMove(rect: Rect, dx: number, dy: number, others: readonly Rect[], threshold = SNAP_THRESHOLD): { rect: Rect; guides: Guide[] } {
  const moved = { ...rect, x: rect.x + dx, y: rect.y + dy };
  const guides: Guide[] = [];
  const sx = nearest([moved.x, moved.x + moved.w / 2, moved.x + moved.w], targets('x', others), threshold);
  if (sx) {
    moved.x += sx.shift;
    guides.push({ axis: 'x', at: sx.at });
  }
  const sy = nearest([moved.y, moved.y + moved.h / 2, moved.y + moved.h], targets('y', others), threshold);
  if (sy) {
    moved.y += sy.shift;
    guides.push({ axis: 'y', at: sy.at });
  }
  return { rect: moved, guides };
}

/** Drags `handle` by (dx, dy): only the edges it holds move, and those snap; the size stays ≥ 2 %. */
export function snapResize(rect: Rect, handle: Handle, dx: number, dy: number, others: readonly Rect[], threshold = SNAP_THRESHOLD): { rect: Rect; guides: Guide[] } {
  let left = rect.x;
  let top = rect.y;
  let right = rect.x + rect.w;
  let bottom = rect.y + rect.h;
  const guides: Guide[] = [];
  const xs = targets('x', others);
  const ys = targets('y', others);
  const snapEdge = (value: number, lines: number[], axis: 'x' | 'y') => {
    const hit = nearest([value], lines, threshold);
    if (!hit) return value;
    guides.push({ axis, at: hit.at });
    return hit.at;
  };
  if (handle.includes('w')) left = Math.min(snapEdge(left + dx, xs, 'x'), right - MIN_SIZE);
  if (handle.includes('e')) right = Math.max(snapEdge(right + dx, xs, 'x'), left + MIN_SIZE);
  if (handle.includes('n')) top = Math.min(snapEdge(top + dy, ys, 'y'), bottom - MIN_SIZE);
  if (handle.includes('s')) bottom = Math.max(snapEdge(bottom + dy, ys, 'y'), top + MIN_SIZE);
  return { rect: { x: left, y: top, w: right - left, h: bottom - top }, guides };
}

/** Keyboard nudging: arrows move by 1 % (Shift: 10 %); with Alt they resize instead. Null for other keys. */
export function nudge(rect: Rect, key: string, shift: boolean, alt: boolean): Rect | null {
  const step = shift ? 0.1 : 0.01;
  const delta: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const d = delta[key];
  if (!d) return null;
  if (alt) return { ...rect, w: Math.max(MIN_SIZE, rect.w + d[0]), h: Math.max(MIN_SIZE, rect.h + d[1]) };
  return { ...rect, x: rect.x + d[0], y: rect.y + d[1] };
}
