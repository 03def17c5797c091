/** The program feed's containers, and one piece of it as the framers cut it. */
export type FeedFormat = 'mp4' | 'mpegts' | 'webm' | 'raw';

export interface FeedPiece {
  data: Buffer;
  /** True when `data` begins where a fresh ffmpeg (after the init segment) may start reading. */
  boundary: boolean;
}
