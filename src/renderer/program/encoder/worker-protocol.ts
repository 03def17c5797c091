import type { OutputPreset } from '../../../shared/output';
import type { FeedPiece } from './fragments';
import type { EncoderHealth } from './webcodecs-encoder';

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
export type FromEncoderWorker =
  | { type: 'piece'; piece: FeedPiece }
  | { type: 'health'; health: EncoderHealth }
  | { type: 'error'; message: string; health: EncoderHealth | null }
  | { type: 'stopped' };
