import type { LiveImage } from './draw-scene';

/**
 * One muted, playing video element per live stream (camera, screen), shared by the program
 * compositor and every scene preview, released when the last user lets go. Drawing a video
 * element is the fast path in Chromium without a GPU (measured: see README "Compositor").
 */
const shared = new Map<MediaStream, { video: HTMLVideoElement; users: number }>();

export function acquireVideo(stream: MediaStream): HTMLVideoElement {
  const entry = shared.get(stream);
  if (entry) {
    entry.users += 1;
    return entry.video;
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.srcObject = stream;
  void video.play().catch(() => {});
  shared.set(stream, { video, users: 1 });
  return video;
}

export function releaseVideo(stream: MediaStream): void {
  const entry = shared.get(stream);
  if (!entry || --entry.users > 0) return;
  shared.delete(stream);
  entry.video.pause();
  entry.video.srcObject = null;
}

/** The element's current picture, or null before its first frame. */
export function videoImage(video: HTMLVideoElement | null): LiveImage | null {
  if (!video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
  return { image: video, width: video.videoWidth, height: video.videoHeight };
}
