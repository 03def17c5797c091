export interface CspOptions {
  /** Extra `connect-src` sources, e.g. the harness WebSocket or the local cloud. */
  connect?: string[];
  /** Extra `media-src` sources (HLS on loopback). */
  media?: string[];
}

/**
 * The studio's Content-Security-Policy. No inline or remote script, no eval
 * (WebAssembly compilation only), no plugins, no framing.
 */
export function contentSecurityPolicy({ connect = [], media = [] }: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'media-src': ["'self'", 'blob:', 'mediastream:', ...media],
    'connect-src': ["'self'", ...connect],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
