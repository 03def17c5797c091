import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, StreamTarget } from 'mediabunny';
import { latencyNow } from '../../../shared/latency';
import type { ProgramAudioCodec } from './audio-codec';
import { type FeedPiece, FragmentCutter } from './fragments';

/** What the muxer needs of an encoded chunk (EncodedVideoChunk/EncodedAudioChunk, or a test's stand-in). */
export interface EncodedSample {
  type: 'key' | 'delta';
  /** µs */
  timestamp: number;
  /** µs; 0 or null when unknown. */
  duration: number | null;
  /** Owned by the muxer from now on. */
  data: Uint8Array;
  /** When the encoder put it out (`latencyNow()`), for the `mux` latency stage. */
  encodedAt?: number;
}

export interface ProgramMuxerOptions {
  fps: number;
  audio: boolean;
  /** The audio packets' codec (default Opus). */
  audioCodec?: ProgramAudioCodec;
  onPiece: (piece: FeedPiece) => void;
  onError: (error: unknown) => void;
  /** For each video sample: encoded → its fragment cut, in ms (see FragmentCutter). */
  onMuxed?: (ms: number) => void;
  /**
   * The wall-clock moment (epoch ms, `latencyNow()`'s clock) that media time 0 stands for: each
   * fragment then carries a `prft` saying when its first video frame went into the encoder.
   */
  originAt?: number;
}

/** Fragments of the index mediabunny keeps (see `trimIndex`): a few, never the whole stream. */
const INDEX_KEPT = 4;

interface MuxerIndex {
  finalizedChunks?: unknown[];
  trackDatas?: Array<{ finalizedChunks?: unknown[] }>;
}

/**
 * H.264 + AAC or Opus into fragmented MP4 with mediabunny, one fragment per video frame (audio
 * interleaved by timestamp): the init segment, then each frame's `moof`+`mdat` as soon as the
 * next sample tells where it ends. See FragmentCutter for why every video packet goes in as `key`.
 */
export class ProgramMuxer {
  private readonly output: Output;
  private readonly video: EncodedVideoPacketSource;
  private readonly audio: EncodedAudioPacketSource | null;
  private readonly cutter: FragmentCutter;
  private readonly started: Promise<void>;
  /** Packets go in strictly in call order. */
  private chain: Promise<void>;
  private failed = false;
  private audioClosed = false;
  private readonly frameSeconds: number;

  constructor(private readonly options: ProgramMuxerOptions) {
    this.frameSeconds = 1 / options.fps;
    this.cutter = new FragmentCutter(options.onPiece, options.onMuxed);
    const writable = new WritableStream<{ type: 'write'; data: Uint8Array; position: number }>({
      write: (chunk) => this.cutter.write(chunk.data, chunk.position),
    });
    this.output = new Output({
      format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: 0 }),
      target: new StreamTarget(writable),
    });
    this.video = new EncodedVideoPacketSource('avc');
    this.output.addVideoTrack(this.video, { frameRate: options.fps });
    this.audio = options.audio ? new EncodedAudioPacketSource(options.audioCodec ?? 'opus') : null;
    if (this.audio) this.output.addAudioTrack(this.audio);
    this.started = this.output.start();
    this.chain = this.started.catch((error: unknown) => this.fail(error));
  }

  addVideo(sample: EncodedSample, meta?: EncodedVideoChunkMetadata): void {
    const duration = sample.duration ? sample.duration / 1e6 : this.frameSeconds;
    // `key` for mediabunny's fragmenting; the real type goes into the flags (FragmentCutter).
    const packet = new EncodedPacket(sample.data, 'key', sample.timestamp / 1e6, duration);
    const key = sample.type === 'key';
    const inputAt = this.options.originAt === undefined ? Number.NaN : this.options.originAt + sample.timestamp / 1000;
    this.enqueue(async () => {
      this.cutter.videoSample(key, sample.encodedAt, inputAt);
      await this.video.add(packet, meta);
      this.trimIndex();
    });
  }

  addAudio(sample: EncodedSample, meta?: EncodedAudioChunkMetadata): void {
    if (!this.audio || this.audioClosed) return;
    const packet = new EncodedPacket(sample.data, 'key', sample.timestamp / 1e6, (sample.duration ?? 20_000) / 1e6);
    const audio = this.audio;
    this.enqueue(() => audio.add(packet, meta));
  }

  /** No (more) audio will come: the video no longer waits for it. */
  endAudio(): void {
    if (!this.audio || this.audioClosed) return;
    this.audioClosed = true;
    const audio = this.audio;
    this.enqueue(async () => audio.close());
  }

  /** Writes what is held (the last fragment) and ends the stream. */
  async finish(): Promise<void> {
    this.enqueue(() => this.output.finalize());
    await this.chain;
  }

  /** Resolves once everything handed over so far has gone through the muxer (and out through onPiece, as far as it is cut). */
  async settled(): Promise<void> {
    await this.chain;
  }

  /** For tests: the finalized fragments mediabunny still keeps in its index (bounded by `trimIndex`). */
  indexedFragments(): number {
    return this.index()?.finalizedChunks?.length ?? 0;
  }

  /** Drops everything (no more bytes). */
  async cancel(): Promise<void> {
    this.failed = true;
    await this.output.cancel().catch(() => {});
  }

  private enqueue(work: () => Promise<unknown>): void {
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await work();
      } catch (error) {
        this.fail(error);
      }
    });
  }

  /**
   * mediabunny keeps a record of every finalized fragment (its samples' times and offsets) for the
   * `mfra` index it writes when a file is finalized. The program feed is a stream that runs for
   * hours, and its `mfra` is never sent (FragmentCutter drops it): one record per frame and per
   * 20 ms of audio would grow the encoder worker's heap for as long as the studio is on air. Only
   * the last few are kept. (mediabunny has no option for this; its fields are reached by name and
   * left alone if they are not there.)
   */
  private trimIndex(): void {
    const index = this.index();
    if (!index) return;
    const trim = (list: unknown[] | undefined) => {
      if (Array.isArray(list) && list.length > INDEX_KEPT) list.splice(0, list.length - INDEX_KEPT);
    };
    trim(index.finalizedChunks);
    for (const track of index.trackDatas ?? []) trim(track.finalizedChunks);
  }

  private index(): MuxerIndex | null {
    const muxer = (this.output as unknown as { _muxer?: MuxerIndex })._muxer;
    return muxer && typeof muxer === 'object' ? muxer : null;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError(error);
  }
}

/**
 * A VideoEncoder `output` callback that hands every chunk to `muxer`, with the decoder
 * configuration (avcC) on the first one only; `onChunk` hears of each after it went to the muxer
 * (its timestamp in µs, and when it came out: `encodedAt` on `latencyNow()`'s clock).
 */
export function muxVideoOutput(muxer: ProgramMuxer, onChunk?: (timestampUs: number, encodedAt: number) => void): EncodedVideoChunkOutputCallback {
  let sentConfig = false;
  return (chunk, meta) => {
    const encodedAt = latencyNow();
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const withConfig = !sentConfig && meta?.decoderConfig ? meta : undefined;
    if (withConfig) sentConfig = true;
    muxer.addVideo({ type: chunk.type, timestamp: chunk.timestamp, duration: chunk.duration, data, encodedAt }, withConfig);
    onChunk?.(chunk.timestamp, encodedAt);
  };
}
