/**
 * MediaRecorder formats in order of preference. H.264 in MP4 first: the local cloud copies the
 * video and only turns Opus into AAC. WebM/VP8 is the fallback, re-encoded (CPU) by ffmpeg.
 * (Chromium on Linux records `avc1…,opus` in MP4 but not AAC.)
 */
export const PROGRAM_FORMATS = [
  'video/mp4;codecs=avc1.42E01F,opus',
  'video/mp4;codecs=avc1,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp8',
] as const;

export function pickRecorderFormat(isTypeSupported: (type: string) => boolean): string | null {
  return PROGRAM_FORMATS.find((type) => isTypeSupported(type)) ?? null;
}

/** True when the local cloud will re-encode the video (not H.264 in MP4). */
export const isTranscoded = (mimeType: string) => !mimeType.startsWith('video/mp4');
