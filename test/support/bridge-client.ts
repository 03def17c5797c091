import WebSocket from 'ws';
import { WEB_BRIDGE_PATH, WEB_BRIDGE_PROTOCOL_PREFIX } from '../../src/shared/web-bridge-protocol';

/** What a page opened on the harness's launch URL uses to reach the bridge: its origin, the bridge URL and the key. */
export interface BridgeAddress {
  /** The page origin, sent as the Origin header. */
  origin: string;
  /** ws://127.0.0.1:<port>/bridge */
  bridgeUrl: string;
  /** The per-launch key from the URL fragment. */
  key: string;
  /** The subprotocol that carries the key. */
  protocol: string;
}

export function bridgeAddress(launchUrl: string): BridgeAddress {
  const url = new URL(launchUrl);
  const key = /^#key=([0-9a-f]+)$/.exec(url.hash)?.[1];
  if (!key) throw new Error(`no key in the fragment of ${launchUrl}`);
  return {
    origin: url.origin,
    bridgeUrl: `ws://${url.host}${WEB_BRIDGE_PATH}`,
    key,
    protocol: `${WEB_BRIDGE_PROTOCOL_PREFIX}${key}`,
  };
}

export interface BridgeClient {
  socket: WebSocket;
  /** Sends one call and resolves with the envelope of its reply. */
  call: (channel: string, payload?: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}

/** Connects to the bridge the way the page does: Origin = the page origin, the key as subprotocol. */
export async function connectBridge(launchUrl: string, timeoutMs = 10_000): Promise<BridgeClient> {
  const address = bridgeAddress(launchUrl);
  const socket = new WebSocket(address.bridgeUrl, [address.protocol], { origin: address.origin });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not open within ${timeoutMs} ms`)), timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  let nextId = 1;
  return {
    socket,
    call: (channel, payload) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const done = () => {
          clearTimeout(timer);
          socket.off('message', onMessage);
          socket.off('close', onClose);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no reply to ${channel} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(String(data)) as { id?: number; envelope?: unknown };
          if (message.id !== id) return;
          done();
          resolve(message.envelope);
        };
        const onClose = (code: number, reason: Buffer) => {
          done();
          reject(new Error(`the bridge closed (${code} ${String(reason)}) before replying to ${channel}`));
        };
        if (socket.readyState !== WebSocket.OPEN) return reject(new Error(`the bridge is not open (readyState ${socket.readyState})`));
        socket.on('message', onMessage);
        socket.on('close', onClose);
        socket.send(JSON.stringify({ id, channel, payload }));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
