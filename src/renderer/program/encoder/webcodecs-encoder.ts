import { type Admission, admit } from './admission';
import { AUDIO_BITRATE, AUDIO_CODEC_STRING, type ProgramAudioCodec, probeAudioCodec } from './audio-codec';
import { latencyNow, type LatencySummary } from '../../../shared/latency';
import { KEYFRAME_INTERVAL_SECONDS, type OutputPreset } from '../../../shared/output';
import { EncoderLatency } from './encoder-latency';
import type { FeedPiece } from './fragments';
import { CaptureClock } from './capture-clock';
import { FrameGrid } from './frame-grid';
import { KeyframeSchedule, MAX_ENCODE_QUEUE } from './gop';
import { type EncoderAcceleration, firstSupported, h264Candidates } from './h264-config';
import { muxVideoOutput, ProgramMuxer } from './mux';
import { PreviewLeg, type PreviewLegStats } from './preview-leg';

/** Chromium's MediaStreamTrackProcessor (not in the DOM typings). */
interface TrackProcessor<T> {
  readable: ReadableStream<T>;
}
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor<VideoFrame | AudioData>;
const processorClass = () => (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;

/** The frames of a video track (at most 2 waiting: a late frame is dropped, not queued) as a stream. */
export function videoFrames(track: MediaStreamTrack): ReadableStream<VideoFrame> {
  const Processor = processorClass()!;
  return new Processor({ track, maxBufferSize: 2 }).readable as ReadableStream<VideoFrame>;
}

/** The samples of an audio track as a stream. */
export function audioSamples(track: MediaStreamTrack): ReadableStream<AudioData> {
  const Processor = processorClass()!;
  return new Processor({ track }).readable as ReadableStream<AudioData>;
}


export type { EncoderAcceleration } from './h264-config';

/**
 * The VideoEncoder configuration for `preset` on `acceleration`, or null where that is missing
 * (no hardware H.264 encoder, no WebCodecs H.264, neither AAC nor Opus, no MediaStreamTrackProcessor): the
 * caller then tries the next rung of the ladder. Chromium takes `prefer-hardware` as a hard
 * requirement; a yes here does not promise the hardware path works, so the feed also watches the
 * encoder's first outputs (`use-program-feed.ts`).
 */
export async function probeWebCodecs(preset: OutputPreset, acceleration: EncoderAcceleration): Promise<{ config: VideoEncoderConfig; audioCodec: ProgramAudioCodec } | null> {
  if (typeof VideoEncoder === 'undefined' || typeof AudioEncoder === 'undefined' || typeof VideoFrame === 'undefined' || !processorClass()) return null;
  const audioCodec = await probeAudioCodec();
  if (!audioCodec) return null;
  const config = await firstSupported(h264Candidates({ width: preset.width, height: preset.height, fps: preset.fps, kbps: preset.videoKbps }, acceleration));
  return config ? { config, audioCodec } : null;
}

export interface EncoderStats {
  /** Every frame handed to the encoder, repeats included. */
  framesEncoded: number;
  keyframes: number;
  /** Frames left out because the encoder was behind. */
  framesDropped: number;
  /** Empty slots filled with the last picture because the program frame came late (constant frame rate). */
  framesRepeated: number;
}

/** The encoder's health, as the worker reports it every second. */
export interface EncoderHealth extends EncoderStats {
  /** Frames waiting in the VideoEncoder now. */
  queue: number;
  /** Video chunks the encoder has put out (0 until its first output: the hardware path is not proven before). */
  outputs: number;
  /** The preview leg's counts while it runs (null without one). */
  preview?: PreviewLegStats | null;
  /** The program's latency in the worker over its last frames (`src/shared/latency.ts`); the page adds `send`. */
  latency?: { encode: LatencySummary; mux: LatencySummary; send?: LatencySummary };
}

export interface WebCodecsHandlers {
  onPiece: (piece: FeedPiece) => void;
  onError: (error: unknown) => void;
  /** A piece of the preview leg's feed (while one runs). */
  onPreviewPiece?: (piece: FeedPiece) => void;
  /** The preview leg failed (the program goes on; the preview then reads the program feed). */
  onPreviewError?: (error: unknown) => void;
}

/** The preview leg to run: its encoder configuration and keyframe interval (`preview-leg-config.ts`). */
export interface PreviewLegRequest {
  config: VideoEncoderConfig;
  keyframeSeconds: number;
}

/**
 * The program encoder: frames from the program stream's video track (MediaStreamTrackProcessor)
 * → VideoEncoder H.264 with a keyframe every 2 s by timestamp; audio → AudioEncoder AAC or Opus 48 kHz;
 * both → ProgramMuxer (one fMP4 fragment per frame). Runs in the encoder's worker
 * (`encoder-worker.ts`), off the page's main thread, which the preview player needs.
 */
export class WebCodecsProgramEncoder {
  readonly stats: EncoderStats = { framesEncoded: 0, keyframes: 0, framesDropped: 0, framesRepeated: 0 };
  private readonly schedule: KeyframeSchedule;
  private readonly muxer: ProgramMuxer;
  private readonly video: VideoEncoder;
  private audio: AudioEncoder | null = null;
  private readonly readers: Array<ReadableStreamDefaultReader<VideoFrame> | ReadableStreamDefaultReader<AudioData>> = [];
  private readonly pumps: Array<Promise<void>> = [];
  private stopped = false;
  private failed = false;
  /** One clock for both tracks: µs since the encoder started (each track's own timestamps placed on it by its CaptureClock). */
  private readonly originUs = performance.now() * 1000;
  private readonly videoClock = new CaptureClock();
  private readonly audioClock = new CaptureClock(false);
  private readonly grid: FrameGrid;
  /** The last picture encoded (on the preset's size), kept to fill the grid's empty slots. */
  private held: VideoFrame | null = null;
  private scaler: { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D } | null = null;
  private sentAudioConfig = false;
  /** The audio decoder configuration (the first output's), for a preview leg that starts later. */
  private audioConfig: EncodedAudioChunkMetadata | undefined;
  private audioEnded = false;
  private outputs = 0;
  private preview: PreviewLeg | null = null;
  private readonly latency = new EncoderLatency();
  /** `passed()` calls waiting until the muxer has video and sound at or after `afterUs` (the encoder's clock). */
  private marks: Array<{ afterUs: number; resolve: () => void }> = [];
  /** The last video and audio chunk timestamps handed to the muxer (µs). */
  private videoOutUs = -Infinity;
  private audioOutUs = -Infinity;

  constructor(
    private readonly config: VideoEncoderConfig,
    private readonly preset: OutputPreset,
    private readonly handlers: WebCodecsHandlers,
    private readonly hasAudio: boolean,
    /** AAC or Opus (`probeAudioCodec`): the program's and the preview leg's sound. */
    private readonly audioCodec: ProgramAudioCodec = 'opus',
  ) {
    this.schedule = new KeyframeSchedule(KEYFRAME_INTERVAL_SECONDS, preset.fps);
    this.grid = new FrameGrid(preset.fps);
    this.muxer = new ProgramMuxer({
      fps: preset.fps,
      audio: hasAudio,
      audioCodec,
      onPiece: handlers.onPiece,
      onError: (error) => this.fail(error),
      onMuxed: this.latency.muxed,
      originAt: performance.timeOrigin + this.originUs / 1000,
    });
    this.video = new VideoEncoder({
      output: muxVideoOutput(this.muxer, (timestampUs, encodedAt) => {
        this.outputs += 1;
        this.latency.encoded(timestampUs, encodedAt);
        this.videoOutUs = timestampUs;
        this.settleMarks();
      }),
      error: (error) => this.fail(error),
    });
    this.video.configure(config);
  }

  health(): EncoderHealth {
    return {
      ...this.stats,
      queue: this.video.state === 'configured' ? this.video.encodeQueueSize : 0,
      outputs: this.outputs,
      preview: this.preview ? { ...this.preview.stats } : null,
      latency: this.latency.summary(),
    };
  }

  /**
   * Starts the preview leg on the program's next frame (a keyframe, with its own init segment),
   * or ends the running one (`null`) after its last fragment.
   */
  async setPreview(request: PreviewLegRequest | null): Promise<void> {
    const running = this.preview;
    this.preview = null;
    await running?.stop();
    if (!request || this.stopped || this.failed) return;
    const leg = new PreviewLeg({
      ...request,
      fps: this.preset.fps,
      audio: this.hasAudio,
      audioCodec: this.audioCodec,
      onPiece: (piece) => this.handlers.onPreviewPiece?.(piece),
      onError: (error) => {
        if (this.preview === leg) this.preview = null;
        void leg.stop();
        this.handlers.onPreviewError?.(error);
      },
    });
    if (this.audioEnded) leg.endAudio();
    this.preview = leg;
  }

  /**
   * Reads the program's frames and audio (MediaStreamTrackProcessor readables: made in the page
   * and handed to the encoder's worker, or made here on the page).
   */
  start(video: ReadableStream<VideoFrame>, audio: ReadableStream<AudioData> | null): void {
    const videoReader = video.getReader();
    this.readers.push(videoReader);
    this.pumps.push(this.pump(videoReader, (frame) => this.onFrame(frame as VideoFrame)));
    if (audio) {
      const audioReader = audio.getReader();
      this.readers.push(audioReader);
      this.pumps.push(this.pump(audioReader, (data) => this.onAudio(data as AudioData)));
    }
  }

  /**
   * The next program frame is a keyframe, and the 2 s grid starts again from it: an output that
   * joined mid-stream (a recording started while live) begins there instead of at the next GOP.
   * `seen`: the keyframe pieces the page has received. When more keyframes were encoded than
   * that, one is on its way (in the encoder, the muxer or the message to the page) and reaches the
   * output first: no second one (it would cut a GOP short for every destination).
   */
  requestKeyframe(seen: number): void {
    if (!this.stopped && this.stats.keyframes <= seen) this.schedule.reset();
  }

  /**
   * Resolves once the frame the camera gave at `atMs` (performance.timeOrigin + performance.now(),
   * the same instant on the page and here) has left in a fragment through onPiece: Stop recording
   * waits for it, so the file keeps what was captured before the click. The muxer cuts a fragment
   * when the next sample comes and interleaves the tracks by time, so this waits until video and
   * sound one frame later have reached it. At once when the encoder has stopped or failed (nothing
   * more will come).
   */
  passed(atMs: number): Promise<void> {
    if (this.stopped || this.failed) return Promise.resolve();
    const afterUs = (atMs - performance.timeOrigin) * 1000 - this.originUs + 1_000_000 / this.preset.fps;
    return new Promise((resolve) => {
      this.marks.push({ afterUs, resolve });
      this.settleMarks();
    });
  }

  /** The marks that video and sound (while there is sound) have passed resolve once the muxer has written them. */
  private settleMarks(): void {
    const reached = this.hasAudio && !this.audioEnded ? Math.min(this.videoOutUs, this.audioOutUs) : this.videoOutUs;
    const passed = this.marks.filter((mark) => reached >= mark.afterUs);
    if (passed.length === 0) return;
    this.marks = this.marks.filter((mark) => !passed.includes(mark));
    void this.muxer.settled().then(() => {
      for (const mark of passed) mark.resolve();
    });
  }

  /** Answers every waiting `passed()` (the encoder ends). */
  private releaseMarks(): void {
    const marks = this.marks;
    this.marks = [];
    for (const mark of marks) mark.resolve();
  }

  /** Stops reading, encodes what is queued and writes the last fragment (through onPiece). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const reader of this.readers) await reader.cancel().catch(() => {});
    await Promise.allSettled(this.pumps);
    this.held?.close();
    this.held = null;
    await this.setPreview(null);
    if (this.failed) {
      this.releaseMarks();
      return;
    }
    try {
      if (this.video.state === 'configured') await this.video.flush();
      if (this.audio?.state === 'configured') await this.audio.flush();
      this.endAudio();
      await this.muxer.finish();
    } catch (error) {
      this.fail(error);
    } finally {
      closeQuietly(this.video);
      if (this.audio) closeQuietly(this.audio);
      this.releaseMarks();
    }
  }

  private async pump(reader: ReadableStreamDefaultReader<VideoFrame> | ReadableStreamDefaultReader<AudioData>, take: (value: VideoFrame | AudioData) => void): Promise<void> {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (this.stopped || this.failed) {
        value.close();
        continue;
      }
      try {
        take(value);
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private onFrame(frame: VideoFrame): void {
    const arrivedAt = latencyNow();
    // On the grid: a camera faster than the preset's rate keeps one frame per slot.
    const placed = this.grid.place(Math.round(this.videoClock.place(frame.timestamp, performance.now() * 1000 - this.originUs)));
    if (!placed) {
      frame.close();
      return;
    }
    // The program came late: the slots it missed get the last picture again while the encoder keeps
    // up; the new picture comes before any repeat, and a keyframe-due slot is always encoded — for
    // the program (the GOP stays 2 s) and for the preview leg (one segment), each deciding alone.
    const repeatAtUs = this.held ? placed.repeatAtUs : [];
    const program = admit({
      queue: this.video.encodeQueueSize,
      maxQueue: MAX_ENCODE_QUEUE,
      pictureAtUs: placed.timestampUs,
      repeatAtUs,
      keyDue: (at) => this.schedule.due(at),
    });
    const preview: Admission = this.preview?.admission(placed.timestampUs, repeatAtUs) ?? { repeats: [], picture: false };
    for (const at of repeatAtUs) {
      const forProgram = program.repeats.includes(at);
      const forPreview = preview.repeats.includes(at);
      if (!forProgram && !forPreview) continue;
      const repeat = new VideoFrame(this.held!, { timestamp: at, duration: 1_000_000 / this.preset.fps });
      if (forPreview) this.preview?.offer(repeat);
      if (!forProgram) {
        repeat.close();
        continue;
      }
      this.encode(repeat, arrivedAt);
      this.stats.framesRepeated += 1;
    }
    if (!program.picture && !preview.picture) {
      this.stats.framesDropped += 1;
      frame.close();
      return;
    }
    const input = this.fit(frame, placed.timestampUs);
    frame.close();
    if (preview.picture) this.preview?.offer(input);
    if (!program.picture) {
      this.stats.framesDropped += 1;
      input.close();
      return;
    }
    this.held?.close();
    this.held = input.clone();
    this.encode(input, arrivedAt);
  }

  /** Encodes `input` (and closes it), a keyframe where the schedule says; `arrivedAt`: when its picture reached the worker. */
  private encode(input: VideoFrame, arrivedAt: number): void {
    const keyFrame = this.schedule.isKey(input.timestamp);
    this.latency.frameIn(input.timestamp, arrivedAt);
    try {
      this.video.encode(input, { keyFrame });
    } finally {
      input.close();
    }
    this.stats.framesEncoded += 1;
    if (keyFrame) this.stats.keyframes += 1;
  }

  /** The frame at the preset's size (letterboxed when the camera's aspect differs), on the encoder's clock. */
  private fit(frame: VideoFrame, timestamp: number): VideoFrame {
    const { width, height } = this.preset;
    if (frame.displayWidth === width && frame.displayHeight === height) return new VideoFrame(frame, { timestamp, duration: 1_000_000 / this.preset.fps });
    if (!this.scaler) {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d', { alpha: false });
      if (!context) throw new Error('No 2D context to scale the program frame');
      this.scaler = { canvas, context };
    }
    const { canvas, context } = this.scaler;
    const scale = Math.min(width / frame.displayWidth, height / frame.displayHeight);
    const w = Math.round(frame.displayWidth * scale);
    const h = Math.round(frame.displayHeight * scale);
    context.fillStyle = '#000';
    context.fillRect(0, 0, width, height);
    context.drawImage(frame, Math.round((width - w) / 2), Math.round((height - h) / 2), w, h);
    return new VideoFrame(canvas, { timestamp, duration: 1_000_000 / this.preset.fps });
  }

  private onAudio(data: AudioData): void {
    try {
      if (!this.audio) this.audio = this.openAudio(data);
      if (!this.audio) return;
      const timestamp = Math.round(this.audioClock.place(data.timestamp, performance.now() * 1000 - this.originUs));
      const input = data.timestamp === timestamp ? data : rebased(data, timestamp);
      try {
        this.audio.encode(input);
      } finally {
        if (input !== data) input.close();
      }
    } finally {
      data.close();
    }
  }

  /** AAC or Opus at the microphone's rate and channels; a microphone it cannot take leaves the feed without sound rather than without picture. */
  private openAudio(first: AudioData): AudioEncoder | null {
    const encoder = new AudioEncoder({
      output: (chunk, meta) => {
        const data = new Uint8Array(chunk.byteLength);
        chunk.copyTo(data);
        const withConfig = !this.sentAudioConfig && meta?.decoderConfig ? meta : undefined;
        if (withConfig) {
          this.sentAudioConfig = true;
          this.audioConfig = withConfig;
        }
        // Encoded once: the same packet goes to the program and to the preview leg.
        const sample = { type: 'key' as const, timestamp: chunk.timestamp, duration: chunk.duration, data };
        this.muxer.addAudio(sample, withConfig);
        this.preview?.addAudio(sample, this.audioConfig);
        this.audioOutUs = chunk.timestamp;
        this.settleMarks();
      },
      error: () => this.endAudio(),
    });
    try {
      encoder.configure({ codec: AUDIO_CODEC_STRING[this.audioCodec], sampleRate: first.sampleRate, numberOfChannels: first.numberOfChannels, bitrate: AUDIO_BITRATE });
      return encoder;
    } catch {
      this.endAudio();
      return null;
    }
  }

  private endAudio(): void {
    this.audioEnded = true;
    // Nothing waits for sound that will not come.
    this.settleMarks();
    this.muxer.endAudio();
    this.preview?.endAudio();
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    void this.muxer.cancel();
    this.releaseMarks();
    this.handlers.onError(error);
  }
}

/** The same samples on the encoder's clock. */
function rebased(data: AudioData, timestamp: number): AudioData {
  const format = data.format ?? 'f32-planar';
  const planar = format.endsWith('-planar');
  const planes = planar ? data.numberOfChannels : 1;
  const parts: ArrayBuffer[] = [];
  let total = 0;
  for (let plane = 0; plane < planes; plane++) {
    const size = data.allocationSize({ planeIndex: plane, format });
    const part = new ArrayBuffer(size);
    data.copyTo(part, { planeIndex: plane, format });
    parts.push(part);
    total += size;
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return new AudioData({ format, sampleRate: data.sampleRate, numberOfFrames: data.numberOfFrames, numberOfChannels: data.numberOfChannels, timestamp, data: all });
}

function closeQuietly(coder: { close(): void; state: string }): void {
  if (coder.state !== 'closed') {
    try {
      coder.close();
    } catch {
      // already closed
    }
  }
}
