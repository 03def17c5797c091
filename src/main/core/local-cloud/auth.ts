import { createHash, timingSafeEqual } from 'node:crypto';
import type { LocalCloudCredentials } from './model';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** HTTP Basic auth with the API key SID and secret only; both compared in constant time. */
export function isAuthorized(header: string | undefined, credentials: LocalCloudCredentials): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(credentials.apiKeySid));
  const secretOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(credentials.apiSecret));
  return userOk && secretOk;
}
