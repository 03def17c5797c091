import { type Crop, GUEST_SLOTS, type Rect, type SceneItem } from './scenes';

/** How the host and the guests on stage share the frame. */
export const GUEST_LAYOUTS = ['side_by_side', 'grid', 'pip'] as const;
export type GuestLayout = (typeof GUEST_LAYOUTS)[number];

/** The scene the guests panel keeps in step with the stage. */
export const GUESTS_SCENE_ID = 'guests';

const NO_CROP: Crop = { left: 0, top: 0, right: 0, bottom: 0 };
const GAP = 0.01;

/** `count` equal cells in `cols` columns, rows centred vertically, a small gap around each. */
function cells(count: number, cols: number): Rect[] {
  const rows = Math.ceil(count / cols);
  const w = 1 / cols;
  const h = 1 / rows;
  return Array.from({ length: count }, (_, i) => {
    const row = Math.floor(i / cols);
    // A last row with fewer cells is centred.
    const inRow = row === rows - 1 ? count - row * cols : cols;
    const x = (cols - inRow) * (w / 2) + (i % cols) * w;
    return { x: x + GAP, y: row * h + GAP, w: w - 2 * GAP, h: h - 2 * GAP };
  });
}

/**
 * The host's camera and `guests` guests on stage (slots 0…guests−1), laid out for 1–5 people as
 * the seeds' video-composer grid did: side by side (equal columns), a grid (√n columns), or
 * picture-in-picture (the host fills the frame, the guests in small boxes along the bottom right).
 * Bottom to top: background, then the people.
 */
export function guestLayoutItems(layout: GuestLayout, guests: number, names: { camera: string; guest: (slot: number) => string }): SceneItem[] {
  const count = Math.max(0, Math.min(GUEST_SLOTS, Math.floor(guests)));
  const people = count + 1;
  let rects: Rect[];
  if (layout === 'pip') {
    const size = 0.24;
    rects = [{ x: 0, y: 0, w: 1, h: 1 }, ...Array.from({ length: count }, (_, i) => ({ x: 1 - (i + 1) * (size + 0.02), y: 1 - size - 0.03, w: size, h: size }))];
  } else {
    rects = cells(people, layout === 'side_by_side' ? people : Math.ceil(Math.sqrt(people)));
  }
  const base = (id: string, rect: Rect) => ({ id: `${GUESTS_SCENE_ID}-${id}`, crop: NO_CROP, visible: true, rect });
  return [
    { ...base('bg', { x: 0, y: 0, w: 1, h: 1 }), kind: 'color', name: 'Background', color: '#101418' },
    { ...base('cam', rects[0]!), kind: 'camera', name: names.camera },
    ...rects.slice(1).map((rect, slot): SceneItem => ({ ...base(`g${slot}`, rect), kind: 'guest', name: names.guest(slot), slot })),
  ];
}
