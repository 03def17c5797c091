import { join } from 'node:path';
import { createClock } from './clock';
import { findFfmpeg } from '../media/ffmpeg/find';
import { MediaEngine } from './media-engine';
import { FaultBook } from './faults';
import { buildServer, HOST } from './server';
import { RequestLog } from './request-log';
import { CloudState } from './state';
import { CloudStore } from './store';
import type { LocalCloud, LocalCloudOptions } from './types';

export type { FaultRule, LocalCloud, LocalCloudCredentials, LocalCloudOptions, PathMatcher, ServedRequest } from './types';
export type { CloudLimits } from './limits';
export { DEFAULT_LIMITS } from './limits';
export { DEFAULT_REQUEST_LOG_SIZE } from './request-log';
export { PathGlob } from './path-glob';
export { MAX_CLOCK_ADVANCE_MS } from './routes/control';
export type { CloudState } from './state';
export type { MediaEngine, MediaStatus, IngestTicket } from './media-engine';
export { STATE_FILE } from './store';

/**
 * Starts the local Twilio-compatible cloud on 127.0.0.1: `{origin}/{video,sync,media}/v1/...`.
 * State (credentials included) lives in one file in `dataDir` and survives restarts; changes are
 * written coalesced (`persistence.coalesceMs`), and `close()` writes what is pending.
 * `/__control/*` is served only with `testControls: true`.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const clock = createClock(options.now);
  const store = new CloudStore(options.dataDir, options.persistence);
  const state = new CloudState(await store.load(), store, clock, options.limits);
  const faults = new FaultBook();
  const requests = new RequestLog(options.requestLogSize);
  let origin = '';
  const media = new MediaEngine({
    state,
    hlsRoot: options.media?.hlsRoot ?? join(options.dataDir, 'hls'),
    findFfmpeg: options.media?.findFfmpeg ?? (() => findFfmpeg()),
    segmentSeconds: options.media?.segmentSeconds,
    maxQueueBytes: options.media?.maxQueueBytes,
    retainMs: options.media?.retainMs,
    stopTimeoutMs: options.media?.stopTimeoutMs,
    log: options.media?.log,
  });
  await media.wipe();
  const app = buildServer({ state, origin: () => origin, url: (domain, path) => `${origin}/${domain}${path}` }, faults, requests, {
    media,
    testControls: options.testControls === true,
  });
  await app.listen({ host: HOST, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('local cloud: no TCP address after listen');
  origin = `http://${HOST}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    origin,
    credentials: state.credentials,
    clock,
    faults,
    get requests() {
      return requests.entries();
    },
    state,
    media,
    close() {
      closing ??= (async () => {
        await media.close();
        await app.close();
        await state.flush();
      })();
      return closing;
    },
  };
}
