import { expect } from 'vitest';
import type { FeedPiece } from '../../src/renderer/program/encoder/fragments';
import { ProgramMuxer, type ProgramMuxerOptions } from '../../src/renderer/program/encoder/mux';

export interface StandInProgram {
  /** Video frames at 30 fps. */
  frames: number;
  /** A keyframe every `gop` frames. */
  gop: number;
  /** When frame i was encoded (the `mux` latency stage), if said. */
  encodedAt?: (i: number) => number | undefined;
  /** The rest of the muxer's options (`onMuxed`, `originAt`, `audioCodec`: Opus by default). */
  muxer?: Pick<ProgramMuxerOptions, 'onMuxed' | 'originAt' | 'audioCodec'>;
}

const OPUS_CONFIG: AudioDecoderConfig = { codec: 'opus', sampleRate: 48_000, numberOfChannels: 1 };
/** AAC-LC, 48 kHz, mono: its AudioSpecificConfig (object type 2, frequency index 3, 1 channel). */
const AAC_CONFIG: AudioDecoderConfig = { codec: 'mp4a.40.2', sampleRate: 48_000, numberOfChannels: 1, description: new Uint8Array([0x11, 0x88]) };

/**
 * The program muxer's pieces for stand-in samples: H.264 frames at 30 fps (bytes that are copied,
 * never decoded, behind a stand-in avcC) with Opus (or AAC: 48 kHz mono) every 20 ms interleaved. Resolves with the
 * pieces and the finished muxer; fails the test on a muxer error.
 */
export async function muxStandInProgram({ frames, gop, encodedAt, muxer: options }: StandInProgram): Promise<{ pieces: FeedPiece[]; muxer: ProgramMuxer }> {
  const pieces: FeedPiece[] = [];
  const errors: unknown[] = [];
  const muxer = new ProgramMuxer({ fps: 30, audio: true, onPiece: (piece) => pieces.push(piece), onError: (error) => errors.push(error), ...options });
  const avcC = new Uint8Array([1, 0x42, 0, 0x1f, 0xff, 0xe1, 0, 4, 0x67, 0x42, 0, 0x1f, 1, 0, 2, 0x68, 0xce]);
  let audioAt = 0;
  for (let i = 0; i < frames; i++) {
    const t = Math.round((i * 1_000_000) / 30);
    const meta = i === 0 ? ({ decoderConfig: { codec: 'avc1.42001f', codedWidth: 1280, codedHeight: 720, description: avcC } } as EncodedVideoChunkMetadata) : undefined;
    muxer.addVideo({ type: i % gop === 0 ? 'key' : 'delta', timestamp: t, duration: 33_333, data: new Uint8Array(100 + i).fill(i % 256), encodedAt: encodedAt?.(i) }, meta);
    for (; audioAt < t + 33_333; audioAt += 20_000) {
      const audioMeta = audioAt === 0 ? ({ decoderConfig: options?.audioCodec === 'aac' ? AAC_CONFIG : OPUS_CONFIG } as EncodedAudioChunkMetadata) : undefined;
      muxer.addAudio({ type: 'key', timestamp: audioAt, duration: 20_000, data: new Uint8Array(40) }, audioMeta);
    }
  }
  await muxer.finish();
  expect(errors).toEqual([]);
  return { pieces, muxer };
}
