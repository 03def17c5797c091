import { invalidParameter } from './errors';

/** Form body or query, as @fastify/formbody / fastify parse it (repeated keys become arrays). */
export type RawParams = Record<string, string | string[] | undefined>;

/** Flattens parsed params to strings (repeated keys joined with ','), for the request log. */
export function flattenParams(...sources: unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as RawParams)) {
      if (value !== undefined) out[key] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  return out;
}

/** Typed readers for Twilio request parameters; each throws a 400 TwilioError on a bad value. */
export class Params {
  constructor(private readonly raw: RawParams = {}) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  list(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value : [value];
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (Array.isArray(value)) throw invalidParameter(`${name} must be given once`);
    return value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw invalidParameter(`Missing required parameter ${name} in the post body`);
    return value;
  }

  int(name: string, range: { min: number; max: number }): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < range.min || n > range.max) {
      throw invalidParameter(`${name} must be an integer from ${range.min} to ${range.max}`);
    }
    return n;
  }

  bool(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalidParameter(`${name} must be true or false`);
    return lower === 'true';
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!found) throw invalidParameter(`${name} must be one of: ${allowed.join(', ')}`);
    return found;
  }

  uri(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // fall through
    }
    throw invalidParameter(`${name} must be an absolute http(s) URL`);
  }

  /** An ISO 8601 instant, as milliseconds. */
  instant(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw invalidParameter(`${name} must be an ISO 8601 date-time`);
    return ms;
  }
}

export const HTTP_METHODS = ['HEAD', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
