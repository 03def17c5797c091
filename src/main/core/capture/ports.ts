/**
 * The parts of Electron the capture service uses, as plain shapes: the shell passes Electron's own
 * objects, tests pass fakes (test/support/fake-electron.ts). No `electron` import here.
 */
export interface NativeImageLike {
  isEmpty(): boolean;
  toDataURL(): string;
}

export interface DesktopSourceLike {
  id: string;
  name: string;
  thumbnail: NativeImageLike;
  appIcon: NativeImageLike | null;
}

export interface DesktopCapturerLike {
  getSources(options: {
    types: Array<'screen' | 'window'>;
    thumbnailSize: { width: number; height: number };
    fetchWindowIcons: boolean;
  }): Promise<DesktopSourceLike[]>;
}

export type MediaAccessStatus = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';

/** `systemPreferences.getMediaAccessStatus` (macOS and Windows only). */
export type ScreenAccess = () => MediaAccessStatus;

/** What Electron's `setDisplayMediaRequestHandler` passes in (`request.frame` is a WebFrameMain). */
export interface DisplayMediaRequestLike {
  securityOrigin: string;
  frame: { url: string } | null;
  videoRequested: boolean;
  audioRequested: boolean;
}

/** What the handler answers: the chosen source, with the system's audio where the platform has it; null refuses. */
export type DisplayMediaAnswer = { video: { id: string; name: string }; audio?: 'loopback' } | null;
