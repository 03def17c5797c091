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
