import { describe, expect, it } from 'vitest';
import { nudge, snapMove, snapResize } from '../../src/renderer/scenes/snap';

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 9);

describe('layout snapping', () => {
  it('moves freely when nothing is within 1 %', () => {
    const { rect, guides } = snapMove({ x: 0.2, y: 0.2, w: 0.3, h: 0.3 }, 0.05, 0.03, []);
    close(rect.x, 0.25);
    close(rect.y, 0.23);
    expect(guides).toEqual([]);
  });

  it('snaps to the frame edges and centre, with a guide', () => {
    const edge = snapMove({ x: 0.2, y: 0.2, w: 0.3, h: 0.3 }, -0.195, 0, []);
    close(edge.rect.x, 0);
    expect(edge.guides).toContainEqual({ axis: 'x', at: 0 });
    // The centre of a 0.3 wide box at x 0.346 is 0.496: it snaps to ½.
    const centre = snapMove({ x: 0.346, y: 0.1, w: 0.3, h: 0.3 }, 0, 0, []);
    close(centre.rect.x, 0.35);
    expect(centre.guides).toEqual([{ axis: 'x', at: 0.5 }]);
    const right = snapMove({ x: 0.695, y: 0.6, w: 0.3, h: 0.395 }, 0, 0, []);
    close(right.rect.x + right.rect.w, 1);
    close(right.rect.y + right.rect.h, 1);
  });

  it('snaps to another item and picks the nearest line', () => {
    const other = { x: 0.6, y: 0.1, w: 0.2, h: 0.2 };
    const { rect, guides } = snapMove({ x: 0.3, y: 0.42, w: 0.296, h: 0.1 }, 0, 0, [other]);
    // Right edge 0.596 → the other's left 0.6.
    close(rect.x + rect.w, 0.6);
    expect(guides).toEqual([{ axis: 'x', at: 0.6 }]);
  });

  it('resizes only the edges a handle holds, snapping them, never below 2 %', () => {
    const start = { x: 0.2, y: 0.2, w: 0.3, h: 0.3 };
    const se = snapResize(start, 'se', 0.295, 0.1, []);
    close(se.rect.x, 0.2);
    close(se.rect.x + se.rect.w, 0.795);
    close(se.rect.h, 0.4);
    const snapped = snapResize(start, 'e', 0.496, 0, []);
    close(snapped.rect.x + snapped.rect.w, 1);
    expect(snapped.guides).toEqual([{ axis: 'x', at: 1 }]);
    const w = snapResize(start, 'w', 0.5, 0, []);
    close(w.rect.w, 0.02);
    close(w.rect.x + w.rect.w, 0.5);
  });

  it('nudges with the arrow keys: 1 %, Shift 10 %, Alt resizes', () => {
    const rect = { x: 0.2, y: 0.2, w: 0.3, h: 0.3 };
    close(nudge(rect, 'ArrowRight', false, false)!.x, 0.21);
    close(nudge(rect, 'ArrowUp', true, false)!.y, 0.1);
    close(nudge(rect, 'ArrowLeft', false, true)!.w, 0.29);
    expect(nudge(rect, 'Enter', false, false)).toBeNull();
  });
});
