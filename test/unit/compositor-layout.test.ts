import { describe, expect, it } from 'vitest';
import { cropRect, drawnItems, fitFor, fitRects, itemBox, layoutText, placeItem, sourcesUsed } from '../../src/renderer/compositor/layout';
import { presetItems, type SceneItem } from '../../src/shared/scenes';

const NO_CROP = { left: 0, top: 0, right: 0, bottom: 0 };

describe('compositor layout: rect fractions → pixels', () => {
  it('maps a fraction rect to whole output pixels', () => {
    expect(itemBox({ x: 0, y: 0, w: 1, h: 1 }, 1920, 1080)).toEqual({ x: 0, y: 0, w: 1920, h: 1080 });
    expect(itemBox({ x: 0.73, y: 0.72, w: 0.25, h: 0.25 }, 1920, 1080)).toEqual({ x: 1402, y: 778, w: 480, h: 270 });
    expect(itemBox({ x: 0.5, y: 0.5, w: 0.5, h: 0.5 }, 1280, 720)).toEqual({ x: 640, y: 360, w: 640, h: 360 });
  });

  it('adjacent items meet without a gap or overlap (edges are rounded, not sizes)', () => {
    const left = itemBox({ x: 0.01, y: 0, w: 0.333, h: 1 }, 1001, 10);
    const right = itemBox({ x: 0.343, y: 0, w: 0.3, h: 1 }, 1001, 10);
    expect(left.x + left.w).toBe(right.x);
  });

  it('keeps items partly outside the frame where they are', () => {
    expect(itemBox({ x: -0.5, y: 0.9, w: 1, h: 0.2 }, 100, 100)).toEqual({ x: -50, y: 90, w: 100, h: 20 });
  });
});

describe('compositor layout: crop → source rectangle', () => {
  it('no crop is the whole source', () => {
    expect(cropRect(NO_CROP, 1280, 720)).toEqual({ x: 0, y: 0, w: 1280, h: 720 });
  });
  it('cuts each side by its fraction of the source', () => {
    expect(cropRect({ left: 0.25, top: 0.1, right: 0.25, bottom: 0.4 }, 1280, 720)).toEqual({ x: 320, y: 72, w: 640, h: 360 });
  });
});

describe('compositor layout: contain and cover', () => {
  const box = { x: 100, y: 50, w: 400, h: 400 };
  it('contain shows the whole 16:9 source centred in a square box (bars above and below)', () => {
    const fitted = fitRects({ x: 0, y: 0, w: 1600, h: 900 }, box, 'contain')!;
    expect(fitted.src).toEqual({ x: 0, y: 0, w: 1600, h: 900 });
    expect(fitted.dst).toEqual({ x: 100, y: 50 + (400 - 225) / 2, w: 400, h: 225 });
  });
  it('cover fills the square box with the centre of the 16:9 source', () => {
    const fitted = fitRects({ x: 0, y: 0, w: 1600, h: 900 }, box, 'cover')!;
    expect(fitted.dst).toEqual(box);
    expect(fitted.src).toEqual({ x: 350, y: 0, w: 900, h: 900 });
  });
  it('cover keeps the centre of the cropped part, not of the whole source', () => {
    const fitted = fitRects({ x: 100, y: 0, w: 800, h: 400 }, { x: 0, y: 0, w: 100, h: 100 }, 'cover')!;
    expect(fitted.src).toEqual({ x: 300, y: 0, w: 400, h: 400 });
  });
  it('same aspect: both fill the box exactly', () => {
    for (const fit of ['contain', 'cover'] as const) {
      expect(fitRects({ x: 0, y: 0, w: 1280, h: 720 }, { x: 0, y: 0, w: 1920, h: 1080 }, fit)).toEqual({ src: { x: 0, y: 0, w: 1280, h: 720 }, dst: { x: 0, y: 0, w: 1920, h: 1080 } });
    }
  });
  it('nothing to draw for an empty source or box', () => {
    expect(fitRects({ x: 0, y: 0, w: 0, h: 720 }, box, 'contain')).toBeNull();
    expect(fitRects({ x: 0, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 0, h: 5 }, 'cover')).toBeNull();
  });
  it('a camera covers its box; a screen, an image and a text are shown whole', () => {
    expect(fitFor('camera')).toBe('cover');
    expect(['screen', 'image', 'text', 'color'].map((kind) => fitFor(kind as SceneItem['kind']))).toEqual(['contain', 'contain', 'contain', 'contain']);
  });
  it('placeItem: crop, then fit into the item box (side-by-side screen letterboxed)', () => {
    const [, screen] = presetItems('side_by_side', 's');
    const placed = placeItem(screen!, 1920, 1080, 1920, 1080)!;
    // Box 922×648 at (19, 216); the 16:9 screen is 922 wide, 518.6 high, centred.
    expect(placed.src).toEqual({ x: 0, y: 0, w: 1920, h: 1080 });
    expect(placed.dst.x).toBe(19);
    expect(placed.dst.w).toBe(922);
    expect(placed.dst.h).toBeCloseTo(518.625, 3);
    expect(placed.dst.y).toBeCloseTo(216 + (648 - 518.625) / 2, 3);
  });
});

describe('compositor layout: what is drawn', () => {
  const items = presetItems('screen_pip', 'p');
  it('invisible items are left out, order kept (bottom to top)', () => {
    const hidden = items.map((item, i) => (i === 0 ? { ...item, visible: false } : item));
    expect(drawnItems(items).map((item) => item.kind)).toEqual(['screen', 'camera']);
    expect(drawnItems(hidden).map((item) => item.kind)).toEqual(['camera']);
  });
  it('sources used are those of visible items only', () => {
    expect([...sourcesUsed(items)].sort()).toEqual(['camera', 'screen']);
    expect([...sourcesUsed(items.map((item) => ({ ...item, visible: item.kind !== 'screen' })))]).toEqual(['camera']);
    expect(sourcesUsed(presetItems('starting_soon', 'x')).size).toBe(0);
  });
});

describe('compositor layout: text', () => {
  // A monospace stand-in: every character 10 px wide at any font.
  const measure = (text: string) => text.length * 10;
  const style = { text: 'one two three four', size: 0.05, bold: true, align: 'left' as const };

  it('font size is a fraction of the output height; bold is weight 700', () => {
    const layout = layoutText(style, 1000, 200, 1080, measure);
    expect(layout.fontPx).toBe(54);
    expect(layout.font).toMatch(/^700 54px /);
    expect(layoutText({ ...style, bold: false }, 1000, 200, 720, measure).font).toMatch(/^400 36px /);
  });

  it('one line when it fits, vertically centred', () => {
    const layout = layoutText(style, 1000, 200, 1080, measure);
    expect(layout.lines.map((line) => line.text)).toEqual(['one two three four']);
    const lineHeight = 54 * 1.25;
    expect(layout.lines[0]!.y).toBe(Math.round((200 - lineHeight) / 2 + (lineHeight - 54) / 2 + 54 * 0.8));
  });

  it('wraps at word boundaries to the box width less padding', () => {
    // Box 120 px, padding 0.3 × 20 = 6 each side → 108 px: "one two" is 70, "one two three" 130.
    const layout = layoutText({ ...style, size: 20 / 1000 }, 120, 1000, 1000, measure);
    expect(layout.lines.map((line) => line.text)).toEqual(['one two', 'three four']);
  });

  it('keeps explicit line breaks; wraps Japanese between characters', () => {
    expect(layoutText({ ...style, text: 'a\nb' }, 1000, 1000, 1000, measure).lines.map((l) => l.text)).toEqual(['a', 'b']);
    const ja = layoutText({ ...style, text: '配信を始めます', size: 0.02 }, 46, 1000, 1000, measure);
    expect(ja.lines.map((l) => l.text)).toEqual(['配信を', '始めま', 'す']);
  });

  it('lines that do not fit the box height are left out, but the first stays', () => {
    const narrow = { ...style, size: 20 / 1000 };
    expect(layoutText(narrow, 60, 70, 1000, measure).lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(layoutText(narrow, 60, 5, 1000, measure).lines.map((l) => l.text)).toEqual(['one']);
  });

  it('x follows the alignment (padding from the edge, or the centre)', () => {
    const at = (align: 'left' | 'center' | 'right') => layoutText({ ...style, align, size: 0.1 }, 500, 200, 100, measure).lines[0]!.x;
    expect([at('left'), at('center'), at('right')]).toEqual([3, 250, 497]);
  });
});
