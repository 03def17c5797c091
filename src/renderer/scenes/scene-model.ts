import {
  type Crop,
  FADE_MS_MAX,
  FADE_MS_MIN,
  MAX_ITEMS_PER_SCENE,
  MAX_NAME_LENGTH,
  MAX_SCENES,
  presetItems,
  type Rect,
  type Scene,
  type SceneItem,
  type ScenePreset,
  type ScenesDoc,
  type TransitionKind,
} from '../../shared/scenes';

/**
 * The scene list as pure functions: each takes the document and returns the next one (or the
 * same object when nothing changes), so the UI, the hotkeys and the tests share one logic.
 * Main validates every saved document again (`scenes.save`).
 */

/** Hotkeys 1–9 switch to the first nine scenes. */
export const HOTKEY_SCENES = 9;

const clampName = (name: string, fallback: string) => (name.trim() || fallback).slice(0, MAX_NAME_LENGTH);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A new id of the form `<prefix>-<n>` that `taken` does not hold yet (short and stable for tests). */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!used.has(id)) return id;
  }
}

const sceneIds = (doc: ScenesDoc) => doc.scenes.map((scene) => scene.id);
const itemIdsOf = (doc: ScenesDoc) => doc.scenes.flatMap((scene) => scene.items.map((item) => item.id));

export function sceneById(doc: ScenesDoc, id: string | null): Scene | null {
  return doc.scenes.find((scene) => scene.id === id) ?? null;
}

export const programScene = (doc: ScenesDoc): Scene => sceneById(doc, doc.programSceneId) ?? doc.scenes[0]!;
export const studioMode = (doc: ScenesDoc): boolean => doc.previewSceneId !== null;
/** The scene the sources panel and the layout editor work on: the preview in studio mode, else the program. */
export const editedScene = (doc: ScenesDoc): Scene => sceneById(doc, doc.previewSceneId) ?? programScene(doc);

export const canAddScene = (doc: ScenesDoc) => doc.scenes.length < MAX_SCENES;
export const canAddItem = (scene: Scene) => scene.items.length < MAX_ITEMS_PER_SCENE;

/** Adds a scene made from a preset at the end of the list; `title` replaces a card's text (its language). */
export function addScene(doc: ScenesDoc, preset: ScenePreset, name: string, title?: string): ScenesDoc {
  if (!canAddScene(doc)) return doc;
  const id = freshId(preset.replaceAll('_', '-'), sceneIds(doc));
  const items = presetItems(preset, id).map((item) => (title !== undefined && item.kind === 'text' ? { ...item, text: title } : item));
  return { ...doc, scenes: [...doc.scenes, { id, name: clampName(name, preset), items }] };
}

export function renameScene(doc: ScenesDoc, id: string, name: string): ScenesDoc {
  if (!name.trim()) return doc;
  return mapScene(doc, id, (scene) => ({ ...scene, name: clampName(name, scene.name) }));
}

/** Removes a scene, never the last one; the program (or preview) moves to a neighbour when it was that scene. */
export function removeScene(doc: ScenesDoc, id: string): ScenesDoc {
  const index = doc.scenes.findIndex((scene) => scene.id === id);
  if (index < 0 || doc.scenes.length <= 1) return doc;
  const scenes = doc.scenes.filter((scene) => scene.id !== id);
  const neighbour = scenes[Math.min(index, scenes.length - 1)]!.id;
  return {
    ...doc,
    scenes,
    programSceneId: doc.programSceneId === id ? neighbour : doc.programSceneId,
    previewSceneId: doc.previewSceneId === id ? neighbour : doc.previewSceneId,
  };
}

/** Moves a scene to `toIndex` (clamped); hotkey numbers follow the order. */
export function moveScene(doc: ScenesDoc, id: string, toIndex: number): ScenesDoc {
  const scenes = moveInList(doc.scenes, id, toIndex);
  return scenes === doc.scenes ? doc : { ...doc, scenes };
}

/** Puts a scene on air at once (outside studio mode; in studio mode use `setPreview` and `take`). */
export function switchProgram(doc: ScenesDoc, id: string): ScenesDoc {
  if (!sceneById(doc, id) || doc.programSceneId === id) return doc;
  return { ...doc, programSceneId: id };
}

export function setPreview(doc: ScenesDoc, id: string): ScenesDoc {
  if (!studioMode(doc) || !sceneById(doc, id) || doc.previewSceneId === id) return doc;
  return { ...doc, previewSceneId: id };
}

/** What a click on a scene (or its hotkey) does: the program outside studio mode, the preview in it. */
export function chooseScene(doc: ScenesDoc, id: string): ScenesDoc {
  return studioMode(doc) ? setPreview(doc, id) : switchProgram(doc, id);
}

/** Hotkey `n` (1–9): the n-th scene in the list, or nothing when there is none. */
export function chooseByNumber(doc: ScenesDoc, n: number): ScenesDoc {
  if (!Number.isInteger(n) || n < 1 || n > HOTKEY_SCENES) return doc;
  const scene = doc.scenes[n - 1];
  return scene ? chooseScene(doc, scene.id) : doc;
}

/** Studio mode on: the preview starts as a copy of the program's choice. Off: only the program is left. */
export function setStudioMode(doc: ScenesDoc, on: boolean): ScenesDoc {
  if (on === studioMode(doc)) return doc;
  return { ...doc, previewSceneId: on ? doc.programSceneId : null };
}

/** Take: the preview goes on air and the scene that was on air becomes the preview (as in OBS's swap). */
export function take(doc: ScenesDoc): ScenesDoc {
  if (!studioMode(doc) || doc.previewSceneId === doc.programSceneId) return doc;
  return { ...doc, programSceneId: doc.previewSceneId!, previewSceneId: doc.programSceneId };
}

export function setTransition(doc: ScenesDoc, kind: TransitionKind, durationMs = doc.transition.durationMs): ScenesDoc {
  const ms = clamp(Math.round(durationMs), FADE_MS_MIN, FADE_MS_MAX);
  if (kind === doc.transition.kind && ms === doc.transition.durationMs) return doc;
  return { ...doc, transition: { kind, durationMs: ms } };
}

export type NewItem =
  | { kind: 'camera' | 'screen'; name: string }
  | { kind: 'guest'; name: string; slot: number }
  | { kind: 'image'; name: string; src: string; aspect?: number }
  | { kind: 'text'; name: string; text: string }
  | { kind: 'color'; name: string; color: string };

const NO_CROP: Crop = { left: 0, top: 0, right: 0, bottom: 0 };

/** Adds a source on top of a scene, centred, with a size that suits its kind. */
export function addItem(doc: ScenesDoc, sceneId: string, source: NewItem): ScenesDoc {
  const scene = sceneById(doc, sceneId);
  if (!scene || !canAddItem(scene)) return doc;
  const base = { id: freshId(source.kind, itemIdsOf(doc)), name: clampName(source.name, source.kind), crop: NO_CROP, visible: true };
  let item: SceneItem;
  switch (source.kind) {
    case 'camera':
    case 'screen':
      item = { ...base, kind: source.kind, rect: { x: 0.25, y: 0.25, w: 0.5, h: 0.5 } };
      break;
    case 'guest':
      item = { ...base, kind: 'guest', slot: source.slot, rect: { x: 0.25, y: 0.25, w: 0.5, h: 0.5 } };
      break;
    case 'image': {
      // Keep the picture's own shape in a 16:9 frame: w/h in frame fractions = aspect × 9/16.
      const h = 0.4;
      const w = clamp(h * (source.aspect ?? 16 / 9) * (9 / 16), 0.05, 1);
      item = { ...base, kind: 'image', src: source.src, rect: { x: (1 - w) / 2, y: (1 - h) / 2, w, h } };
      break;
    }
    case 'text':
      item = {
        ...base,
        kind: 'text',
        text: source.text,
        rect: { x: 0.1, y: 0.8, w: 0.8, h: 0.12 },
        color: '#ffffff',
        size: 0.07,
        background: '#000000',
        align: 'center',
        bold: true,
      };
      break;
    case 'color':
      item = { ...base, kind: 'color', color: source.color, rect: { x: 0, y: 0, w: 1, h: 1 } };
      break;
  }
  return mapScene(doc, sceneId, (current) => ({ ...current, items: [...current.items, item] }));
}

export function removeItem(doc: ScenesDoc, sceneId: string, itemId: string): ScenesDoc {
  return mapScene(doc, sceneId, (scene) => ({ ...scene, items: scene.items.filter((item) => item.id !== itemId) }));
}

/** Moves an item in the drawing order (0 = bottom). */
export function moveItem(doc: ScenesDoc, sceneId: string, itemId: string, toIndex: number): ScenesDoc {
  return mapScene(doc, sceneId, (scene) => {
    const items = moveInList(scene.items, itemId, toIndex);
    return items === scene.items ? scene : { ...scene, items };
  });
}

export function setVisible(doc: ScenesDoc, sceneId: string, itemId: string, visible: boolean): ScenesDoc {
  return updateItem(doc, sceneId, itemId, (item) => (item.visible === visible ? item : { ...item, visible }));
}

/** A new place and size; the size stays at least 1 % of the frame. */
export function setRect(doc: ScenesDoc, sceneId: string, itemId: string, rect: Rect): ScenesDoc {
  const next: Rect = {
    x: clamp(rect.x, -1, 2),
    y: clamp(rect.y, -1, 2),
    w: clamp(rect.w, 0.01, 3),
    h: clamp(rect.h, 0.01, 3),
  };
  return updateItem(doc, sceneId, itemId, (item) => (sameRect(item.rect, next) ? item : { ...item, rect: next }));
}

/** A new crop; each side 0–0.9 and something always left over (less than 95 % cut away on either axis). */
export function setCrop(doc: ScenesDoc, sceneId: string, itemId: string, crop: Crop): ScenesDoc {
  const side = (value: number) => clamp(value, 0, 0.9);
  const left = side(crop.left);
  const top = side(crop.top);
  let right = side(crop.right);
  let bottom = side(crop.bottom);
  if (left + right >= 0.95) right = Math.max(0, 0.94 - left);
  if (top + bottom >= 0.95) bottom = Math.max(0, 0.94 - top);
  return updateItem(doc, sceneId, itemId, (item) => ({ ...item, crop: { left, top, right, bottom } }));
}

type ItemPatch = Partial<{ name: string; text: string; color: string; background: string | null; size: number; align: 'left' | 'center' | 'right'; bold: boolean }>;

/** Edits what a text or colour source shows (fields that do not apply to the item's kind are ignored). */
export function editItem(doc: ScenesDoc, sceneId: string, itemId: string, patch: ItemPatch): ScenesDoc {
  return updateItem(doc, sceneId, itemId, (item) => {
    const name = patch.name !== undefined ? clampName(patch.name, item.name) : item.name;
    if (item.kind === 'text') {
      return {
        ...item,
        name,
        text: patch.text ?? item.text,
        color: patch.color ?? item.color,
        background: patch.background !== undefined ? patch.background : item.background,
        size: patch.size !== undefined ? clamp(patch.size, 0.01, 0.5) : item.size,
        align: patch.align ?? item.align,
        bold: patch.bold ?? item.bold,
      };
    }
    if (item.kind === 'color') return { ...item, name, color: patch.color ?? item.color };
    return { ...item, name };
  });
}

function updateItem(doc: ScenesDoc, sceneId: string, itemId: string, change: (item: SceneItem) => SceneItem): ScenesDoc {
  return mapScene(doc, sceneId, (scene) => {
    let changed = false;
    const items = scene.items.map((item) => {
      if (item.id !== itemId) return item;
      const next = change(item);
      if (next !== item && JSON.stringify(next) !== JSON.stringify(item)) changed = true;
      return changed ? next : item;
    });
    return changed ? { ...scene, items } : scene;
  });
}

function mapScene(doc: ScenesDoc, id: string, change: (scene: Scene) => Scene): ScenesDoc {
  let changed = false;
  const scenes = doc.scenes.map((scene) => {
    if (scene.id !== id) return scene;
    const next = change(scene);
    if (next !== scene) changed = true;
    return next;
  });
  return changed ? { ...doc, scenes } : doc;
}

function moveInList<T extends { id: string }>(list: T[], id: string, toIndex: number): T[] {
  const from = list.findIndex((entry) => entry.id === id);
  const to = clamp(Math.round(toIndex), 0, list.length - 1);
  if (from < 0 || from === to) return list;
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
