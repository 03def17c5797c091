import { desktopCapturer, type Session, systemPreferences } from 'electron';
import type { CaptureService, CaptureServiceOptions } from '../core/capture/capture-service';

/** Electron's desktop capturer and, on macOS, the Screen Recording permission, for the core's capture service. */
export function electronCapture(): Pick<CaptureServiceOptions, 'desktopCapturer' | 'screenAccess'> {
  return {
    desktopCapturer,
    ...(process.platform === 'darwin' ? { screenAccess: () => systemPreferences.getMediaAccessStatus('screen') } : {}),
  };
}

/**
 * `getDisplayMedia` in the studio's page is answered with the source chosen in the studio's own
 * picker (CaptureService.answer); requests from any other page, or without a choice, are refused.
 */
export function installDisplayMediaHandler(session: Session, capture: CaptureService): void {
  session.setDisplayMediaRequestHandler((request, callback) => {
    let frameUrl: string | null = null;
    try {
      frameUrl = request.frame?.url ?? null;
    } catch {
      // The frame went away while asking: refused below.
    }
    callback(
      capture.answer({
        securityOrigin: request.securityOrigin,
        frame: frameUrl === null ? null : { url: frameUrl },
        videoRequested: request.videoRequested,
        audioRequested: request.audioRequested,
      }),
    );
  });
}
