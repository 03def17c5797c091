import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { VIEWER_HLS_PREFIX, VIEWER_ID_PARAM, VIEWER_ID_PATTERN, VIEWER_PATH, VIEWER_TOKEN_PATH, type ViewerRefusal } from '../../../shared/guests';
import { readStatic } from '../security/static-files';
import { viewerPageCsp } from './guest-page-csp';
import type { ViewerRoom } from './viewer-room';

/** One file of the live HLS (a playlist or a segment, possibly still growing), as the local cloud serves it. */
export interface ViewerHlsFile {
  status: number;
  contentType: string;
  cacheControl: string;
  body: Readable;
}

/** What "Share the player on my network" serves, handed in by the composition root (the guests layer knows no broadcast). */
export interface ViewerSource {
  /** The Twilio Live player's browser bundle and WASM worker (`out/renderer/player`). */
  playerRoot: string;
  /** A playback token whose grant points the player at `<origin>/watch/hls/…`; null when nothing is live. */
  token: (origin: string) => Promise<{ token: string; expiresAt: string } | null>;
  /** `<PlayerStreamerSid>/<session>/<file>` of the live broadcast from the local cloud; null for anything else. */
  hls: (path: string) => Promise<ViewerHlsFile | null>;
}

/** Only the live stream's playlist and segments, by their exact shape (no traversal, no other cloud path). */
const HLS_PATH = /^VJ[0-9a-fA-F]{32}\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\.(m3u8|ts|m4s|mp4)$/;
const PLAYER_FILE = /^[A-Za-z0-9_.-]{1,96}$/;

const COMMON = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';

/** How the token endpoint answers each refusal; the page tries again after `retry-after` seconds. */
const REFUSAL_STATUS: Record<ViewerRefusal, { status: number; retryAfter: string | null }> = {
  full: { status: 503, retryAfter: '10' },
  too_many_requests: { status: 429, retryAfter: '10' },
  bad_request: { status: 400, retryAfter: null },
};

/**
 * The viewer page (the seeds' viewer: fetch a playback token, play it with the Twilio Live player)
 * on the guest server: `/watch/` (the page, from the guest bundle), `/watch/token`,
 * `/watch/player/*` (the SDK) and `/watch/hls/*` (the live HLS, relayed from the local cloud on
 * loopback) — nothing else. Answers every `/watch/…` request; GET and HEAD only (checked before).
 * A token goes only to a viewer `room` lets in; the HLS only to an address with a viewer watching.
 */
export async function serveViewer(request: IncomingMessage, response: ServerResponse, path: string, origin: string, guestRoot: string, source: ViewerSource, room: ViewerRoom): Promise<void> {
  const head = request.method === 'HEAD';
  const address = request.socket.remoteAddress ?? 'unknown';
  if (path === VIEWER_PATH || path === `${VIEWER_PATH}index.html`) {
    const page = await readStatic(guestRoot, '/watch/index.html');
    response.writeHead(page.status, { ...COMMON, 'content-type': page.contentType, 'content-security-policy': viewerPageCsp(), 'cache-control': 'no-store' });
    response.end(head ? undefined : page.body);
    return;
  }
  if (path === VIEWER_TOKEN_PATH) {
    const viewerId = new URL(request.url ?? '/', origin).searchParams.get(VIEWER_ID_PARAM) ?? '';
    const verdict = VIEWER_ID_PATTERN.test(viewerId) ? room.ask(viewerId, address) : ({ ok: false, reason: 'bad_request' } as const);
    if (!verdict.ok) {
      const { status, retryAfter } = REFUSAL_STATUS[verdict.reason];
      response.writeHead(status, { ...COMMON, 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
      response.end(head ? undefined : JSON.stringify({ error: verdict.reason }));
      return;
    }
    const token = await source.token(origin);
    const body = JSON.stringify(token ?? { error: 'not_live' });
    response.writeHead(token ? 200 : 404, { ...COMMON, 'content-type': JSON_TYPE, 'cache-control': 'no-store' });
    response.end(head ? undefined : body);
    return;
  }
  if (path.startsWith(`${VIEWER_PATH}player/`)) {
    const name = path.slice(`${VIEWER_PATH}player/`.length);
    const file = PLAYER_FILE.test(name) ? await readStatic(source.playerRoot, `/${name}`) : { status: 404, body: 'Not found', contentType: 'text/plain; charset=utf-8' };
    response.writeHead(file.status, { ...COMMON, 'content-type': file.contentType, 'cache-control': 'no-cache' });
    response.end(head ? undefined : file.body);
    return;
  }
  if (path.startsWith(VIEWER_HLS_PREFIX)) {
    const rest = path.slice(VIEWER_HLS_PREFIX.length);
    const file = HLS_PATH.test(rest) && room.streamTo(address) ? await source.hls(rest) : null;
    if (!file) {
      response.writeHead(404, { ...COMMON, 'content-type': 'text/plain; charset=utf-8' }).end(head ? undefined : 'Not found');
      return;
    }
    response.writeHead(file.status, { ...COMMON, 'content-type': file.contentType, 'cache-control': file.cacheControl });
    if (head) {
      file.body.destroy();
      response.end();
      return;
    }
    file.body.on('error', () => response.destroy());
    response.on('close', () => file.body.destroy());
    file.body.pipe(response);
    return;
  }
  response.writeHead(404, { ...COMMON, 'content-type': 'text/plain; charset=utf-8' }).end(head ? undefined : 'Not found');
}
