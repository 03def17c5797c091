import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { isSameOrigin } from '../core/security/origins';
import { contentSecurityPolicy } from '../core/security/csp';
import { readStatic } from '../core/security/static-files';
import type { StudioCore } from '../core/studio-core';
import {
  decodeBinaryRequest,
  isBridgeRequest,
  WEB_BRIDGE_PATH,
  WEB_BRIDGE_PROTOCOL_PREFIX,
  WEB_BRIDGE_SCRIPT,
} from '../../shared/web-bridge-protocol';

export interface WebHarnessOptions {
  rendererRoot: string;
  /** 0 picks a free port. */
  port: number;
  createCore: (isTrustedOrigin: (url: string | null | undefined) => boolean, origin: string) => StudioCore;
  /** One line per connection the bridge had to close (never a payload or the key). */
  log?: (line: string) => void;
}

export interface WebHarness {
  origin: string;
  /** The URL to open: carries the per-launch key in the fragment, which is never sent to a server. */
  launchUrl: string;
  server: Server;
  close: () => Promise<void>;
}

const HOST = '127.0.0.1';
/** Room for one program-feed chunk (MEDIA_CHUNK_MAX_BYTES) and its header in a binary frame. */
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

/**
 * Close codes (RFC 6455 §7.4.1) for what the bridge itself refuses. Frame-level faults (too big,
 * bad UTF-8, protocol errors) are closed by ws with 1009, 1007 and 1002 before its `error` event.
 */
const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_INTERNAL_ERROR = 1011;

/**
 * Serves the built renderer on 127.0.0.1 and bridges the preload contract over a
 * WebSocket. A connection must come from the page's own origin and present the
 * per-launch key as its subprotocol; anything else is refused before it can call.
 */
export async function startWebHarness({ rendererRoot, port, createCore, log = () => undefined }: WebHarnessOptions): Promise<WebHarness> {
  const key = randomBytes(24).toString('hex');
  const expectedProtocol = Buffer.from(`${WEB_BRIDGE_PROTOCOL_PREFIX}${key}`);
  let origin = '';
  const isTrustedOrigin = (url: string | null | undefined) => isSameOrigin(url, origin);
  let core: StudioCore | null = null;
  const keyMatches = (offered: string) => {
    const candidate = Buffer.from(offered);
    return candidate.length === expectedProtocol.length && timingSafeEqual(candidate, expectedProtocol);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', origin).pathname;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405).end();
        return;
      }
      const file = await readStatic(rendererRoot, path === '/' ? '/index.html' : path);
      let body = file.body;
      if (file.status === 200 && file.contentType.startsWith('text/html')) {
        // The bridge must define window.onair before the app's module runs.
        body = body.toString().replace('<script', `<script type="module" src="/${WEB_BRIDGE_SCRIPT}"></script>\n    <script`);
      }
      response.writeHead(file.status, {
        'content-type': file.contentType,
        'content-security-policy': contentSecurityPolicy({ connect: [`ws://${HOST}:${portOf(server)}`], twilio: true, localCloud: true }),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    })().catch(() => {
      if (response.headersSent) response.destroy();
      else response.writeHead(500).end();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => [...protocols].find(keyMatches) ?? false,
  });

  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    // Node hands the socket over without an error listener: a reset would otherwise be uncaught.
    socket.on('error', () => socket.destroy());
    let path: string;
    try {
      path = new URL(request.url ?? '/', origin).pathname;
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    if (path !== WEB_BRIDGE_PATH || !isTrustedOrigin(request.headers.origin) || !offered.some(keyMatches)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, request.headers.origin ?? null));
  });

  const attach = (ws: WebSocket, senderOrigin: string | null) => {
    // A frame ws refuses (too big, bad UTF-8, unmasked, reserved opcode or bit, …) has already
    // closed this connection with its code when `error` fires; without a listener it would end the process.
    ws.on('error', (error) => log(`bridge: closed a connection: ${error.message}`));
    if (!core) {
      ws.close(1013, 'starting');
      return;
    }
    const studio = core;
    const refuse = (code: number, reason: string) => {
      log(`bridge: closed a connection: ${reason}`);
      ws.close(code, reason);
    };
    const disconnect = studio.events.connect((event, payload) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      try {
        ws.send(JSON.stringify({ event, payload }));
      } catch {
        refuse(CLOSE_INTERNAL_ERROR, 'event not sendable');
      }
    });
    ws.on('close', disconnect);
    ws.on('message', (data, isBinary) => {
      // Frames already received after a refusal are not calls.
      if (ws.readyState !== WebSocket.OPEN) return;
      let message: unknown;
      try {
        message = isBinary ? decodeBinaryRequest(toBytes(data)) : (JSON.parse(data.toString()) as unknown);
      } catch {
        message = null;
      }
      if (message === null) {
        refuse(CLOSE_UNSUPPORTED_DATA, isBinary ? 'malformed binary message' : 'malformed message');
        return;
      }
      if (!isBridgeRequest(message)) {
        refuse(CLOSE_POLICY_VIOLATION, 'invalid call: id must be a safe integer, channel a string');
        return;
      }
      const { id, channel, payload } = message;
      studio
        .dispatch(channel, payload, { url: senderOrigin })
        .then((envelope) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id, envelope }));
        })
        .catch(() => {
          if (ws.readyState === WebSocket.OPEN) refuse(CLOSE_INTERNAL_ERROR, 'internal error');
        });
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  origin = `http://${HOST}:${portOf(server)}`;
  core = createCore(isTrustedOrigin, origin);
  const studio = core;

  return {
    origin,
    launchUrl: `${origin}/#key=${key}`,
    server,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await studio.close();
    },
  };
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
