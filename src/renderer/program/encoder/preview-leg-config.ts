import { HLS_SEGMENT_SECONDS } from '../../../shared/media';
import type { OutputPreset } from '../../../shared/output';
import { accelerationOf, firstSupported, h264Candidates, type H264Target } from './h264-config';
import { AUDIO_CODEC_STRING, type ProgramAudioCodec } from './audio-codec';

/**
 * The preview leg: a second, small H.264 encoding of the same program frames for the in-app
 * preview only, with a keyframe at the start of every HLS segment (the Twilio player stalls on
 * 0.25 s segments cut inside the program's 2 s GOP). Destinations and the recording never see it.
 */

/**
 * At most 640×360: the preview slot in the studio is smaller than that on a laptop screen, and
 * 360p is a quarter of 720p's pixels (a ninth of 1080p's) to scale and encode, eight keyframes a
 * second included. The program's aspect is kept (its frames are already letterboxed to the preset).
 */
export const PREVIEW_MAX = { width: 640, height: 360 } as const;
/** Enough for 360p with a keyframe every ~0.27 s over loopback (the program gets 2000–9000 kbps). */
export const PREVIEW_KBPS_PER_30_FPS = 1000;

export interface PreviewLegPlan {
  target: H264Target;
  /** Seconds between keyframes: a whole number of frames, just over one HLS segment. */
  keyframeSeconds: number;
}

/** Even sides (4:2:0), never larger than the program. */
const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * The preview leg for `preset`. Keyframes come every ⌊segment × fps⌋ + 1 frames (8 at 30 fps,
 * 16 at 60: 267 ms): the packager cuts a segment at the first keyframe at or after each 0.25 s
 * boundary, so a keyframe interval just over a segment makes every keyframe start a segment and
 * every segment start with one; an interval just under (7 frames, 233 ms) would let every other
 * keyframe fall before its boundary and double the segments' length.
 */
export function previewLegPlan(preset: Pick<OutputPreset, 'width' | 'height' | 'fps' | 'videoKbps'>, segmentSeconds = HLS_SEGMENT_SECONDS): PreviewLegPlan {
  const scale = Math.min(1, PREVIEW_MAX.width / preset.width, PREVIEW_MAX.height / preset.height);
  const framesPerKeyframe = Math.floor(segmentSeconds * preset.fps + 1e-9) + 1;
  return {
    target: {
      width: even(preset.width * scale),
      height: even(preset.height * scale),
      fps: preset.fps,
      kbps: Math.min(preset.videoKbps, Math.round((PREVIEW_KBPS_PER_30_FPS * preset.fps) / 30)),
    },
    keyframeSeconds: framesPerKeyframe / preset.fps,
  };
}

/** The mime type the preview leg's feed says: H.264 + the program's audio in fMP4, keyframes at least once a segment (no `gop=`). */
export const previewMimeType = (config: VideoEncoderConfig, audioCodec: ProgramAudioCodec = 'opus') => `video/mp4;codecs=${config.codec},${AUDIO_CODEC_STRING[audioCodec]}`;

export interface PreviewLegSetup {
  config: VideoEncoderConfig;
  keyframeSeconds: number;
  mimeType: string;
}

/** The preview leg on the program encoder's rung (hardware where the program got hardware), or null where it cannot run. */
export async function probePreviewLeg(program: VideoEncoderConfig, preset: OutputPreset, audioCodec: ProgramAudioCodec = 'opus'): Promise<PreviewLegSetup | null> {
  const plan = previewLegPlan(preset);
  const config = await firstSupported(h264Candidates(plan.target, accelerationOf(program)));
  return config ? { config, keyframeSeconds: plan.keyframeSeconds, mimeType: previewMimeType(config, audioCodec) } : null;
}
