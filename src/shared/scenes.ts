import { z } from 'zod';

/**
 * The program's scenes: each scene is a layout of sources drawn by the renderer's compositor at
 * the output resolution. Shared by main (persistence: `scenes.get` / `scenes.save`) and the
 * renderer (model, compositor, UI). Geometry is in fractions of the output frame (0..1), so a
 * scene looks the same at 480p, 720p and 1080p.
 */

export const SOURCE_KINDS = ['camera', 'screen', 'guest', 'image', 'text', 'color'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SCENE_PRESETS = ['camera', 'screen_pip', 'side_by_side', 'starting_soon', 'be_right_back'] as const;
export type ScenePreset = (typeof SCENE_PRESETS)[number];

export const TRANSITIONS = ['cut', 'fade'] as const;
export type TransitionKind = (typeof TRANSITIONS)[number];

/** Guests on stage that scenes can show: a guest source names a stage slot (0 = the first on stage). */
export const GUEST_SLOTS = 4;

export const MAX_SCENES = 32;
export const MAX_ITEMS_PER_SCENE = 24;
export const MAX_NAME_LENGTH = 60;
export const MAX_TEXT_LENGTH = 280;
/** An image source is kept inline as a data URL; larger images are refused (`scenes.image_too_large`). */
export const MAX_IMAGE_DATA_URL_LENGTH = 3 * 1024 * 1024;
/** The whole document as JSON (images included), so it fits one IPC message and one settings write (`scenes.too_large`). */
export const MAX_SCENES_DOC_LENGTH = 4 * 1024 * 1024;
export const FADE_MS_MIN = 100;
export const FADE_MS_MAX = 2000;
/** Mixer gain range in dB (0 = unity). */
export const GAIN_DB_MIN = -60;
export const GAIN_DB_MAX = 12;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const name = z.string().trim().min(1).max(MAX_NAME_LENGTH);
const fraction = z.number().finite().min(0).max(1);
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);

/** Where an item sits in the frame: left/top corner and size, in fractions of the output. */
export const rectSchema = z.strictObject({
  x: z.number().finite().min(-1).max(2),
  y: z.number().finite().min(-1).max(2),
  w: z.number().finite().min(0.01).max(3),
  h: z.number().finite().min(0.01).max(3),
});
export type Rect = z.infer<typeof rectSchema>;

/** How much of the source is cut away on each side, in fractions of the source. */
export const cropSchema = z
  .strictObject({ left: fraction, top: fraction, right: fraction, bottom: fraction })
  .refine((c) => c.left + c.right < 0.95 && c.top + c.bottom < 0.95, { error: 'crop leaves nothing' });
export type Crop = z.infer<typeof cropSchema>;

const itemBase = {
  id,
  name,
  rect: rectSchema,
  crop: cropSchema,
  visible: z.boolean(),
};

export const sceneItemSchema = z.discriminatedUnion('kind', [
  /** The studio's camera (the one chosen in the device bar). */
  z.strictObject({ ...itemBase, kind: z.literal('camera') }),
  /** The screen or window the streamer shares (one shared capture for the studio). */
  z.strictObject({ ...itemBase, kind: z.literal('screen') }),
  /** Whoever is in this stage slot (0 = first on stage); nothing is drawn while the slot is empty. */
  z.strictObject({ ...itemBase, kind: z.literal('guest'), slot: z.number().int().min(0).max(GUEST_SLOTS - 1) }),
  z.strictObject({
    ...itemBase,
    kind: z.literal('image'),
    /** `data:image/png|jpeg|webp|gif;base64,…` */
    src: z
      .string()
      .max(MAX_IMAGE_DATA_URL_LENGTH)
      .regex(/^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/),
  }),
  z.strictObject({
    ...itemBase,
    kind: z.literal('text'),
    text: z.string().max(MAX_TEXT_LENGTH),
    color: colour,
    /** Font size as a fraction of the output height. */
    size: z.number().finite().min(0.01).max(0.5),
    /** A box behind the text, or null for none. */
    background: colour.nullable(),
    align: z.enum(['left', 'center', 'right']),
    bold: z.boolean(),
  }),
  z.strictObject({ ...itemBase, kind: z.literal('color'), color: colour }),
]);
export type SceneItem = z.infer<typeof sceneItemSchema>;

export const sceneSchema = z.strictObject({
  id,
  name,
  /** Bottom to top: the last item is drawn last. */
  items: z.array(sceneItemSchema).max(MAX_ITEMS_PER_SCENE),
});
export type Scene = z.infer<typeof sceneSchema>;

export const mixerChannelSchema = z.strictObject({
  gainDb: z.number().finite().min(GAIN_DB_MIN).max(GAIN_DB_MAX),
  muted: z.boolean(),
});
export type MixerChannel = z.infer<typeof mixerChannelSchema>;

/** The audio mixer's channels: the microphone and the shared screen's or tab's audio. */
export const mixerSettingsSchema = z.strictObject({
  mic: mixerChannelSchema,
  screen: mixerChannelSchema,
  master: mixerChannelSchema,
});
export type MixerSettings = z.infer<typeof mixerSettingsSchema>;

export const scenesDocSchema = z
  .strictObject({
    version: z.literal(1),
    scenes: z.array(sceneSchema).min(1).max(MAX_SCENES),
    /** The scene on air (the program). */
    programSceneId: id,
    /** Studio mode: the scene being prepared, taken to the program with Take; null outside studio mode. */
    previewSceneId: id.nullable(),
    transition: z.strictObject({ kind: z.enum(TRANSITIONS), durationMs: z.number().int().min(FADE_MS_MIN).max(FADE_MS_MAX) }),
    mixer: mixerSettingsSchema,
  })
  .refine((doc) => doc.scenes.some((scene) => scene.id === doc.programSceneId), { error: 'programSceneId names no scene', path: ['programSceneId'] })
  .refine((doc) => doc.previewSceneId === null || doc.scenes.some((scene) => scene.id === doc.previewSceneId), {
    error: 'previewSceneId names no scene',
    path: ['previewSceneId'],
  })
  .refine((doc) => new Set(doc.scenes.map((scene) => scene.id)).size === doc.scenes.length, { error: 'scene ids repeat', path: ['scenes'] });
export type ScenesDoc = z.infer<typeof scenesDocSchema>;

const FULL: Rect = { x: 0, y: 0, w: 1, h: 1 };
const NO_CROP: Crop = { left: 0, top: 0, right: 0, bottom: 0 };
const UNITY: MixerChannel = { gainDb: 0, muted: false };

/** Items of a preset scene, with ids derived from the scene id so a preset is deterministic. */
export function presetItems(preset: ScenePreset, sceneId: string): SceneItem[] {
  const base = (suffix: string) => ({ id: `${sceneId}-${suffix}`.slice(0, 40), crop: NO_CROP, visible: true });
  const camera = (rect: Rect): SceneItem => ({ ...base('cam'), kind: 'camera', name: 'Camera', rect });
  const screen = (rect: Rect): SceneItem => ({ ...base('screen'), kind: 'screen', name: 'Screen', rect });
  const card = (text: string, color: string): SceneItem[] => [
    { ...base('bg'), kind: 'color', name: 'Background', rect: FULL, color },
    {
      ...base('title'),
      kind: 'text',
      name: 'Title',
      rect: { x: 0.1, y: 0.4, w: 0.8, h: 0.2 },
      text,
      color: '#ffffff',
      size: 0.1,
      background: null,
      align: 'center',
      bold: true,
    },
  ];
  switch (preset) {
    case 'camera':
      return [camera(FULL)];
    case 'screen_pip':
      // The camera in the bottom-right corner: a quarter of the frame (16:9 in a 16:9 frame), 2 % from the edges.
      return [screen(FULL), camera({ x: 0.73, y: 0.72, w: 0.25, h: 0.25 })];
    case 'side_by_side':
      return [
        { ...base('bg'), kind: 'color', name: 'Background', rect: FULL, color: '#101418' },
        screen({ x: 0.01, y: 0.2, w: 0.48, h: 0.6 }),
        camera({ x: 0.51, y: 0.2, w: 0.48, h: 0.6 }),
      ];
    case 'starting_soon':
      return card('Starting soon', '#1d2b53');
    case 'be_right_back':
      return card('Be right back', '#3b1d53');
  }
}

/** What a new user has: one Camera scene on air, fades of 300 ms, every channel at unity. */
export function defaultScenesDoc(): ScenesDoc {
  return {
    version: 1,
    scenes: [{ id: 'camera', name: 'Camera', items: presetItems('camera', 'camera') }],
    programSceneId: 'camera',
    previewSceneId: null,
    transition: { kind: 'fade', durationMs: 300 },
    mixer: { mic: UNITY, screen: UNITY, master: UNITY },
  };
}
