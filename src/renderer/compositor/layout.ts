import type { Crop, Rect, SceneItem } from '../../shared/scenes';

/**
 * The compositor's geometry, pure: scene fractions → output pixels, crop → the source rectangle,
 * contain/cover fitting, text wrapping. No canvas here, so it is tested in Node.
 */

/** A rectangle in pixels (of the output, or of a source). */
export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How a source fills its item's box: `contain` shows all of it (bars around), `cover` fills the box (edges cut). */
export type Fit = 'contain' | 'cover';

/** The item's box in output pixels, snapped to whole pixels (edges rounded, so adjacent items meet without a seam). */
export function itemBox(rect: Rect, width: number, height: number): PixelRect {
  const left = Math.round(rect.x * width);
  const top = Math.round(rect.y * height);
  const right = Math.round((rect.x + rect.w) * width);
  const bottom = Math.round((rect.y + rect.h) * height);
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/** The part of a `width`×`height` source that is kept after `crop` (fractions of the source per side). */
export function cropRect(crop: Crop, width: number, height: number): PixelRect {
  const x = crop.left * width;
  const y = crop.top * height;
  return { x, y, w: Math.max(0, width - x - crop.right * width), h: Math.max(0, height - y - crop.bottom * height) };
}

/**
 * Where the (already cropped) source rectangle `src` goes in `box`, and which part of it is drawn:
 * `contain` keeps all of `src` and centres it in a smaller destination; `cover` fills `box` and
 * keeps the centre of `src`. Returns null when nothing is drawn (an empty source or box).
 */
export function fitRects(src: PixelRect, box: PixelRect, fit: Fit): { src: PixelRect; dst: PixelRect } | null {
  if (src.w <= 0 || src.h <= 0 || box.w <= 0 || box.h <= 0) return null;
  const scale = fit === 'contain' ? Math.min(box.w / src.w, box.h / src.h) : Math.max(box.w / src.w, box.h / src.h);
  if (fit === 'contain') {
    const w = src.w * scale;
    const h = src.h * scale;
    return { src, dst: { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h } };
  }
  const w = box.w / scale;
  const h = box.h / scale;
  return { src: { x: src.x + (src.w - w) / 2, y: src.y + (src.h - h) / 2, w, h }, dst: box };
}

/** A camera fills its box (a face is better cut at the edges than shrunk); a screen, an image or a text is shown whole. */
export function fitFor(kind: SceneItem['kind']): Fit {
  return kind === 'camera' || kind === 'guest' ? 'cover' : 'contain';
}

/** The drawing of one item: which part of its source goes where (null: nothing to draw). */
export function placeItem(item: SceneItem, sourceWidth: number, sourceHeight: number, width: number, height: number): { src: PixelRect; dst: PixelRect } | null {
  return fitRects(cropRect(item.crop, sourceWidth, sourceHeight), itemBox(item.rect, width, height), fitFor(item.kind));
}

/** The items that are drawn, bottom to top: invisible ones cost nothing. */
export function drawnItems(items: readonly SceneItem[]): SceneItem[] {
  return items.filter((item) => item.visible);
}

/** Scene sources a list of items needs (camera, screen), so sources nobody shows need no work. */
export function sourcesUsed(items: readonly SceneItem[]): Set<'camera' | 'screen'> {
  const used = new Set<'camera' | 'screen'>();
  for (const item of drawnItems(items)) if (item.kind === 'camera' || item.kind === 'screen') used.add(item.kind);
  return used;
}

export interface TextStyle {
  text: string;
  /** Font size as a fraction of the output height. */
  size: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
}

export interface TextLine {
  text: string;
  /** Where the line is drawn in the box (x per `align`: left edge, centre or right edge; y is the baseline). */
  x: number;
  y: number;
}

export interface TextLayout {
  font: string;
  fontPx: number;
  lines: TextLine[];
}

export const FONT_FAMILY = '"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic UI", "Segoe UI", sans-serif';
/** Line height and padding in font sizes. */
const LINE_HEIGHT = 1.25;
const PADDING = 0.3;

/** Breaks a line into pieces that may wrap: words with their spaces, and each CJK character on its own. */
function wrapUnits(line: string): string[] {
  return line.match(/[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/g) ?? [];
}

/**
 * Lays out a text item in a `boxW`×`boxH` box of an output `outputHeight` pixels high: font size
 * from `size`, lines broken at the explicit newlines and wrapped at word (or CJK character)
 * boundaries to the box's width less padding, vertically centred; lines that do not fit the box's
 * height are left out (the first is always kept). `measure` gives a string's width in pixels for `font`.
 */
export function layoutText(style: TextStyle, boxW: number, boxH: number, outputHeight: number, measure: (text: string, font: string) => number): TextLayout {
  const fontPx = Math.max(1, Math.round(style.size * outputHeight));
  const font = `${style.bold ? '700' : '400'} ${fontPx}px ${FONT_FAMILY}`;
  const pad = Math.round(fontPx * PADDING);
  const maxWidth = Math.max(1, boxW - 2 * pad);
  const lineHeight = fontPx * LINE_HEIGHT;
  const lines: string[] = [];
  for (const paragraph of style.text.split('\n')) {
    let current = '';
    for (const unit of wrapUnits(paragraph)) {
      const candidate = current + unit;
      if (current && measure(candidate.trimEnd(), font) > maxWidth) {
        lines.push(current.trimEnd());
        current = unit.trimStart();
      } else {
        current = candidate;
      }
    }
    lines.push(current.trimEnd());
  }
  // At least the first line (clipped by the box when even that does not fit).
  const rows = Math.max(1, Math.floor((boxH - 2 * pad) / lineHeight));
  const kept = lines.slice(0, rows);
  const top = (boxH - kept.length * lineHeight) / 2;
  const x = style.align === 'left' ? pad : style.align === 'right' ? boxW - pad : boxW / 2;
  return {
    font,
    fontPx,
    // Baseline at about 80 % of the font size below the line's top, centred in its line height.
    lines: kept.map((text, i) => ({ text, x, y: Math.round(top + i * lineHeight + (lineHeight - fontPx) / 2 + fontPx * 0.8) })),
  };
}
