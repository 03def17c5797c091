/**
 * The program's audio codec. AAC where the system has an encoder for it (WebCodecs on Windows and
 * macOS): the destinations then take the feed as it is and main transcodes nothing. Opus elsewhere
 * (Linux has no AAC encoder in Chromium): main's shared stage makes AAC once for every destination.
 */
export type ProgramAudioCodec = 'aac' | 'opus';

export const AUDIO_BITRATE = 128_000;

/** The WebCodecs codec string of each, which is also the mime type's `codecs` entry. */
export const AUDIO_CODEC_STRING: Readonly<Record<ProgramAudioCodec, string>> = Object.freeze({ aac: 'mp4a.40.2', opus: 'opus' });

/** The codecs tried, best first. */
const PREFERRED: readonly ProgramAudioCodec[] = ['aac', 'opus'];

type AudioSupport = (config: AudioEncoderConfig) => Promise<{ supported?: boolean }>;

/** The first codec of AAC, Opus that `AudioEncoder.isConfigSupported` takes at 48 kHz; null: neither. */
export async function probeAudioCodec(isConfigSupported: AudioSupport = (config) => AudioEncoder.isConfigSupported(config)): Promise<ProgramAudioCodec | null> {
  for (const codec of PREFERRED) {
    try {
      const support = await isConfigSupported({ codec: AUDIO_CODEC_STRING[codec], sampleRate: 48_000, numberOfChannels: 1, bitrate: AUDIO_BITRATE });
      if (support.supported) return codec;
    } catch {
      // An engine that throws for a codec does not have it.
    }
  }
  return null;
}
