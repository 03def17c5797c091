import { protocol } from 'electron';
import { contentSecurityPolicy } from '../core/security/csp';
import { APP_HOST, APP_SCHEME } from '../core/security/origins';
import { readStatic } from '../core/security/static-files';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Serves the built renderer from `app://studio/`, never anything outside `rendererRoot`. */
export function serveRenderer(rendererRoot: string): void {
  // twilio-video in Twilio mode; the local cloud's loopback HLS for the preview player.
  const csp = contentSecurityPolicy({ twilio: true, localCloud: true });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = await readStatic(rendererRoot, url.pathname);
    return new Response(new Uint8Array(typeof file.body === 'string' ? Buffer.from(file.body) : file.body), {
      status: file.status,
      headers: {
        'content-type': file.contentType,
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cross-origin-opener-policy': 'same-origin',
      },
    });
  });
}
