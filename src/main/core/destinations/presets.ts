/**
 * Destination presets and the one validation every destination passes before it is stored or
 * started. Server URLs were checked (2026-12) against OBS's list of services
 * (obsproject/obs-studio plugins/rtmp-services/data/services.json) and the platforms' own
 * documentation; they are written here, not copied. RTMPS wherever the platform offers it.
 *
 * A destination is `{ name, presetId, serverUrl, streamKey }`; the stream is published to
 * `serverUrl + '/' + streamKey`. The key is a secret (the vault keeps it; nothing logs it); the
 * server URL is not, which is why it may not carry credentials.
 */

import { DESTINATION_PRESET_DEFAULTS, type DestinationPresetIdWire } from '../../../shared/destinations';

export type DestinationPresetId = DestinationPresetIdWire;
export type IngestScheme = 'rtmps' | 'rtmp';

export interface DestinationPreset {
  id: DestinationPresetId;
  label: string;
  /** The server to use unless the user enters another; null when the user must enter it (IVS, Custom). */
  serverUrl: string | null;
  /** The schemes this platform takes, preferred first. */
  schemes: readonly IngestScheme[];
  /** The user may replace the server URL (regional or personal ingest). */
  serverEditable: boolean;
  /** Where the streamer finds the stream key (and, for Kick/IVS, the server). */
  keyHelpUrl: string | null;
  /** What the platform asks of the stream. */
  recommended: { keyframeIntervalSeconds: number; maxVideoKbps: number | null; maxAudioKbps: number | null };
}

export const DESTINATION_PRESETS: readonly DestinationPreset[] = [
  {
    id: 'youtube',
    ...DESTINATION_PRESET_DEFAULTS.youtube,
    // Primary RTMPS ingest; legacy rtmp://a.rtmp.youtube.com/live2 still answers.
    serverEditable: true,
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: 51_000, maxAudioKbps: 160 },
  },
  {
    id: 'twitch',
    ...DESTINATION_PRESET_DEFAULTS.twitch,
    // Twitch's global RTMPS ingest (Amazon IVS network, default port 443); it routes to the nearest PoP.
    serverEditable: true,
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: 6_000, maxAudioKbps: 320 },
  },
  {
    id: 'facebook',
    ...DESTINATION_PRESET_DEFAULTS.facebook,
    // RTMPS only. OBS's list now names rtmp-api.facebook.com; the older live-api-s.facebook.com
    // (what Meta's help pages long gave) is accepted as a user-entered server too.
    serverEditable: true,
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: 9_000, maxAudioKbps: 128 },
  },
  {
    id: 'kick',
    ...DESTINATION_PRESET_DEFAULTS.kick,
    // Kick ingests through Amazon IVS; its dashboard shows the server to copy if it differs.
    serverEditable: true,
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: 8_000, maxAudioKbps: 160 },
  },
  {
    id: 'amazon_ivs',
    ...DESTINATION_PRESET_DEFAULTS.amazon_ivs,
    // Per channel: rtmps://<ingest endpoint>:443/app/ (the endpoint is in the channel's details).
    serverEditable: true,
    // IVS low-latency: keyframes every 2 s; it disconnects after 30 s without data and caps a stream at 48 h.
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: 8_500, maxAudioKbps: 160 },
  },
  {
    id: 'custom',
    ...DESTINATION_PRESET_DEFAULTS.custom,
    serverEditable: true,
    recommended: { keyframeIntervalSeconds: 2, maxVideoKbps: null, maxAudioKbps: null },
  },
];

export function findPreset(id: string): DestinationPreset | null {
  return DESTINATION_PRESETS.find((preset) => preset.id === id) ?? null;
}

/** Amazon IVS: the server URL for a channel's ingest endpoint (with or without a pasted scheme/path). */
export function amazonIvsServerUrl(ingestEndpoint: string): string {
  const host = ingestEndpoint.trim().replace(/^rtmps?:\/\//i, '').replace(/[:/].*$/, '');
  return `rtmps://${host}:443/app/`;
}

export const DESTINATION_NAME_MAX = 64;
export const STREAM_KEY_MAX = 512;

/** Stable codes; the UI shows the ja/en text for each. */
export type DestinationErrorCode =
  | 'destination.preset_unknown'
  | 'destination.name_empty'
  | 'destination.name_too_long'
  | 'destination.name_invalid'
  | 'destination.url_empty'
  | 'destination.url_invalid'
  | 'destination.url_scheme'
  | 'destination.url_host_missing'
  | 'destination.url_credentials'
  | 'destination.rtmps_required'
  | 'destination.key_empty'
  | 'destination.key_whitespace'
  | 'destination.key_too_long'
  | 'destination.key_invalid';

export interface DestinationIssue {
  field: 'presetId' | 'name' | 'serverUrl' | 'streamKey';
  code: DestinationErrorCode;
}

export interface DestinationInput {
  presetId: string;
  name: string;
  /** Empty or omitted: the preset's server. */
  serverUrl?: string | null;
  streamKey: string;
}

export interface ValidDestination {
  presetId: DestinationPresetId;
  name: string;
  serverUrl: string;
  streamKey: string;
}

export type DestinationValidation = { ok: true; value: ValidDestination } | { ok: false; issues: DestinationIssue[] };

// Control characters (C0, DEL, C1) have no place in a name or a key.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks a destination as the user entered it. Issues carry codes only — never the key itself —
 * so they can be logged and sent to the renderer as they are.
 */
export function validateDestination(input: DestinationInput): DestinationValidation {
  const issues: DestinationIssue[] = [];
  const preset = findPreset(input.presetId);
  if (!preset) issues.push({ field: 'presetId', code: 'destination.preset_unknown' });

  const name = input.name.trim();
  if (name.length === 0) issues.push({ field: 'name', code: 'destination.name_empty' });
  else if ([...name].length > DESTINATION_NAME_MAX) issues.push({ field: 'name', code: 'destination.name_too_long' });
  else if (CONTROL.test(name)) issues.push({ field: 'name', code: 'destination.name_invalid' });

  const serverUrl = (input.serverUrl ?? '').trim() || preset?.serverUrl || '';
  const urlIssue = checkServerUrl(serverUrl, preset);
  if (urlIssue) issues.push({ field: 'serverUrl', code: urlIssue });

  const key = input.streamKey;
  if (key.length === 0) issues.push({ field: 'streamKey', code: 'destination.key_empty' });
  else if (/\s/.test(key)) issues.push({ field: 'streamKey', code: 'destination.key_whitespace' });
  else if (key.length > STREAM_KEY_MAX) issues.push({ field: 'streamKey', code: 'destination.key_too_long' });
  else if (CONTROL.test(key)) issues.push({ field: 'streamKey', code: 'destination.key_invalid' });

  if (issues.length > 0 || !preset) return { ok: false, issues };
  return { ok: true, value: { presetId: preset.id, name, serverUrl, streamKey: key } };
}

function checkServerUrl(value: string, preset: DestinationPreset | null): DestinationErrorCode | null {
  if (value.length === 0) return 'destination.url_empty';
  if (/\s/.test(value)) return 'destination.url_invalid';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== 'rtmp' && scheme !== 'rtmps') return scheme ? 'destination.url_scheme' : 'destination.url_invalid';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'destination.url_invalid';
  }
  if (!url.hostname) return 'destination.url_host_missing';
  if (url.username || url.password) return 'destination.url_credentials';
  if (preset && !preset.schemes.includes(scheme)) return preset.schemes.includes('rtmps') ? 'destination.rtmps_required' : 'destination.url_scheme';
  return null;
}
