import type { OutputPreset } from '../../../shared/output';
import type { ProgramAudioCodec } from './audio-codec';
import type { FeedPiece } from './fragments';
import type { EncoderHealth, PreviewLegRequest } from './webcodecs-encoder';

/** The page asks the encoder's worker. */
export type ToEncoderWorker =
  | {
      type: 'start';
      config: VideoEncoderConfig;
      preset: OutputPreset;
      audioCodec: ProgramAudioCodec;
      video: ReadableStream<VideoFrame>;
      audio: ReadableStream<AudioData> | null;
    }
  /** Start the preview leg (on the next frame) or end it (`null`). */
  | { type: 'preview'; leg: PreviewLegRequest | null }
  /**
   * An output joined the feed mid-stream (a recording started while live): the next program frame is
   * a keyframe, unless one is already on its way (`seen`: the keyframe pieces the page has received).
   */
  | { type: 'keyframe'; seen: number }
  /** Answer `passed` once the frame captured at `atMs` (performance.timeOrigin + performance.now()) has left in a piece. */
  | { type: 'mark'; id: number; atMs: number }
  | { type: 'stop' };

/** The encoder's worker tells the page. */
export type FromEncoderWorker =
  | { type: 'piece'; piece: FeedPiece }
  | { type: 'preview-piece'; piece: FeedPiece }
  /** The preview leg asked for is running (`on`), or has ended after its last piece. */
  | { type: 'preview-state'; on: boolean; error: string | null }
  | { type: 'health'; health: EncoderHealth }
  | { type: 'error'; message: string; health: EncoderHealth | null }
  /** Every piece of the frames up to mark `id` has been posted before this. */
  | { type: 'passed'; id: number }
  | { type: 'stopped' };
