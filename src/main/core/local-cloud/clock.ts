/** The cloud's one source of time: a base clock plus an offset tests can advance. */
export interface CloudClock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(base: () => number = Date.now): CloudClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance(ms) needs a finite, non-negative number');
      offset += ms;
    },
  };
}

/** Twilio's v1 APIs format instants as ISO 8601 in UTC without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
