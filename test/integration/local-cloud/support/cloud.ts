import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../../../../src/main/core/local-cloud';
import { type Exchange, specProblems } from './openapi';

/** A fixed start for the cloud's clock, so timestamps are predictable. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export type Params = Record<string, string | number | boolean | string[]>;

export interface CallOptions {
  /** Authorization header value; default: the cloud's API key pair. `null` sends none. */
  auth?: string | null;
  headers?: Record<string, string>;
  offSpec?: boolean;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

function stringify(params: Params): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
}

function formBody(params: Record<string, string | string[]>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const item of [v].flat()) form.append(k, item);
  return form;
}

/** A `fetch` client for the local cloud the way the twilio client talks: form bodies, Basic auth. Records every exchange. */
export class Api {
  readonly exchanges: Exchange[] = [];

  constructor(readonly cloud: LocalCloud) {}

  get auth(): string {
    return basicAuth(this.cloud.credentials.apiKeySid, this.cloud.credentials.apiSecret);
  }

  get(path: string, query: Params = {}, options: CallOptions = {}): Promise<Reply> {
    return this.call('GET', path, query, options);
  }

  post(path: string, params: Params = {}, options: CallOptions = {}): Promise<Reply> {
    return this.call('POST', path, params, options);
  }

  delete(path: string, options: CallOptions = {}): Promise<Reply> {
    return this.call('DELETE', path, {}, options);
  }

  /** GET an absolute URL the cloud returned (e.g. meta.next_page_url). */
  follow(url: string): Promise<Reply> {
    const parsed = new URL(url);
    expect(parsed.origin).toBe(this.cloud.origin);
    return this.get(parsed.pathname, Object.fromEntries(parsed.searchParams));
  }

  async call(method: string, path: string, params: Params, options: CallOptions = {}): Promise<Reply> {
    const values = stringify(params);
    const isGet = method === 'GET';
    const query = isGet ? `?${formBody(values).toString()}` : '';
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? this.auth : options.auth;
    if (auth !== null) headers.Authorization = auth;
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.cloud.origin}${path}${query === '?' ? '' : query}`, {
      method,
      headers,
      body: method === 'POST' ? formBody(values).toString() : undefined,
    });
    const text = await response.text();
    const body = text === '' ? null : JSON.parse(text);
    this.exchanges.push({
      method,
      path,
      query: isGet ? (values as Record<string, string>) : {},
      body: isGet ? {} : values,
      headers: options.headers ?? {},
      status: response.status,
      response: body,
      offSpec: options.offSpec,
    });
    return { status: response.status, body, headers: response.headers };
  }
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'onair-local-cloud-'));
}

/** A local cloud on a fresh `onair-cloud-*` temp folder, which its `close()` removes. */
export async function startTempCloud(options: Omit<LocalCloudOptions, 'dataDir'> = {}): Promise<{ cloud: LocalCloud; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'onair-cloud-'));
  const cloud = await startLocalCloud({ ...options, dataDir });
  const closeCloud = cloud.close;
  cloud.close = async () => {
    await closeCloud();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { cloud, dataDir };
}

/**
 * One local cloud per test file, on a fixed clock. After each test, every exchange that test made
 * must match the OpenAPI spec (parameters defined, response shaped as the schema).
 */
export function useCloud(options: Omit<LocalCloudOptions, 'dataDir'> = {}): { cloud: () => LocalCloud; api: () => Api; dataDir: () => string } {
  let cloud: LocalCloud | undefined;
  let api: Api | undefined;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await newDataDir();
    cloud = await startLocalCloud({ dataDir, now: () => T0, ...options });
    api = new Api(cloud);
  });
  afterEach(() => {
    const exchanges = api!.exchanges.splice(0);
    expect(exchanges.flatMap(specProblems)).toEqual([]);
  });
  afterAll(async () => {
    await cloud?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { cloud: () => cloud!, api: () => api!, dataDir: () => dataDir };
}

/**
 * Fresh clouds per test (`start()`), each on its own data folder; after each test every exchange
 * must match the spec, then every cloud is closed and every folder removed.
 */
export function useFreshClouds(): { start(options?: Partial<LocalCloudOptions>): Promise<{ cloud: LocalCloud; api: Api }>; dataDir(): Promise<string> } {
  const open: Array<{ cloud: LocalCloud; api: Api }> = [];
  const dirs: string[] = [];
  afterEach(async () => {
    const exchanges = open.flatMap((o) => o.api.exchanges.splice(0));
    await Promise.all(open.splice(0).map((o) => o.cloud.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    expect(exchanges.flatMap(specProblems)).toEqual([]);
  });
  const dataDir = async () => {
    const dir = await newDataDir();
    dirs.push(dir);
    return dir;
  };
  return {
    dataDir,
    async start(options = {}) {
      const cloud = await startLocalCloud({ now: () => T0, ...options, dataDir: options.dataDir ?? (await dataDir()) });
      const started = { cloud, api: new Api(cloud) };
      open.push(started);
      return started;
    },
  };
}
