/**
 * Output presets of the program encoder (Settings → Output): what the studio sends to the
 * preview, the destinations and the recording. Shared by main (settings) and the renderer
 * (encoder).
 */

export const OUTPUT_RESOLUTIONS = ['720p', '1080p', '480p'] as const;
export type OutputResolution = (typeof OUTPUT_RESOLUTIONS)[number];

export const OUTPUT_SIZES: Record<OutputResolution, { width: number; height: number }> = {
  '480p': { width: 854, height: 480 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
};

export const OUTPUT_FPS = [30, 60] as const;
export type OutputFps = (typeof OUTPUT_FPS)[number];

/**
 * Which encoder makes the program feed (Settings → Output → Encoder). `auto` goes down the ladder:
 * WebCodecs H.264 on the GPU's encoder, then WebCodecs in software, then MediaRecorder. The others
 * force one rung; one that cannot run here falls to MediaRecorder (the broadcast is never lost for
 * it), and the studio says so.
 */
export const PROGRAM_ENCODERS = ['auto', 'webcodecs-hardware', 'webcodecs-software', 'mediarecorder'] as const;
export type ProgramEncoderChoice = (typeof PROGRAM_ENCODERS)[number];
export const DEFAULT_PROGRAM_ENCODER: ProgramEncoderChoice = 'auto';

/** One rung of the ladder: what actually makes the feed. */
export type ProgramEncoderKind = Exclude<ProgramEncoderChoice, 'auto'>;

/** The rungs to try for `choice`, best first; MediaRecorder is always the last one. */
export function encoderLadder(choice: ProgramEncoderChoice): ProgramEncoderKind[] {
  if (choice === 'auto') return ['webcodecs-hardware', 'webcodecs-software', 'mediarecorder'];
  return choice === 'mediarecorder' ? ['mediarecorder'] : [choice, 'mediarecorder'];
}

/**
 * A stored choice from an older version: `webcodecs` (before hardware and software were told
 * apart) is `auto` now; anything unknown is the default.
 */
export function programEncoderChoice(stored: unknown): ProgramEncoderChoice {
  if (stored === 'webcodecs') return 'auto';
  return (PROGRAM_ENCODERS as readonly unknown[]).includes(stored) ? (stored as ProgramEncoderChoice) : DEFAULT_PROGRAM_ENCODER;
}

/** Profile and level of an `avc1.PPCCLL` codec string, as a streamer reads them (`High 4.0`). */
export function avcProfileLevel(codec: string): string | null {
  const match = /^avc1\.([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(codec);
  if (!match) return null;
  const profile = parseInt(match[1]!, 16);
  const constraints = parseInt(match[2]!, 16);
  const level = parseInt(match[3]!, 16) / 10;
  const name =
    profile === 66 ? ((constraints & 0x40) !== 0 ? 'Constrained Baseline' : 'Baseline') : profile === 77 ? 'Main' : profile === 100 ? 'High' : `profile ${profile}`;
  return `${name} ${level.toFixed(1)}`;
}

export const DEFAULT_OUTPUT_RESOLUTION: OutputResolution = '720p';
export const DEFAULT_OUTPUT_FPS: OutputFps = 30;

/** What a user may enter as the video bitrate (kbps). */
export const VIDEO_KBPS_MIN = 500;
export const VIDEO_KBPS_MAX = 20_000;

/**
 * Video bitrate when the user sets none, per preset (kbps): inside what YouTube recommends and
 * what Twitch accepts (≤ 6000 kbps, except 1080p60).
 */
const DEFAULT_KBPS: Record<OutputResolution, Record<OutputFps, number>> = {
  '480p': { 30: 2000, 60: 3000 },
  '720p': { 30: 4500, 60: 6000 },
  '1080p': { 30: 6000, 60: 9000 },
};

export function defaultVideoKbps(resolution: OutputResolution, fps: OutputFps): number {
  return DEFAULT_KBPS[resolution][fps];
}

/** Platforms want a keyframe every 2 s (Twitch 2 s; YouTube 2 s, at most 4 s). */
export const KEYFRAME_INTERVAL_SECONDS = 2;

export interface OutputPreset {
  resolution: OutputResolution;
  width: number;
  height: number;
  fps: OutputFps;
  videoKbps: number;
}

export function outputPreset(resolution: OutputResolution, fps: OutputFps, videoKbps: number | null): OutputPreset {
  const { width, height } = OUTPUT_SIZES[resolution];
  return { resolution, width, height, fps, videoKbps: videoKbps ?? defaultVideoKbps(resolution, fps) };
}

/**
 * H.264 codec strings to try, best first: the level must carry the frame size and rate
 * (level 3.1 = 1f: up to 720p30; 4.0 = 28: 720p60, 1080p30; 4.2 = 2a: 1080p60).
 */
export function avcCodecsFor(preset: Pick<OutputPreset, 'width' | 'height' | 'fps'>): string[] {
  const macroblocksPerSecond = Math.ceil(preset.width / 16) * Math.ceil(preset.height / 16) * preset.fps;
  if (macroblocksPerSecond <= 108_000) return ['avc1.42001f', 'avc1.4d0028', 'avc1.640028'];
  if (macroblocksPerSecond <= 245_760) return preset.height > 720 ? ['avc1.640028', 'avc1.4d0028'] : ['avc1.4d0028', 'avc1.640028'];
  return ['avc1.64002a', 'avc1.4d002a'];
}
