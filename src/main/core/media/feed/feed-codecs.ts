/** What the program feed's mime type says about its video: can it be copied, and how far apart are its keyframes. */

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

/** True when the feed's mime type lists AAC audio (`mp4a…`: WebCodecs' AAC encoder, on Windows and macOS). */
export function aacAudio(mimeType: string): boolean {
  const codecs = /codecs=([^;]*)/i.exec(mimeType);
  return codecs !== null && codecs[1]!.split(',').some((codec) => codec.trim().toLowerCase().startsWith('mp4a'));
}

/**
 * True when every destination can take the feed as it is: platform-grade H.264 and AAC in MP4.
 * Nothing then needs to run in front of them (no audio transcode, no video encode in main).
 */
export function destinationReady(mimeType: string): boolean {
  return platformGradeVideo(mimeType) && aacAudio(mimeType);
}
