import type { OutputPreset } from '../../../shared/output';
import type { FeedPiece } from './fragments';

/** The page asks the encoder's worker. */
export type ToEncoderWorker =
  | {
      type: 'start';
      config: VideoEncoderConfig;
      preset: OutputPreset;
      video: ReadableStream<VideoFrame>;
      audio: ReadableStream<AudioData> | null;
    }
  | { type: 'stop' };

/** The encoder's worker tells the page. */
export type FromEncoderWorker = { type: 'piece'; piece: FeedPiece } | { type: 'error'; message: string } | { type: 'stopped' };
