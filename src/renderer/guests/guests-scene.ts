import { GUESTS_SCENE_ID, type GuestLayout, guestLayoutItems } from '../../shared/guest-layouts';
import { MAX_SCENES, type ScenesDoc } from '../../shared/scenes';

export interface GuestsSceneNames {
  scene: string;
  camera: string;
  guest: (slot: number) => string;
}

/**
 * The scenes with the "Guests" scene laid out for the host and `onStage` guests: created when
 * missing (and `create` is set), its items replaced when the layout or the count changed, and put
 * on air when `toProgram` is set. Other scenes are untouched; a full scene list is left as it is.
 */
export function withGuestsScene(doc: ScenesDoc, layout: GuestLayout, onStage: number, names: GuestsSceneNames, options: { create: boolean; toProgram: boolean }): ScenesDoc {
  const items = guestLayoutItems(layout, onStage, names);
  const existing = doc.scenes.find((scene) => scene.id === GUESTS_SCENE_ID);
  let next = doc;
  if (existing) {
    if (JSON.stringify(existing.items) !== JSON.stringify(items)) {
      next = { ...doc, scenes: doc.scenes.map((scene) => (scene.id === GUESTS_SCENE_ID ? { ...scene, items } : scene)) };
    }
  } else {
    if (!options.create || doc.scenes.length >= MAX_SCENES) return doc;
    next = { ...doc, scenes: [...doc.scenes, { id: GUESTS_SCENE_ID, name: names.scene, items }] };
  }
  if (options.toProgram && next.programSceneId !== GUESTS_SCENE_ID) next = { ...next, programSceneId: GUESTS_SCENE_ID };
  return next;
}
