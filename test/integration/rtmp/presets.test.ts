import { describe, expect, it } from 'vitest';
import {
  amazonIvsServerUrl,
  DESTINATION_PRESETS,
  findPreset,
  validateDestination,
} from '../../../src/main/core/destinations/presets';

const KEY = 'live_123456789_abcdefGHIJ';

describe('destination presets', () => {
  it('has YouTube, Twitch, Facebook Live, Kick, Amazon IVS and Custom, RTMPS by default where a server is known', () => {
    expect(DESTINATION_PRESETS.map((p) => p.id)).toEqual(['youtube', 'twitch', 'facebook', 'kick', 'amazon_ivs', 'custom']);
    expect(findPreset('youtube')?.serverUrl).toBe('rtmps://a.rtmps.youtube.com:443/live2');
    expect(findPreset('twitch')?.serverUrl).toBe('rtmps://ingest.global-contribute.live-video.net/app');
    expect(findPreset('facebook')).toMatchObject({ serverUrl: 'rtmps://rtmp-api.facebook.com:443/rtmp/', schemes: ['rtmps'] });
    for (const preset of DESTINATION_PRESETS) {
      if (preset.serverUrl) expect(preset.serverUrl.startsWith('rtmps://')).toBe(true);
      expect(preset.recommended.keyframeIntervalSeconds).toBe(2);
      // Every preset's own server passes validation.
      if (preset.serverUrl) expect(validateDestination({ presetId: preset.id, name: preset.label, streamKey: KEY }).ok).toBe(true);
    }
  });

  it('builds the Amazon IVS server from the channel ingest endpoint', () => {
    expect(amazonIvsServerUrl('a1b2c3d4e5f6.global-contribute.live-video.net')).toBe('rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/');
    expect(amazonIvsServerUrl(' rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/ ')).toBe('rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/');
  });
});

describe('validateDestination', () => {
  const issues = (input: Parameters<typeof validateDestination>[0]) => {
    const result = validateDestination(input);
    return result.ok ? [] : result.issues.map((issue) => `${issue.field}:${issue.code}`);
  };

  it('accepts a preset with its own server and a custom rtmp/rtmps server, trimming the name', () => {
    expect(validateDestination({ presetId: 'twitch', name: '  My Twitch ', streamKey: KEY })).toEqual({
      ok: true,
      value: { presetId: 'twitch', name: 'My Twitch', serverUrl: 'rtmps://ingest.global-contribute.live-video.net/app', streamKey: KEY },
    });
    expect(issues({ presetId: 'custom', name: 'Home', serverUrl: 'rtmp://192.168.1.10:1935/live', streamKey: 'k' })).toEqual([]);
    expect(issues({ presetId: 'custom', name: 'Restream', serverUrl: 'rtmps://live.example.com/app', streamKey: 'k' })).toEqual([]);
    expect(issues({ presetId: 'facebook', name: 'FB', serverUrl: 'rtmps://live-api-s.facebook.com:443/rtmp/', streamKey: 'FB-1-2?s_bl=1' })).toEqual([]);
    expect(issues({ presetId: 'youtube', name: 'ライブ配信（メイン）', streamKey: 'abcd-efgh-ijkl-mnop' })).toEqual([]);
  });

  it('refuses other schemes, missing hosts, credentials in the URL, and plain RTMP where only RTMPS is taken', () => {
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'https://example.com/live', streamKey: 'k' })).toEqual(['serverUrl:destination.url_scheme']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'srt://example.com:9000', streamKey: 'k' })).toEqual(['serverUrl:destination.url_scheme']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'example.com/live', streamKey: 'k' })).toEqual(['serverUrl:destination.url_invalid']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'rtmp:///live', streamKey: 'k' })).toEqual(['serverUrl:destination.url_host_missing']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'rtmp://host:99999/live', streamKey: 'k' })).toEqual(['serverUrl:destination.url_invalid']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'rtmp://user:pw@host/live', streamKey: 'k' })).toEqual(['serverUrl:destination.url_credentials']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: 'rtmp://host/li ve', streamKey: 'k' })).toEqual(['serverUrl:destination.url_invalid']);
    expect(issues({ presetId: 'custom', name: 'x', serverUrl: '', streamKey: 'k' })).toEqual(['serverUrl:destination.url_empty']);
    expect(issues({ presetId: 'amazon_ivs', name: 'x', streamKey: 'k' })).toEqual(['serverUrl:destination.url_empty']);
    expect(issues({ presetId: 'facebook', name: 'x', serverUrl: 'rtmp://rtmp-api.facebook.com/rtmp/', streamKey: 'k' })).toEqual(['serverUrl:destination.rtmps_required']);
  });

  it('refuses empty, whitespace-holding, overlong and control-character keys and names, with stable codes', () => {
    expect(issues({ presetId: 'twitch', name: 'x', streamKey: '' })).toEqual(['streamKey:destination.key_empty']);
    expect(issues({ presetId: 'twitch', name: 'x', streamKey: ' live_1' })).toEqual(['streamKey:destination.key_whitespace']);
    expect(issues({ presetId: 'twitch', name: 'x', streamKey: 'live_1\n' })).toEqual(['streamKey:destination.key_whitespace']);
    expect(issues({ presetId: 'twitch', name: 'x', streamKey: 'a'.repeat(513) })).toEqual(['streamKey:destination.key_too_long']);
    expect(issues({ presetId: 'twitch', name: 'x', streamKey: 'live\u0000x' })).toEqual(['streamKey:destination.key_invalid']);
    expect(issues({ presetId: 'twitch', name: '   ', streamKey: KEY })).toEqual(['name:destination.name_empty']);
    expect(issues({ presetId: 'twitch', name: 'n'.repeat(64), streamKey: KEY })).toEqual([]);
    expect(issues({ presetId: 'twitch', name: 'n'.repeat(65), streamKey: KEY })).toEqual(['name:destination.name_too_long']);
    expect(issues({ presetId: 'twitch', name: '配'.repeat(64), streamKey: KEY })).toEqual([]);
    expect(issues({ presetId: 'twitch', name: 'a\u0007b', streamKey: KEY })).toEqual(['name:destination.name_invalid']);
    expect(issues({ presetId: 'periscope', name: 'x', serverUrl: 'rtmp://h/app', streamKey: KEY })).toEqual(['presetId:destination.preset_unknown']);
    // Several problems at once are all reported.
    expect(issues({ presetId: 'custom', name: '', serverUrl: 'http://h', streamKey: '' })).toEqual([
      'name:destination.name_empty', 'serverUrl:destination.url_scheme', 'streamKey:destination.key_empty',
    ]);
  });

  it('never puts the key into an issue', () => {
    const secret = 'live_secret with space';
    const result = validateDestination({ presetId: 'custom', name: 'x', serverUrl: 'ftp://h', streamKey: secret });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
