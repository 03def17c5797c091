import type { StudioTwilio } from './client';

/** Media v1 (Twilio Live) shapes as the REST API returns them (snake_case). */
export interface PlayerStreamer {
  sid: string;
  status: 'created' | 'started' | 'ended' | 'failed';
  video: boolean;
  ended_reason: string | null;
  max_duration: number | null;
  date_created: string;
}
export interface MediaProcessor {
  sid: string;
  status: 'started' | 'ended' | 'failed';
  extension: string;
  extension_context: string;
  ended_reason: string | null;
  max_duration: number | null;
  date_created: string;
}
export interface PlaybackGrantResource {
  sid: string;
  grant: { playbackUrl: string; playerStreamerSid: string; requestCredentials: unknown } & Record<string, unknown>;
}
type Listed<K extends string, T> = { meta: { next_page_url: string | null } } & Record<K, T[]>;

/** Status values are lower case in the API; compare without trusting case. */
export const isStatus = (actual: string | null | undefined, expected: string) => (actual ?? '').toLowerCase() === expected;
export const isEnded = (status: string | null | undefined) => isStatus(status, 'ended') || isStatus(status, 'failed');

export function createPlayerStreamer(twilio: StudioTwilio, options: { maxDurationSeconds: number }) {
  return twilio.request<PlayerStreamer>('POST', 'media', '/v1/PlayerStreamers', { Video: true, MaxDuration: options.maxDurationSeconds });
}

export function fetchPlayerStreamer(twilio: StudioTwilio, sid: string) {
  return twilio.request<PlayerStreamer>('GET', 'media', `/v1/PlayerStreamers/${sid}`);
}

export function endPlayerStreamer(twilio: StudioTwilio, sid: string) {
  return twilio.request<PlayerStreamer>('POST', 'media', `/v1/PlayerStreamers/${sid}`, { Status: 'ended' });
}

export function createMediaProcessor(
  twilio: StudioTwilio,
  options: { extension: string; context: Record<string, unknown>; maxDurationSeconds: number },
) {
  return twilio.request<MediaProcessor>('POST', 'media', '/v1/MediaProcessors', {
    Extension: options.extension,
    ExtensionContext: JSON.stringify(options.context),
    MaxDuration: options.maxDurationSeconds,
  });
}

export function fetchMediaProcessor(twilio: StudioTwilio, sid: string) {
  return twilio.request<MediaProcessor>('GET', 'media', `/v1/MediaProcessors/${sid}`);
}

export function endMediaProcessor(twilio: StudioTwilio, sid: string) {
  return twilio.request<MediaProcessor>('POST', 'media', `/v1/MediaProcessors/${sid}`, { Status: 'ended' });
}

export function createPlaybackGrant(twilio: StudioTwilio, sid: string, options: { ttlSeconds: number; allowOrigin?: string }) {
  return twilio.request<PlaybackGrantResource>('POST', 'media', `/v1/PlayerStreamers/${sid}/PlaybackGrant`, {
    Ttl: options.ttlSeconds,
    AccessControlAllowOrigin: options.allowOrigin,
  });
}

async function listAll<K extends string, T>(twilio: StudioTwilio, path: string, key: K, status: string): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await twilio.request<Listed<K, T>>('GET', 'media', path, {
      Status: status,
      PageSize: 50,
      ...(pageToken ? { Page: page, PageToken: pageToken } : {}),
    });
    items.push(...(result[key] ?? []));
    const next = result.meta?.next_page_url;
    if (!next) break;
    pageToken = new URL(next).searchParams.get('PageToken') ?? undefined;
    if (!pageToken) break;
  }
  return items;
}

export function listPlayerStreamers(twilio: StudioTwilio, status: 'created' | 'started' | 'ended') {
  return listAll<'player_streamers', PlayerStreamer>(twilio, '/v1/PlayerStreamers', 'player_streamers', status);
}

export function listMediaProcessors(twilio: StudioTwilio, status: 'started' | 'ended') {
  return listAll<'media_processors', MediaProcessor>(twilio, '/v1/MediaProcessors', 'media_processors', status);
}
