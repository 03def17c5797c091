import { cspHeader } from '../security/csp';

/**
 * The guest page's own Content-Security-Policy: its scripts and styles from the guest server
 * only, no inline script, no eval, no framing, and connections only back to the server it came
 * from (its signalling WebSocket). Media arrives over WebRTC, which CSP does not govern.
 */
export function guestPageCsp(origin: string): string {
  const wsOrigin = origin.replace(/^https:/, 'wss:');
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'connect-src': ["'self'", wsOrigin],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return cspHeader(directives);
}
