import { tmpdir } from 'node:os';
import { expect } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../../../src/main/core/studio-core';
import { startTempCloud } from '../local-cloud/support/cloud';
import { findOperation } from '../local-cloud/support/openapi';

export const APP_ORIGIN = 'app://studio';

/** A local cloud on a fresh data folder (removed by its close()), with a clock the test controls. */
export async function startTestCloud(): Promise<LocalCloud> {
  let now = Date.parse('2026-11-22T10:00:00Z');
  return (await startTempCloud({ now: () => now++ })).cloud;
}

/**
 * The studio core in local mode against `cloud`, the way the app builds it. The
 * store stands for the app's data folder: pass the same one to a second core to
 * simulate a restart after a crash.
 */
export function studioCore(cloud: LocalCloud, store = new MemoryStore(), options: { noSleep?: boolean } = {}): StudioCore {
  return createStudioCore({
    store,
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir: tmpdir(),
    appOrigin: APP_ORIGIN,
    isTrustedSender: () => true,
    localCloud: async () => cloud,
    timeoutMs: 2_000,
    now: () => cloud.clock.now(),
    retry: options.noSleep ? { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0 } : undefined,
  });
}

/** Active billable resources, straight from the cloud's REST API (not through the studio). */
export async function activeResources(cloud: LocalCloud): Promise<string[]> {
  const auth = `Basic ${Buffer.from(`${cloud.credentials.apiKeySid}:${cloud.credentials.apiSecret}`).toString('base64')}`;
  const list = async (path: string, key: string, status: string) => {
    const response = await fetch(`${cloud.origin}/media/v1/${path}?Status=${status}&PageSize=1000`, { headers: { authorization: auth } });
    const body = (await response.json()) as Record<string, Array<{ sid: string }>>;
    return (body[key] ?? []).map((item) => `${status}:${item.sid}`);
  };
  return [
    ...(await list('MediaProcessors', 'media_processors', 'started')),
    ...(await list('PlayerStreamers', 'player_streamers', 'created')),
    ...(await list('PlayerStreamers', 'player_streamers', 'started')),
  ];
}

/** `POST /media/v1/PlayerStreamers` style lines for what the cloud served, after `from`. */
export function requestLines(cloud: LocalCloud, from = 0): string[] {
  return cloud.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/[A-Z]{2}[0-9a-f]{32}/g, (sid) => `${sid.slice(0, 2)}…`)}`);
}

/** Every parameter the studio sent is one the OpenAPI spec defines for that operation. */
export function expectParamsInSpec(cloud: LocalCloud): void {
  const problems: string[] = [];
  for (const request of cloud.requests) {
    if (request.path.startsWith('/__control')) continue;
    const operation = findOperation(request.method, request.path);
    if (!operation) {
      problems.push(`${request.method} ${request.path}: not in the spec`);
      continue;
    }
    const allowed = new Set([...operation.queryParams, ...operation.bodyParams]);
    for (const name of Object.keys(request.params)) {
      if (!allowed.has(name)) problems.push(`${request.method} ${request.path}: ${name} is not defined by ${operation.operationId}`);
    }
  }
  expect(problems).toEqual([]);
}
