import { z } from 'zod';

/**
 * Screen and window capture in the desktop app: the renderer asks main for the sources
 * (`capture.sources`), shows the studio's own picker, tells main the choice (`capture.choose`), then
 * calls `getDisplayMedia`, which main answers with that source. The browser harness has no
 * desktopCapturer: `capture.sources` fails with `capture.unsupported` and the renderer uses the
 * browser's own picker.
 */
export const CAPTURE_SOURCE_KINDS = ['screen', 'window'] as const;
export type CaptureSourceKind = (typeof CAPTURE_SOURCE_KINDS)[number];

/** Longest source id accepted (`screen:0:0`, `window:1234:0`; a bound, not a format). */
export const MAX_CAPTURE_SOURCE_ID = 200;
/** Thumbnail size asked from the desktop capturer (the picker shows them at about this size). */
export const CAPTURE_THUMBNAIL_SIZE = { width: 320, height: 180 } as const;
/** A choice is good for one `getDisplayMedia` call within this time. */
export const CAPTURE_CHOICE_TTL_MS = 30_000;

const dataUrl = z.string().regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]*$/);

export const captureSourceSchema = z.strictObject({
  id: z.string().min(1).max(MAX_CAPTURE_SOURCE_ID),
  name: z.string().max(500),
  kind: z.enum(CAPTURE_SOURCE_KINDS),
  /** A PNG data URL, or null when the system gave an empty image. */
  thumbnail: dataUrl.nullable(),
  /** The window's application icon, when the system has one. */
  icon: dataUrl.nullable(),
});
export type CaptureSource = z.infer<typeof captureSourceSchema>;

export const captureSourcesSchema = z.strictObject({
  sources: z.array(captureSourceSchema),
  /** The system gives the screen's own audio with it (Windows: loopback). */
  systemAudio: z.boolean(),
});
export type CaptureSources = z.infer<typeof captureSourcesSchema>;

export const captureChooseRequestSchema = z.strictObject({ id: z.string().min(1).max(MAX_CAPTURE_SOURCE_ID) });
export type CaptureChooseRequest = z.infer<typeof captureChooseRequestSchema>;

export const captureChoiceSchema = z.strictObject({ id: z.string(), name: z.string(), kind: z.enum(CAPTURE_SOURCE_KINDS) });
export type CaptureChoice = z.infer<typeof captureChoiceSchema>;
