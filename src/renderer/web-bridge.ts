/**
 * Browser-harness stand-in for the Electron preload (`npm run studio:web`).
 * Defines the same frozen `window.onair`, carried over a loopback WebSocket that
 * presents the per-launch key from the launch link. Not part of the desktop app.
 */
import { buildApi } from '../shared/api-surface';
import type { Envelope, EventName } from '../shared/contract';
import type { IpcError } from '../shared/errors';
import { encodeBinaryRequest, WEB_BRIDGE_PATH, WEB_BRIDGE_PROTOCOL_PREFIX } from '../shared/web-bridge-protocol';

const KEY_STORAGE = 'onair.bridgeKey';

function launchKey(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    sessionStorage.setItem(KEY_STORAGE, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(KEY_STORAGE);
}

const transportError = (message: string): Envelope<never> => ({
  ok: false,
  error: { code: 'ipc.transport', message } satisfies IpcError,
});

const key = launchKey();
const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let nextId = 1;
let socket: WebSocket | null = null;
let opened: Promise<WebSocket> | null = null;

function connect(): Promise<WebSocket> {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    if (!key) {
      reject(new Error('Open the studio with the link printed by "npm run studio:web".'));
      return;
    }
    const ws = new WebSocket(`ws://${location.host}${WEB_BRIDGE_PATH}`, [`${WEB_BRIDGE_PROTOCOL_PREFIX}${key}`]);
    ws.addEventListener('open', () => {
      socket = ws;
      resolve(ws);
    });
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; envelope?: Envelope<unknown>; event?: EventName; payload?: unknown };
      if (typeof message.id === 'number') {
        pending.get(message.id)?.(message.envelope ?? transportError('empty reply'));
        pending.delete(message.id);
      } else if (message.event) {
        listeners.get(message.event)?.forEach((listener) => listener(message.payload));
      }
    });
    ws.addEventListener('close', () => {
      socket = null;
      opened = null;
      for (const settle of pending.values()) settle(transportError('The studio connection closed.'));
      pending.clear();
      reject(new Error('The studio refused the connection. Open the link printed by "npm run studio:web".'));
    });
  });
  return opened;
}

/** The top-level payload property holding bytes (a program-feed chunk), which then go as a binary frame. */
function binaryField(request: unknown): string | null {
  if (typeof request !== 'object' || request === null) return null;
  return Object.entries(request).find(([, value]) => value instanceof Uint8Array)?.[0] ?? null;
}

const api = buildApi(
  async (channel, request) => {
    let ws: WebSocket;
    try {
      ws = socket ?? (await connect());
    } catch (error) {
      return transportError((error as Error).message);
    }
    const id = nextId++;
    return new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, resolve);
      const binary = binaryField(request);
      if (binary) {
        const { [binary]: bytes, ...rest } = request as Record<string, Uint8Array>;
        ws.send(encodeBinaryRequest({ id, channel, payload: rest, field: binary }, bytes as Uint8Array));
      } else {
        ws.send(JSON.stringify({ id, channel, payload: request }));
      }
    });
  },
  (event, listener) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)?.add(listener);
    void connect().catch(() => {});
    return () => {
      listeners.get(event)?.delete(listener);
    };
  },
);

Object.defineProperty(window, 'onair', { value: api, writable: false, configurable: false, enumerable: true });
