import type { FoundFfmpeg } from '../media/ffmpeg/find';
import type { MediaEngine } from './media-engine';
import type { CloudLimits } from './limits';
import type { LocalCloudCredentials } from './model';
import type { CloudState } from './state';

export type { LocalCloudCredentials } from './model';

export interface FaultRule {
  method?: string;
  /**
   * Matched against the URL path without the query, e.g. '/media/v1/PlayerStreamers': a string
   * exactly, or anything with `test(path)` — a `PathGlob` (what `/__control/faults` builds), or a
   * RegExp from in-process test code.
   */
  path: string | PathMatcher;
  count: number;
  /** HTTP status of the injected failure; omit for a delay-only fault. */
  status?: number;
  /** Twilio error code of the injected failure; defaults to 20000 + status. */
  code?: number;
  delayMs?: number;
}

export interface PathMatcher {
  test(path: string): boolean;
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
  /** The newest requests served, oldest first (a bounded ring: see `requestLogSize`). */
  readonly requests: readonly ServedRequest[];
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
  /**
   * Serve `/__control/faults` and `/__control/clock` over HTTP. Tests only (`onair cloud serve
   * --test-controls`); off by default, and never on in the studio.
   */
  testControls?: boolean;
  /** Override quotas and retention (tests); defaults in `DEFAULT_LIMITS`. */
  limits?: Partial<CloudLimits>;
  /** How many requests `requests` keeps; default `DEFAULT_REQUEST_LOG_SIZE` (2000). */
  requestLogSize?: number;
  persistence?: LocalCloudPersistenceOptions;
}

export interface LocalCloudPersistenceOptions {
  /**
   * Changes are written at most this long after they are made, many changes in one write
   * (default 250 ms). `close()` writes what is pending; a crash loses at most this window.
   */
  coalesceMs?: number;
  /** Writes the state file (default: an atomic write, mode 0600). Tests inject one to count writes. */
  write?: (file: string, text: string) => Promise<void>;
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
