import { DESTINATION_PRESET_DEFAULTS, DESTINATION_PRESET_IDS, type DestinationPresetIdWire } from '../../shared/destinations';

export const PLATFORM_IDS = DESTINATION_PRESET_IDS;
export type PlatformId = DestinationPresetIdWire;

/** The preset's own server; null where the user has to enter one (Amazon IVS, Custom). */
export const defaultServer = (id: PlatformId): string | null => DESTINATION_PRESET_DEFAULTS[id].serverUrl;

/** Where the streamer finds the stream key; null for Custom. */
export const keyHelpUrl = (id: PlatformId): string | null => DESTINATION_PRESET_DEFAULTS[id].keyHelpUrl;

/**
 * Amazon IVS shows an "ingest endpoint" (a host name); the server to publish to is
 * `rtmps://<endpoint>:443/app/`. A pasted rtmp(s):// URL is taken as it is.
 */
export function ivsServerFrom(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  const host = trimmed.split(/[/:]/)[0] ?? '';
  return host ? `rtmps://${host}:443/app/` : trimmed;
}

/** What goes into the request's `serverUrl`: null means "the preset's server". */
export function serverForRequest(id: PlatformId, entered: string): string | null {
  const value = id === 'amazon_ivs' ? ivsServerFrom(entered) : entered.trim();
  if (value === '') return null;
  return value === defaultServer(id) ? null : value;
}
