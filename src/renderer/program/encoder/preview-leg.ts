import type { FeedPiece } from './fragments';
import { type Admission, admit } from './admission';
import { KeyframeSchedule, MAX_ENCODE_QUEUE } from './gop';
import { type EncodedSample, muxVideoOutput, ProgramMuxer } from './mux';
import type { ProgramAudioCodec } from './audio-codec';

export interface PreviewLegStats {
  framesEncoded: number;
  keyframes: number;
  /** Frames the preview leg left out because its encoder was behind (never a keyframe's). */
  framesSkipped: number;
}

export interface PreviewLegOptions {
  config: VideoEncoderConfig;
  keyframeSeconds: number;
  fps: number;
  /** The program has a microphone: the leg carries the same audio packets. */
  audio: boolean;
  /** Their codec (the program's). */
  audioCodec?: ProgramAudioCodec;
  onPiece: (piece: FeedPiece) => void;
  onError: (error: unknown) => void;
}

/**
 * The preview's own leg, inside the program encoder's worker: the program's frames (no second
 * capture) into a second VideoEncoder (on the program's rung) configured at the leg's size, with a
 * keyframe every `keyframeSeconds`, and its own fMP4 muxer that also gets the program's audio
 * packets (the audio is encoded once). Its timeline starts at its first frame.
 *
 * The encoder scales: Chromium's VideoEncoder takes a frame larger than its configured size and
 * scales it on the way in (the coded size is the configured 640×360). Scaling through an
 * OffscreenCanvas first (drawImage, then a VideoFrame from the canvas) cost ~100 ms a frame in the
 * worker on this machine without a GPU and starved both legs (9 fps); the encoder's own scaler
 * takes ~10 ms with the encode. The only frame made here is a re-timed view of the caller's (no
 * pixel copy), closed right after `encode`; the frames it is offered stay the caller's.
 */
export class PreviewLeg {
  readonly stats: PreviewLegStats = { framesEncoded: 0, keyframes: 0, framesSkipped: 0 };
  private readonly encoder: VideoEncoder;
  private readonly muxer: ProgramMuxer;
  private readonly schedule: KeyframeSchedule;
  private readonly frameUs: number;
  /** The program timestamp of the leg's first frame: the leg's time 0. */
  private originUs: number | null = null;
  private sentAudioConfig = false;
  private failed = false;
  private stopped = false;

  constructor(private readonly options: PreviewLegOptions) {
    const { config } = options;
    this.frameUs = 1_000_000 / options.fps;
    this.schedule = new KeyframeSchedule(options.keyframeSeconds, options.fps);
    this.muxer = new ProgramMuxer({ fps: options.fps, audio: options.audio, audioCodec: options.audioCodec, onPiece: options.onPiece, onError: (error) => this.fail(error) });
    this.encoder = new VideoEncoder({
      output: muxVideoOutput(this.muxer),
      error: (error) => this.fail(error),
    });
    this.encoder.configure(config);
  }

  /**
   * What the leg takes of a program frame at `pictureAtUs` and the repeats before it (`admission.ts`,
   * on the leg's own queue and keyframe schedule: a keyframe-due slot is always taken); the program
   * skips a frame only when neither leg takes it.
   */
  admission(pictureAtUs: number, repeatAtUs: readonly number[]): Admission {
    if (this.failed || this.stopped) return { repeats: [], picture: false };
    const admitted = admit({
      queue: this.encoder.encodeQueueSize,
      maxQueue: MAX_ENCODE_QUEUE,
      pictureAtUs,
      repeatAtUs,
      keyDue: (at) => this.schedule.due(at),
    });
    this.stats.framesSkipped += repeatAtUs.length - admitted.repeats.length + (admitted.picture ? 0 : 1);
    return admitted;
  }

  /** Encodes `frame` (program time, the program's size; the encoder scales it), one `admission` let in; `frame` stays open. */
  offer(frame: VideoFrame): void {
    if (this.failed || this.stopped) return;
    this.originUs ??= frame.timestamp;
    const keyFrame = this.schedule.isKey(frame.timestamp);
    const retimed = new VideoFrame(frame, { timestamp: frame.timestamp - this.originUs, duration: this.frameUs });
    try {
      this.encoder.encode(retimed, { keyFrame });
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      retimed.close();
    }
    this.stats.framesEncoded += 1;
    if (keyFrame) this.stats.keyframes += 1;
  }

  /** One of the program's audio packets (program time); those before the leg's first frame are left out. */
  addAudio(sample: EncodedSample, config: EncodedAudioChunkMetadata | undefined): void {
    if (this.failed || this.stopped || this.originUs === null || sample.timestamp < this.originUs) return;
    const withConfig = !this.sentAudioConfig && config?.decoderConfig ? config : undefined;
    if (withConfig) this.sentAudioConfig = true;
    this.muxer.addAudio({ ...sample, timestamp: sample.timestamp - this.originUs }, withConfig);
  }

  /** The program's audio ended (or failed): the leg's video no longer waits for it. */
  endAudio(): void {
    this.muxer.endAudio();
  }

  /** Encodes what is queued and writes the last fragment (through onPiece). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (!this.failed && this.encoder.state === 'configured') {
        await this.encoder.flush();
        this.muxer.endAudio();
        await this.muxer.finish();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      if (this.encoder.state !== 'closed') this.encoder.close();
    }
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    void this.muxer.cancel();
    this.options.onError(error);
  }
}
