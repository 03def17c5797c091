/** Wire format of the browser harness bridge (page ⇄ harness over one WebSocket). */
export const WEB_BRIDGE_PATH = '/bridge';
export const WEB_BRIDGE_SCRIPT = 'web-bridge.js';
/** The per-launch key travels as the WebSocket subprotocol `onair.<key>`. */
export const WEB_BRIDGE_PROTOCOL_PREFIX = 'onair.';

export interface BridgeRequest {
  id: number;
  channel: string;
  payload?: unknown;
}

/**
 * A call whose payload carries bytes (`media.chunk`) travels as one binary frame:
 * `[u32 big-endian header length][header: UTF-8 JSON BinaryBridgeHeader][the bytes]`.
 * The receiver puts the bytes back into `payload[field]` as a Uint8Array. Every other
 * call and every reply stays a JSON text frame.
 */
export interface BinaryBridgeHeader extends BridgeRequest {
  /** The payload property the bytes belong to. */
  field: string;
}

export function encodeBinaryRequest(header: BinaryBridgeHeader, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const frame = new Uint8Array(4 + json.byteLength + bytes.byteLength);
  new DataView(frame.buffer).setUint32(0, json.byteLength);
  frame.set(json, 4);
  frame.set(bytes, 4 + json.byteLength);
  return frame;
}

/** The request with its bytes restored, or null when the frame is malformed. */
export function decodeBinaryRequest(frame: Uint8Array): BridgeRequest | null {
  if (frame.byteLength < 4) return null;
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (length === 0 || 4 + length > frame.byteLength) return null;
  let header: BinaryBridgeHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as BinaryBridgeHeader;
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null || typeof header.id !== 'number' || typeof header.field !== 'string') return null;
  const payload = header.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const bytes = frame.slice(4 + length);
  return { id: header.id, channel: header.channel, payload: { ...(payload as Record<string, unknown>), [header.field]: bytes } };
}
