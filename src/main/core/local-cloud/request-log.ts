import type { ServedRequest } from './types';

export const DEFAULT_REQUEST_LOG_SIZE = 2000;
/** Characters of a logged path, and of all logged parameters of one request (keys and values). */
const PATH_CHARS = 256;
const PARAM_CHARS = 1024;

/**
 * The newest requests the cloud served, for tests and diagnostics: a ring of `size` entries, each
 * bounded (path and parameters cut to a fixed budget). A refused request keeps no parameters.
 */
export class RequestLog {
  private readonly ring: ServedRequest[] = [];
  private next = 0;

  constructor(readonly size: number = DEFAULT_REQUEST_LOG_SIZE) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('requestLogSize must be a positive integer');
  }

  add(entry: ServedRequest): void {
    const bounded = { ...entry, path: cut(entry.path, PATH_CHARS), params: boundParams(entry.params) };
    if (this.ring.length < this.size) this.ring.push(bounded);
    else this.ring[this.next] = bounded;
    this.next = (this.next + 1) % this.size;
  }

  /** Oldest first. */
  entries(): ServedRequest[] {
    return this.ring.length < this.size ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function boundParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let left = PARAM_CHARS;
  for (const [key, value] of Object.entries(params)) {
    if (left <= key.length) break;
    left -= key.length;
    out[key] = cut(value, left);
    left -= Math.min(value.length, left);
  }
  return out;
}
