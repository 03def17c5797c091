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

/**
 * The viewer page's policy ("Share the player on my network"): the Twilio Live player's script
 * and WASM worker from this server only (`'wasm-unsafe-eval'` compiles its WebAssembly, no eval),
 * and connections (token, HLS) only back to this server.
 */
export function viewerPageCsp(): string {
  return cspHeader({
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'worker-src': ["'self'", 'blob:'],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  });
}
