import twilio from 'twilio';
import { StudioError } from '../../../shared/errors';
import type { ActivityFeed } from './activity-feed';
import { fromNetworkFailure } from './twilio-errors';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];
type Response = Awaited<ReturnType<InstanceType<typeof twilio.RequestClient>['request']>>;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 4000 };

export interface StudioRequestClientOptions {
  /** `http://127.0.0.1:4010` sends `https://video.twilio.com/v1/Rooms` to `http://127.0.0.1:4010/video/v1/Rooms`. */
  origin?: string;
  timeoutMs: number;
  retry: RetryPolicy;
  activity: ActivityFeed;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** `https://video.twilio.com/v1/Rooms?x=1` → `{ domain: 'video', path: '/v1/Rooms' }`. */
export function splitTwilioUrl(uri: string): { domain: string; path: string; url: URL } {
  const url = new URL(uri);
  const match = /^([a-z0-9-]+)(?:\.[a-z0-9-]+)*\.twilio\.com$/.exec(url.hostname);
  if (match) return { domain: match[1]!, path: url.pathname, url };
  // Already rewritten (e.g. a paging URL from the local cloud): /{domain}/v1/...
  const [, domain = '', ...rest] = url.pathname.split('/');
  return { domain, path: `/${rest.join('/')}`, url };
}

export function rewriteForOrigin(uri: string, origin: string | undefined): string {
  if (!origin) return uri;
  const { url } = splitTwilioUrl(uri);
  if (!url.hostname.endsWith('.twilio.com')) return uri;
  const domain = url.hostname.split('.')[0];
  return `${origin.replace(/\/$/, '')}/${domain}${url.pathname}${url.search}`;
}

/**
 * The `twilio` client's HTTP layer with what the studio needs around every call:
 * the origin switch (Twilio or the local cloud), a timeout, bounded retries with
 * exponential backoff and full jitter on 429 and 5xx, and one activity entry per
 * attempt. Creates (POST to a collection) are retried only on 429, since a 5xx
 * may have created the resource already.
 */
export class StudioRequestClient extends twilio.RequestClient {
  constructor(private readonly studio: StudioRequestClientOptions) {
    super({ timeout: studio.timeoutMs, autoRetry: false });
  }

  override async request<TData>(opts: RequestOptions): Promise<Response & { body: TData }> {
    const { domain, path } = splitTwilioUrl(opts.uri);
    const method = String(opts.method).toUpperCase();
    const uri = rewriteForOrigin(opts.uri, this.studio.origin);
    const isCreate = method === 'POST' && isCollection(path);
    const sleep = this.studio.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
    const random = this.studio.random ?? Math.random;

    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let response: Response;
      try {
        response = await super.request({ ...opts, uri, timeout: this.studio.timeoutMs });
      } catch (error) {
        this.studio.activity.record({ method, domain, path, status: null, ms: elapsed(started), attempt: attempt || undefined });
        const failure = error instanceof StudioError ? error : fromNetworkFailure(error);
        // A timed-out or refused GET is safe to repeat; anything else may have been applied.
        if (method === 'GET' && attempt < this.studio.retry.maxRetries) {
          await sleep(backoff(this.studio.retry, attempt, random));
          continue;
        }
        throw failure;
      }
      const twilioCode = codeOf(response.body);
      this.studio.activity.record({ method, domain, path, status: response.statusCode, ms: elapsed(started), twilioCode, attempt: attempt || undefined });
      const retriable = response.statusCode === 429 || twilioCode === 20429 || (response.statusCode >= 500 && !isCreate);
      if (!retriable || attempt >= this.studio.retry.maxRetries) return response as Response & { body: TData };
      await sleep(retryAfter(response) ?? backoff(this.studio.retry, attempt, random));
    }
  }
}

/** Twilio collections are capitalised nouns (`/Rooms`, `/Documents`); instances end in a SID or a unique name. */
export function isCollection(path: string): boolean {
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  return /^[A-Z][A-Za-z]+$/.test(last) && !/^[A-Z]{2}[0-9a-fA-F]{32}$/.test(last);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** Full jitter: a random delay up to base·2^attempt, capped. */
export function backoff(policy: RetryPolicy, attempt: number, random: () => number): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers?.['retry-after'];
  const seconds = Number(header);
  return header !== undefined && Number.isFinite(seconds) && seconds >= 0 && seconds <= 30 ? seconds * 1000 : undefined;
}

function codeOf(body: unknown): number | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const code = (parsed as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
