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

/**
 * Whether a decoded message is a call: an object whose `id` is a safe integer and whose `channel`
 * is a string. Nothing is coerced: `["app.info"]` or `{"toString":null}` is not a channel.
 */
export function isBridgeRequest(value: unknown): value is BridgeRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, channel } = value as Record<string, unknown>;
  return Number.isSafeInteger(id) && typeof channel === 'string';
}

/**
 * The call with its bytes restored into `payload[field]`, or null when the frame's layout is
 * malformed (lengths, header JSON, `field`, `payload`). `id` and `channel` are as sent: check the
 * result with `isBridgeRequest`.
 */
export function decodeBinaryRequest(frame: Uint8Array): { id: unknown; channel: unknown; payload: Record<string, unknown> } | null {
  if (frame.byteLength < 4) return null;
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (length === 0 || 4 + length > frame.byteLength) return null;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + length)));
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return null;
  const { id, channel, field, payload } = header as Record<string, unknown>;
  if (typeof field !== 'string') return null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const bytes = frame.slice(4 + length);
  return { id, channel, payload: { ...(payload as Record<string, unknown>), [field]: bytes } };
}
