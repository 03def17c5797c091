import { describe, expect, it } from 'vitest';
import { probeAudioCodec } from '../../src/renderer/program/encoder/audio-codec';

/** An `isConfigSupported` that says yes to `codecs` (and throws for `throws`), noting what it was asked. */
function support(codecs: string[], throws: string[] = []) {
  const asked: AudioEncoderConfig[] = [];
  const check = async (config: AudioEncoderConfig) => {
    asked.push(config);
    if (throws.includes(config.codec)) throw new TypeError(`unknown codec ${config.codec}`);
    return { supported: codecs.includes(config.codec) };
  };
  return { check, asked };
}

describe('the program’s audio codec', () => {
  it('AAC where the system encodes it (Windows, macOS: the destinations then copy the feed), asked at 48 kHz', async () => {
    const { check, asked } = support(['mp4a.40.2', 'opus']);
    expect(await probeAudioCodec(check)).toBe('aac');
    expect(asked).toEqual([{ codec: 'mp4a.40.2', sampleRate: 48_000, numberOfChannels: 1, bitrate: 128_000 }]);
  });

  it('Opus where there is no AAC encoder (Chromium on Linux), or where asking for AAC throws', async () => {
    expect(await probeAudioCodec(support(['opus']).check)).toBe('opus');
    expect(await probeAudioCodec(support(['opus'], ['mp4a.40.2']).check)).toBe('opus');
  });

  it('neither: null (the encoder ladder then goes on to MediaRecorder)', async () => {
    expect(await probeAudioCodec(support([]).check)).toBe(null);
    expect(await probeAudioCodec(support([], ['mp4a.40.2', 'opus']).check)).toBe(null);
  });
});
