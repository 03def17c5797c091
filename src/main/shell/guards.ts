import { type Session, shell, type WebContents } from 'electron';
import { APP_ORIGIN, isSameOrigin } from '../core/security/origins';

const MEDIA_TYPES = new Set(['video', 'audio']);
/** Camera and microphone (`media`) and a screen, window or tab with its audio (`display-capture`). */
const CAPTURE_PERMISSIONS = new Set(['media', 'display-capture']);

/**
 * Only the studio's own pages may use the camera, the microphone and screen capture (which source
 * it gets is decided by the display-media handler, src/main/shell/display-media.ts); nothing else
 * is granted.
 */
export function installPermissionGuards(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const fromApp = isSameOrigin(details.requestingUrl ?? webContents?.getURL(), APP_ORIGIN);
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(CAPTURE_PERMISSIONS.has(permission) && fromApp && mediaTypes.every((type) => MEDIA_TYPES.has(type)));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    return CAPTURE_PERMISSIONS.has(permission) && requestingOrigin === APP_ORIGIN;
  });
}

/** Opens https links in the user's browser; everything else is dropped. */
export function openExternalSafely(url: string): void {
  try {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url);
  } catch {
    // not a URL: ignore
  }
}

/** The window never navigates away from the studio and never opens another window. */
export function installNavigationGuards(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isSameOrigin(url, APP_ORIGIN)) return;
    event.preventDefault();
    openExternalSafely(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isSameOrigin(url, APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}
