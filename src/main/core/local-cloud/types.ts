import type { FoundFfmpeg } from './media/ffmpeg';
import type { MediaEngine } from './media/engine';
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
  /** The MediaProcessor engine: program feed in, HLS out (`/media/hls/...`). */
  media: MediaEngine;
  close(): Promise<void>;
}

export interface LocalCloudOptions {
  dataDir: string;
  /** 0 (the default) = any free port. */
  port?: number;
  now?: () => number;
  media?: LocalCloudMediaOptions;
}

export interface LocalCloudMediaOptions {
  /** Defaults to `<dataDir>/hls`. */
  hlsRoot?: string;
  /** Defaults to settings-less lookup: `FFMPEG_PATH`, then `PATH`. */
  findFfmpeg?: () => FoundFfmpeg | null;
  /** Target HLS segment length (cut at keyframes); default 0.25 s. */
  segmentSeconds?: number;
  /** Bound of the ingest queue; default 8 MiB. */
  maxQueueBytes?: number;
  /** How long an ended session's files are kept; default 30 s. */
  retainMs?: number;
  /** How long ending an ingest may take before ffmpeg is killed; default 8 s. */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}
