import { avcCodecsFor, type OutputPreset } from '../../../shared/output';

/** Where the H.264 encoding runs: the GPU's (or the system's) encoder, or the CPU. */
export type EncoderAcceleration = 'hardware' | 'software';

export interface H264Target {
  width: number;
  height: number;
  fps: OutputPreset['fps'];
  kbps: number;
}

/**
 * The VideoEncoder configurations to ask for, best first: each codec string whose level carries
 * the size and rate, with a constant bitrate where the encoder takes one, else without it.
 */
export function h264Candidates(target: H264Target, acceleration: EncoderAcceleration): VideoEncoderConfig[] {
  return avcCodecsFor(target).flatMap((codec) => {
    const base: VideoEncoderConfig = {
      codec,
      width: target.width,
      height: target.height,
      framerate: target.fps,
      bitrate: target.kbps * 1000,
      latencyMode: 'realtime',
      hardwareAcceleration: acceleration === 'hardware' ? 'prefer-hardware' : 'prefer-software',
      avc: { format: 'avc' },
    };
    return [{ ...base, bitrateMode: 'constant' as const }, base];
  });
}

/** The first configuration `VideoEncoder.isConfigSupported` says yes to, or null (none, or it threw). */
export async function firstSupported(candidates: readonly VideoEncoderConfig[]): Promise<VideoEncoderConfig | null> {
  try {
    for (const config of candidates) {
      const answer = await VideoEncoder.isConfigSupported(config);
      if (answer.supported) return config;
    }
  } catch {
    return null;
  }
  return null;
}

/** The rung a configuration runs on. */
export const accelerationOf = (config: VideoEncoderConfig): EncoderAcceleration =>
  config.hardwareAcceleration === 'prefer-hardware' ? 'hardware' : 'software';
