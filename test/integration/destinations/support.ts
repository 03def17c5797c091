import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import type { DestinationsSnapshot } from '../../../src/shared/destinations';
import type { NginxRtmp } from '../../support/nginx-rtmp';
import { type FeedSource, startFeed } from '../rtmp/support';

export const APP_ORIGIN = 'http://127.0.0.1:5999';

/** Small, fast backoff and bounds for tests; the defaults are OBS's. */
export const TEST_OUTPUT_OPTIONS = {
  reconnect: { firstDelayMs: 300, factor: 1.5, jitter: 0.2, maxDelayMs: 1_000, maxRetries: 30 },
  stallMs: 3_000,
  connectTimeoutMs: 6_000,
  progressPeriodMs: 500,
  stopTimeoutMs: 2_000,
};

/**
 * A studio core as the harness builds it — settings in a real file on disk (`conf`), the
 * AES-GCM vault — with every IPC reply, event and log line kept for the key scan.
 */
export interface RecordedCore {
  core: StudioCore;
  store: Conf<Record<string, unknown>>;
  /** Every reply (ok or error envelope) and event payload, as JSON. */
  seen: string[];
  logs: string[];
  snapshots: DestinationsSnapshot[];
  call<T>(channel: string, payload?: unknown): Promise<T>;
  attempt<T>(channel: string, payload?: unknown): Promise<Envelope<T>>;
}

export function recordedCore(options: {
  dir: string;
  nginx: NginxRtmp;
  cloud?: LocalCloud;
  twilioOrigin?: string;
}): RecordedCore {
  const store = new Conf<Record<string, unknown>>({ cwd: options.dir, configName: 'settings' });
  const seen: string[] = [];
  const logs: string[] = [];
  const snapshots: DestinationsSnapshot[] = [];
  const core = createStudioCore({
    store,
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir: options.dir,
    appOrigin: APP_ORIGIN,
    isTrustedSender: () => true,
    ...(options.cloud ? { localCloud: async () => options.cloud! } : {}),
    twilioOrigin: options.twilioOrigin,
    timeoutMs: 2_000,
    retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    log: (line) => logs.push(line),
    destinations: { caFile: options.nginx.certificates.caFile, outputOptions: TEST_OUTPUT_OPTIONS },
  });
  core.events.connect((event, payload) => {
    seen.push(`${event} ${JSON.stringify(payload)}`);
    if (event === 'destinations.changed') snapshots.push(payload as DestinationsSnapshot);
  });
  const attempt = async <T>(channel: string, payload?: unknown) => {
    const envelope = (await core.dispatch(channel, payload, { url: APP_ORIGIN })) as Envelope<T>;
    // Binary chunks stay out of the record; their replies do not.
    seen.push(`${channel} ${JSON.stringify(envelope)}`);
    return envelope;
  };
  const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
    const envelope = await attempt<T>(channel, payload);
    if (!envelope.ok) throw Object.assign(new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`), { code: envelope.error.code });
    return envelope.value;
  };
  return { core, store, seen, logs, snapshots, call, attempt };
}

/**
 * The renderer's side of the program feed: a live generated fMP4 (H.264 2 s GOP + Opus; or the
 * WebM/VP8 fallback) sent
 * with `media.chunk` in order, each chunk acknowledged before the next; a refused chunk
 * (`media.backpressure`) is sent again.
 */
export class FeedPump {
  readonly source: FeedSource;
  private readonly queue: Buffer[] = [];
  private running = false;
  private done: Promise<void> = Promise.resolve();
  sent = 0;
  chunks = 0;
  lastError: string | null = null;

  constructor(kind: 'mp4' | 'mp4-aac' | 'mp4-short-gop' | 'webm' = 'mp4') {
    this.source = startFeed(kind);
    this.source.fanout.add({ write: (piece) => this.queue.push(Buffer.from(piece.data)) });
  }

  start(recorded: RecordedCore, ingestId: string): void {
    this.running = true;
    this.done = (async () => {
      let seq = 0;
      while (this.running) {
        const next = this.queue.shift();
        if (!next) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        for (;;) {
          const envelope = await recorded.core.dispatch('media.chunk', { ingestId, seq, data: new Uint8Array(next) }, { url: APP_ORIGIN });
          if (envelope.ok) break;
          if (envelope.error.code !== 'media.backpressure') {
            this.lastError = envelope.error.code;
            this.running = false;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        seq += 1;
        this.chunks += 1;
        this.sent += next.length;
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    await this.source.stop();
  }
}

function children(match: (args: string) => boolean): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there is no child at all.
    return [];
  }
  return out
    .split('\n')
    .filter((line) => /ffmpeg/.test(line) && match(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** ffmpeg processes that are children of this test process and publish over RTMP. */
export function rtmpChildren(): number[] {
  return children((args) => /rtmps?:\/\//.test(args));
}

/** The shared audio stage's ffmpeg (reads the feed on stdin, writes fMP4 with about a fragment per frame: -frag_duration 1). */
export function audioStageChildren(): number[] {
  return children((args) => args.includes('pipe:0') && args.includes('pipe:1') && /-frag_duration 1(\s|$)/.test(args));
}

/** Every file below `dir`, with its bytes as text. */
export function filesBelow(dir: string): Array<{ path: string; text: string }> {
  const found: Array<{ path: string; text: string }> = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push({ path, text: readFileSync(path).toString('latin1') });
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** The newest HLS segment's sequence number the preview's packager wrote below `hlsRoot` (-1: none yet). */
export function newestSegment(hlsRoot: string): number {
  let newest = -1;
  for (const file of existsSync(hlsRoot) ? filesBelowNames(hlsRoot) : []) {
    const match = /^s(\d{5,})\.ts$/.exec(file);
    if (match) newest = Math.max(newest, Number(match[1]));
  }
  return newest;
}

function filesBelowNames(dir: string): string[] {
  const names: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) names.push(...filesBelowNames(path));
    else names.push(name);
  }
  return names;
}
