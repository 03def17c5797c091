import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_MAX_VIEWERS, GUEST_SIGNAL_PATH, GUEST_WIRE_MAX_BYTES, VIEWER_PATH, type GuestWireIn, type GuestWireOut, type JoinRefusal } from '../../../shared/guests';
import { isSameOrigin } from '../security/origins';
import { readStatic } from '../security/static-files';
import type { GuestCertificate } from './certificate';
import { guestPageCsp } from './guest-page-csp';
import { GuestWireReader } from './guest-wire';
import { DEFAULT_JOIN_LIMITS, JoinLimiter, type JoinLimits } from './join-limiter';
import { DEFAULT_VIEWER_ACTIVE_MS, DEFAULT_VIEWER_RATE, type ViewerLimits, ViewerRoom } from './viewer-room';
import { serveViewer, type ViewerSource } from './viewer-routes';

/** One guest page's connection, as the service sees it. */
export interface GuestLink {
  readonly address: string;
  send(message: GuestWireOut): void;
  close(reason: string): void;
}

/** What the guest server asks of the guest service. */
export interface GuestServerHandler {
  join(link: GuestLink, hello: Extract<GuestWireIn, { type: 'hello' }>): { ok: true; guestId: string } | { ok: false; reason: JoinRefusal };
  message(guestId: string, message: Exclude<GuestWireIn, { type: 'hello' }>): void;
  closed(guestId: string): void;
}

export interface GuestServerOptions {
  address: string;
  port: number;
  certificate: GuestCertificate;
  /** The built guest page (`out/renderer/guest`): the only files this server serves. */
  guestRoot: string;
  handler: GuestServerHandler;
  /** "Share on my network": the guest page and its WebSocket (default true); false = only the viewer page, if shared. */
  guestPage?: boolean;
  /** "Share the player on my network": the viewer page, its token and the live HLS under `/watch/`; absent = not shared. */
  viewers?: ViewerSource | null;
  limits?: JoinLimits;
  /** Viewers at most, how long one counts after its last token request, and the per-address request rate. */
  viewerLimits?: Partial<ViewerLimits>;
  /** A connection that has not said hello by then is closed. */
  helloTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface GuestServer {
  origin: string;
  port: number;
  /** What the server refused, by reason (for the fuzz test and the activity log). */
  refusals: () => Record<string, number>;
  /** How many viewers watch now (0 when the player is not shared). */
  viewersWatching: () => number;
  close: () => Promise<void>;
}

const CLOSE_POLICY = 1008;
const CLOSE_UNSUPPORTED = 1003;

/**
 * "Share on my network": HTTPS on the one address the user chose, serving the guest page and its
 * signalling WebSocket — nothing else of the studio. The WebSocket takes only the page's own
 * origin, bounded message sizes and rates, and a join within `helloTimeoutMs`.
 */
export async function startGuestServer(options: GuestServerOptions): Promise<GuestServer> {
  const { address, certificate, guestRoot, handler, log = () => undefined } = options;
  const guestPage = options.guestPage ?? true;
  const viewers = options.viewers ?? null;
  const limiter = new JoinLimiter(options.limits ?? DEFAULT_JOIN_LIMITS);
  const room = new ViewerRoom({ max: () => DEFAULT_MAX_VIEWERS, activeMs: DEFAULT_VIEWER_ACTIVE_MS, ...DEFAULT_VIEWER_RATE, ...options.viewerLimits });
  const refusals: Record<string, number> = {};
  const refuse = (reason: string) => {
    refusals[reason] = (refusals[reason] ?? 0) + 1;
  };
  let origin = '';

  const server: Server = createServer({ cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' }, (request, response) => {
    void (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = new URL(request.url ?? '/', origin).pathname;
      if (path.startsWith(VIEWER_PATH) || path === VIEWER_PATH.slice(0, -1)) {
        if (viewers) return serveViewer(request, response, path, origin, guestRoot, viewers, room);
        return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Not found');
      }
      // Without the guest page shared, only the bundle's assets (the viewer page's script and style) answer.
      const served = guestPage || path.startsWith('/assets/');
      const file = served ? await readStatic(guestRoot, path === '/' ? '/index.html' : path) : { status: 404, body: 'Not found', contentType: 'text/plain; charset=utf-8' };
      response.writeHead(file.status, {
        'content-type': file.contentType,
        'content-security-policy': guestPageCsp(origin),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
        'permissions-policy': 'camera=(self), microphone=(self)',
      });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    })().catch(() => {
      if (response.headersSent) response.destroy();
      else response.writeHead(500).end();
    });
  });
  // A TLS handshake that fails (a browser that has not accepted the certificate yet) is not an error of the studio.
  server.on('tlsClientError', () => refuse('tls'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: GUEST_WIRE_MAX_BYTES });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const deny = (status: string, reason: string) => {
      refuse(reason);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    let path: string;
    try {
      path = new URL(request.url ?? '/', origin).pathname;
    } catch {
      deny('400 Bad Request', 'bad_url');
      return;
    }
    if (path !== GUEST_SIGNAL_PATH || !guestPage) return deny('404 Not Found', 'path');
    if (!isSameOrigin(request.headers.origin, origin)) return deny('403 Forbidden', 'origin');
    const from = socket.remoteAddress ?? 'unknown';
    if (!limiter.attempt(from)) return deny('429 Too Many Requests', 'flood');
    if (!limiter.open()) return deny('503 Service Unavailable', 'pending');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, from));
  });

  const attach = (ws: WebSocket, from: string) => {
    const reader = new GuestWireReader();
    let guestId: string | null = null;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      limiter.settled();
    };
    const link: GuestLink = {
      address: from,
      send: (message) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      close: (reason) => ws.close(1000, reason),
    };
    const helloTimer = setTimeout(() => {
      refuse('no_hello');
      ws.close(CLOSE_POLICY, 'no hello');
    }, options.helloTimeoutMs ?? 10_000);
    ws.on('error', (error) => {
      refuse('frame');
      log(`guest server: closed a connection: ${error.message}`);
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      settle();
      if (guestId) handler.closed(guestId);
    });
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const verdict = reader.read(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer), isBinary);
      if (!verdict.ok) {
        refuse(verdict.reason);
        ws.close(verdict.reason === 'binary' ? CLOSE_UNSUPPORTED : CLOSE_POLICY, verdict.reason);
        return;
      }
      const message = verdict.message;
      if (message.type === 'hello') {
        clearTimeout(helloTimer);
        settle();
        const joined = handler.join(link, message);
        if (!joined.ok) {
          refuse(`join_${joined.reason}`);
          link.send({ type: 'refused', reason: joined.reason });
          ws.close(CLOSE_POLICY, joined.reason);
          return;
        }
        guestId = joined.guestId;
        return;
      }
      if (!guestId) return;
      handler.message(guestId, message);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://${address.includes(':') ? `[${address}]` : address}:${port}`;

  return {
    origin,
    port,
    refusals: () => ({ ...refusals }),
    viewersWatching: () => room.watching(),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
