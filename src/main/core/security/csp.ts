export interface CspOptions {
  /** Extra `connect-src` sources, e.g. the harness WebSocket or the local cloud. */
  connect?: string[];
  /** Extra `media-src` sources (HLS on loopback). */
  media?: string[];
  /** Allow twilio-video's signaling and REST endpoints (Twilio mode: `https://*.twilio.com`, `wss://*.twilio.com`). */
  twilio?: boolean;
  /**
   * Allow the embedded local cloud's HLS on loopback (`http://127.0.0.1:*` in connect-src and
   * media-src) for the preview player. Its port is chosen at run time, hence any port.
   */
  localCloud?: boolean;
}

const TWILIO_SOURCES = ['https://*.twilio.com', 'wss://*.twilio.com'];
/** The local cloud's HLS (playlist and segments, fetched by the preview player's worker and media element). */
const LOOPBACK_HLS = 'http://127.0.0.1:*';

/**
 * The studio's Content-Security-Policy. No inline or remote script, no eval
 * (WebAssembly compilation only), no plugins, no framing.
 */
export function contentSecurityPolicy({ connect = [], media = [], twilio = false, localCloud = false }: CspOptions = {}): string {
  const twilioSources = twilio ? TWILIO_SOURCES : [];
  const loopback = localCloud ? [LOOPBACK_HLS] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'media-src': ["'self'", 'blob:', 'mediastream:', ...media, ...loopback, ...(twilio ? ['https://*.twilio.com'] : [])],
    'connect-src': ["'self'", ...connect, ...loopback, ...twilioSources],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return cspHeader(directives);
}

/** Directives (name → sources) as one Content-Security-Policy header value. */
export function cspHeader(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
