import { join } from 'node:path';
import { createClock } from './clock';
import { findFfmpeg } from './media/ffmpeg';
import { MediaEngine } from './media/engine';
import { FaultBook } from './faults';
import { buildServer, HOST } from './server';
import { CloudState } from './state';
import { CloudStore } from './store';
import type { LocalCloud, LocalCloudOptions, ServedRequest } from './types';

export type { FaultRule, LocalCloud, LocalCloudCredentials, LocalCloudOptions, ServedRequest } from './types';
export type { CloudState } from './state';
export type { MediaEngine, MediaStatus, IngestTicket } from './media/engine';
export { STATE_FILE } from './store';

/**
 * Starts the local Twilio-compatible cloud on 127.0.0.1: `{origin}/{video,sync,media}/v1/...`.
 * State (credentials included) lives in one file in `dataDir` and survives restarts.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const clock = createClock(options.now);
  const store = new CloudStore(options.dataDir);
  const state = new CloudState(await store.load(), store, clock);
  const faults = new FaultBook();
  const requests: ServedRequest[] = [];
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
  const app = buildServer(
    { state, origin: () => origin, url: (domain, path) => `${origin}/${domain}${path}` },
    faults,
    requests,
    media,
  );
  await app.listen({ host: HOST, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('local cloud: no TCP address after listen');
  origin = `http://${HOST}:${address.port}`;

  return {
    origin,
    credentials: state.credentials,
    clock,
    faults,
    requests,
    state,
    media,
    async close() {
      await media.close();
      await app.close();
      await store.flush();
    },
  };
}
