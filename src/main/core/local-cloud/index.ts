import { createClock } from './clock';
import { FaultBook } from './faults';
import { buildServer, HOST } from './server';
import { CloudState } from './state';
import { CloudStore } from './store';
import type { LocalCloud, LocalCloudOptions, ServedRequest } from './types';

export type { FaultRule, LocalCloud, LocalCloudCredentials, LocalCloudOptions, ServedRequest } from './types';
export type { CloudState } from './state';
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
  const app = buildServer(
    { state, origin: () => origin, url: (domain, path) => `${origin}/${domain}${path}` },
    faults,
    requests,
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
    async close() {
      await app.close();
      await store.flush();
    },
  };
}
