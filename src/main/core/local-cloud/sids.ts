import { randomBytes } from 'node:crypto';

/** Twilio sid prefixes used by the local cloud (see the `pattern`s in the OpenAPI files). */
export const SID_PREFIX = {
  account: 'AC',
  apiKey: 'SK',
  syncService: 'IS',
  room: 'RM',
  document: 'ET',
  playerStreamer: 'VJ',
  mediaProcessor: 'ZX',
} as const;

export type SidPrefix = (typeof SID_PREFIX)[keyof typeof SID_PREFIX];

/** prefix + 32 lower-case hex digits, as Twilio issues them. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(prefix: SidPrefix, value: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}

/** A random string usable as an API secret or opaque id (hex, `bytes` * 2 characters). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
