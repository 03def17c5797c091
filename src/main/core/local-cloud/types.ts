import type { CloudState } from './state';

export interface LocalCloudCredentials {
  accountSid: string;
  apiKeySid: string;
  apiSecret: string;
  syncServiceSid: string;
}

export interface FaultRule {
  method?: string;
  /** Matched against the URL path without the query, e.g. '/media/v1/PlayerStreamers'; a string must match exactly. */
  path: RegExp | string;
  count: number;
  /** HTTP status of the injected failure; omit for a delay-only fault. */
  status?: number;
  /** Twilio error code of the injected failure; defaults to 20000 + status. */
  code?: number;
  delayMs?: number;
}

export interface ServedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
}

export interface LocalCloud {
  origin: string;
  credentials: LocalCloudCredentials;
  clock: { now(): number; advance(ms: number): void };
  faults: { inject(rule: FaultRule): void; clear(): void };
  requests: ServedRequest[];
  /** Internal state, for the media path (e.g. `state.markStreamerStarted(sid)`) and tests. */
  state: CloudState;
  close(): Promise<void>;
}

export interface LocalCloudOptions {
  dataDir: string;
  /** 0 (the default) = any free port. */
  port?: number;
  now?: () => number;
}
