import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the studio looked for ffmpeg, in order; shown when none was found. */
export type FfmpegSource = 'settings' | 'env' | 'bundled' | 'path';

export interface FfmpegLookup {
  /** The ffmpeg path chosen in the studio's settings (empty = not set). */
  setting?: string | null;
  env?: NodeJS.ProcessEnv;
  /** `process.resourcesPath` in packaged Electron (the bundled copy lives in `<resources>/ffmpeg/`). */
  resourcesPath?: string | null;
  platform?: NodeJS.Platform;
}

export interface FoundFfmpeg {
  path: string;
  source: FfmpegSource;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds ffmpeg: the settings value, then `FFMPEG_PATH`, then the copy bundled with the
 * packaged app, then `PATH`. A path chosen in Settings is returned as it is, even when it is
 * gone, so that the check (`ffmpeg-check.ts`) says why instead of another program being run;
 * the others are skipped unless they are executable files. Returns null when none is left.
 */
export function findFfmpeg({ setting, env = process.env, resourcesPath, platform = process.platform }: FfmpegLookup = {}): FoundFfmpeg | null {
  const exe = platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const candidates: FoundFfmpeg[] = [];
  if (setting?.trim()) candidates.push({ path: setting.trim(), source: 'settings' });
  if (env.FFMPEG_PATH?.trim()) candidates.push({ path: env.FFMPEG_PATH.trim(), source: 'env' });
  if (resourcesPath) candidates.push({ path: join(resourcesPath, 'ffmpeg', exe), source: 'bundled' });
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(delimiter).filter(Boolean)) candidates.push({ path: join(dir, exe), source: 'path' });
  return candidates.find((candidate) => candidate.source === 'settings' || isExecutable(candidate.path)) ?? null;
}

export interface PackagerInput {
  /** The MediaRecorder mime type, e.g. `video/mp4;codecs=avc1.42E01F,opus` or `video/webm;codecs=vp8,opus`. */
  mimeType: string;
}

/** True when the video can be copied (H.264 in MP4); anything else is re-encoded with libx264. */
export function copiesVideo(mimeType: string): boolean {
  const lower = mimeType.toLowerCase();
  return lower.startsWith('video/mp4') && (lower.includes('avc1') || lower.includes('h264') || !lower.includes('codecs'));
}

/**
 * The feed says how far apart its keyframes are with a `gop=<ms>` parameter on its mime type
 * (`video/mp4;codecs=avc1.4d0028,opus;gop=2000`, sent by the WebCodecs encoder); true when that
 * is longer than a segment. Without the parameter keyframes are assumed to come at least as often.
 */
export function sparseKeyframes(mimeType: string, segmentSeconds: number): boolean {
  const gop = /;\s*gop=(\d+)/i.exec(mimeType);
  return gop !== null && Number(gop[1]) > segmentSeconds * 1000;
}

/**
 * True when a destination can take the feed's video as it is: H.264 whose keyframes the feed says
 * are 1–4 s apart (`gop=<ms>`; platforms want 2 s, YouTube at most 4 s). MediaRecorder's feed
 * declares none (a keyframe every 250 ms, for the preview), so it is not.
 */
export function platformGradeVideo(mimeType: string): boolean {
  const gop = /;\s*gop=(\d+)/i.exec(mimeType);
  return copiesVideo(mimeType) && gop !== null && Number(gop[1]) >= 1000 && Number(gop[1]) <= 4000;
}

export interface SegmentArgs {
  mimeType: string;
  /** Target segment length; segments are cut at the next keyframe after it. */
  segmentSeconds: number;
  /** Number of the first segment file (continues across restarts of the ingest). */
  startNumber: number;
  /** `<dir>/s%05d.ts`. */
  pattern: string;
}

/**
 * ffmpeg arguments: program feed on stdin → MPEG-TS segments, the finished ones listed on
 * stdout as CSV lines (`name,start,end`). Video is copied for H.264 input; audio is AAC.
 * Each packet is flushed into the segment file at once so the growing file can be served
 * (LHLS `#EXT-X-PREFETCH`). Never `-fflags nobuffer`: it drops the first GOP.
 * One MPEG-TS muxer writes all segments (`-individual_header_trailer 0`, PAT/PMT again at the
 * start of each): with a fresh muxer per segment the continuity counters restart at 0 in every
 * segment, and the Twilio player's IVS demuxer then drops the frame it is assembling and logs
 * `AVC finishFrame called without active frame` once per segment (it ignores the TS
 * discontinuity indicator).
 */
export function segmentArgs({ mimeType, segmentSeconds, startNumber, pattern }: SegmentArgs): string[] {
  const video = copiesVideo(mimeType)
    ? ['-c:v', 'copy']
    : // WebM/VP8: re-encode. Without -r 30 ffmpeg duplicates frames up to the 1 kHz WebM time base.
      ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-r', '30', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '1250k'];
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel', 'error',
    '-i', 'pipe:0',
    '-map', '0:v:0',
    '-map', '0:a:0?',
    ...video,
    // AAC is most of this process's CPU when video is copied: the fast coder, and the input's own
    // channel count (a mono microphone is no longer upmixed to stereo), about halve it.
    '-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k', '-ar', '48000',
    '-max_interleave_delta', '0',
    '-f', 'segment',
    '-segment_time', String(segmentSeconds),
    // A feed whose keyframes are sparser than the segments (the WebCodecs encoder's 2 s GOP) is cut
    // every segmentSeconds inside the GOP: 2 s segments made the Twilio player's IVS demuxer log
    // `AVC finishFrame called without active frame` at each segment start. Feeds with keyframes
    // at least as often as segments (MediaRecorder, 250 ms) keep keyframe cuts.
    ...(sparseKeyframes(mimeType, segmentSeconds) ? ['-break_non_keyframes', '1'] : []),
    '-segment_format', 'mpegts',
    '-segment_format_options', 'flush_packets=1:mpegts_flags=+resend_headers',
    '-individual_header_trailer', '0',
    '-segment_start_number', String(startNumber),
    '-segment_list', 'pipe:1',
    '-segment_list_type', 'csv',
    pattern,
  ];
}
