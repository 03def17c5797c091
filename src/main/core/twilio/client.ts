import twilio from 'twilio';
import { StudioError } from '../../../shared/errors';
import type { ActivityFeed } from './activity-feed';
import { DEFAULT_RETRY, type RetryPolicy, StudioRequestClient } from './request-client';
import { fromTwilioAnswer } from './twilio-errors';

export interface TwilioTarget {
  accountSid: string;
  apiKeySid: string;
  apiSecret: string;
  /** Absent: Twilio itself. Present: a Twilio-compatible server such as the local cloud. */
  origin?: string;
}

export interface ClientOptions {
  activity: ActivityFeed;
  timeoutMs?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export type FormValue = string | number | boolean | undefined;

/** The `twilio` client plus typed access to what `twilio` 6 no longer wraps (Media v1). */
export interface StudioTwilio {
  readonly rest: twilio.Twilio;
  readonly accountSid: string;
  /** Runs a call made with `rest`, turning Twilio's errors into studio errors. */
  guard<T>(domain: string, call: () => Promise<T>): Promise<T>;
  /** Generic request through the same client: `request('POST', 'media', '/v1/PlayerStreamers', { Video: true })`. */
  request<T>(method: 'GET' | 'POST' | 'DELETE', domain: string, path: string, data?: Record<string, FormValue>): Promise<T>;
}

/**
 * One factory for every Twilio call in the studio. Which cloud it talks to is only
 * the origin; nothing else in the code knows.
 */
export function createTwilioClient(target: TwilioTarget, options: ClientOptions): StudioTwilio {
  const httpClient = new StudioRequestClient({
    origin: target.origin,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: options.retry ?? DEFAULT_RETRY,
    activity: options.activity,
    sleep: options.sleep,
  });
  const rest = twilio(target.apiKeySid, target.apiSecret, { accountSid: target.accountSid, httpClient });

  const guard = async <T>(domain: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof StudioError) throw error;
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number') {
        throw fromTwilioAnswer(status, (error as { code?: number }).code, domain, '');
      }
      throw error;
    }
  };

  const request = async <T>(method: 'GET' | 'POST' | 'DELETE', domain: string, path: string, data?: Record<string, FormValue>) => {
    const form = data
      ? Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
      : undefined;
    const response = (await rest.request({
      method: method.toLowerCase() as 'get',
      uri: `https://${domain}.twilio.com${path}`,
      ...(method === 'GET' ? { params: form } : { data: form }),
    })) as { statusCode: number; body: unknown };
    const body = typeof response.body === 'string' && response.body ? safeJson(response.body) : response.body;
    if (response.statusCode >= 200 && response.statusCode < 300) return body as T;
    throw fromTwilioAnswer(response.statusCode, (body as { code?: number } | null)?.code, domain, path);
  };

  return { rest, accountSid: target.accountSid, guard, request };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
