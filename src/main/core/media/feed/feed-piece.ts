/** The program feed's containers, and one piece of it as the framers cut it. */
export type FeedFormat = 'mp4' | 'mpegts' | 'webm' | 'raw';

/**
 * One piece of a feed, cut once by the framer of the fan-out it passes through (`FeedFanout`); the
 * outputs behind it take the pieces as they are and never cut the same bytes again.
 */
export interface FeedPiece {
  data: Buffer;
  /** True when `data` begins where a fresh ffmpeg (after the init segment) may start reading. */
  boundary: boolean;
  /**
   * On a boundary piece: the stream's init segment (MP4 `ftyp`+`moov`, WebM header), which a reader
   * starting at this piece needs first; null for MPEG-TS, raw bytes, or before it is complete.
   */
  init?: Buffer | null;
  /** Video samples whose `moof` this piece carries (MP4 feeds with a video track; absent otherwise). */
  videoSamples?: number;
  /** When the bytes reached the fan-out that cut this piece (`latencyNow()`, epoch ms), when it was told. */
  at?: number;
  /**
   * When the piece's first video frame went into the encoder (epoch ms), from the fragment's `prft`
   * (the studio's WebCodecs feed writes one); absent when the feed does not say.
   */
  inputAt?: number;
}

/** Bytes that are not cut (a byte-stream port such as the local cloud's ingest) as one piece. */
export function wholePiece(data: Uint8Array): FeedPiece {
  return { data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), boundary: false };
}
