/**
 * One shared audio transcode in front of every destination: a single ffmpeg reads the program
 * feed (H.264 + Opus in fragmented MP4), copies the video, encodes the audio to AAC 48 kHz once,
 * and writes fragmented MP4 again (about a fragment per frame, so it holds no frame back). Its output is
 * fanned out to the destinations' RtmpOutputs, which then only copy (`-c copy`): an extra
 * destination costs a remux, not an AAC encoder.
 *
 * A feed whose video is not platform-grade has its video re-encoded here, once for all
 * destinations: libx264 veryfast/zerolatency, a keyframe every 2 s, the output preset's bitrate.
 * That is the renderer's WebM/VP8 fallback (FLV needs H.264) and MediaRecorder's H.264, whose
 * keyframe every 250 ms (there for the preview's latency) would spend most of a platform's
 * bitrate on keyframes. The WebCodecs feed (`gop=2000`) is copied.
 *
 * A feed that is already what the destinations take — platform-grade H.264 and AAC, which the
 * WebCodecs encoder makes where the system has an AAC encoder (Windows, macOS) — is **passed
 * through**: no ffmpeg runs, the feed's own pieces go to the outputs, and nothing is encoded in main.
 *
 * The stage is an output of the program feed like any other (the output contract, `output.ts`),
 * and a fan-out of its own: it runs while at least one output is attached (`add` starts it,
 * removing the last stops it). Its ffmpeg's output is cut into pieces once, by its fan-out, and the
 * destinations take those pieces as they are. If its ffmpeg stops on its own it is started again on
 * the feed's next fragment and its outputs are told a new stream began (they reconnect from the new
 * init segment); no output can stop or slow another.
 */
import { KEYFRAME_INTERVAL_SECONDS } from '../../../shared/output';
import { FfmpegProcess } from './ffmpeg/ffmpeg-process';
import { destinationReady, platformGradeVideo } from './feed/feed-codecs';
import { FeedFanout } from './feed/feed-fanout';
import type { FeedPiece } from './feed/feed-piece';
import type { StageTransit } from './feed/feed-latency';
import { latencyNow } from '../../../shared/latency';
import type { ProgramFeed, ProgramFeedSink } from './feed/program-feed';
import { OutputBase } from './output';
import type { RtmpOutputOptions } from './rtmp/index';

export interface AudioStageOptions {
  feed: ProgramFeed;
  /** The ffmpeg to spawn, checked right before each spawn. */
  resolveFfmpeg: () => Promise<string>;
  audioBitrateKbps?: number;
  /** The output preset (Settings → Output) a re-encoded video follows; default 30 fps, 4500 kbps (720p30). */
  preset?: () => { fps: number; videoKbps: number };
  /** Bytes the stage may hold for its ffmpeg before it counts as stuck and is restarted. Default 16 MiB. */
  maxQueueBytes?: number;
  log?: (line: string) => void;
}

export type AudioStageState =
  | { state: 'off' }
  /** Attached; its ffmpeg is being found, (re)started, or waits for the feed's next fragment. */
  | { state: 'starting' }
  /** `passesThrough`: the feed goes to the outputs as it is (H.264 + AAC), no ffmpeg runs. */
  | { state: 'running'; reencodesVideo: boolean; passesThrough: boolean }
  /** No usable ffmpeg: the outputs' own ffmpeg check reports why; the next feed tries again. */
  | { state: 'failed'; reason: 'ffmpeg_unusable' };

export interface AudioStageHealth {
  state: AudioStageState['state'];
  /** ffmpeg processes started so far. */
  spawns: number;
  reencodesVideo: boolean;
  /** The feed goes to the outputs as it is: no ffmpeg runs in front of them. */
  passesThrough: boolean;
  /** Feed bytes waiting for the stage's ffmpeg. */
  queuedBytes: number;
  /** Outputs reading the stage. */
  outputs: number;
}

interface StageRun {
  /** null: the feed passes through as it is. */
  ffmpeg: FfmpegProcess | null;
  fanout: FeedFanout;
  /** Its video samples between stdin and stdout (the latency stages; null while it re-encodes the video). */
  transit: StageTransit | null;
  ended: boolean;
  exited: Promise<void>;
}

/** What the destinations' outputs get when they read the stage: fMP4 with AAC, copied as is. */
export const STAGE_OUTPUT_OPTIONS: Partial<RtmpOutputOptions> = Object.freeze({
  inputFormat: 'mp4',
  audioCodec: 'copy',
  // The init segment says everything about both streams: no need to read seconds of input first.
  probe: { probesize: 32_768, analyzeDurationUs: 0 },
});

/**
 * The stage's ffmpeg command line: the feed on stdin, fMP4 on stdout. `videoEncode` re-encodes the
 * video with those arguments; without it the video is copied.
 */
export function audioStageArgs(options: { audioBitrateKbps?: number; videoEncode?: string[] } = {}): string[] {
  const bitrate = options.audioBitrateKbps ?? 160;
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    // The init segment describes both streams: 32 KiB of probing starts the stage ~0.3 s sooner
    // than the default 5 MB. (-fflags nobuffer is not used: it held every frame ~2 s here.)
    '-probesize', '32768',
    '-i', 'pipe:0',
    '-map', '0:v:0', '-map', '0:a:0?',
    ...(options.videoEncode ?? ['-c:v', 'copy']),
    '-c:a', 'aac', '-b:a', `${bitrate}k`, '-ar', '48000', '-ac', '2',
    // About a fragment per frame, out as soon as it is written: 100 ms fragments held each frame
    // until its fragment closed (stage 134 ms median against 68, README "Latency where it is
    // spent"); what is left is the AAC encoder's delay the muxer waits for. Not frag_every_frame:
    // when an audio packet closes a fragment there, the video frame in it gets its packet's
    // one-frame duration instead of the gap to the next frame, so with frames missing (a busy
    // encoder) later frames shift and the destinations' keyframes drift off 2 s
    // (test/integration/media/stage-fragments.test.ts).
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1',
    '-flush_packets', '1',
    'pipe:1',
  ];
}

export class AudioStage extends OutputBase<AudioStageState, AudioStageHealth> {
  private readonly sinks = new Set<ProgramFeedSink>();
  private run: StageRun | null = null;
  private attached = false;
  /** True while the input is being (re)joined to the program feed: its feedStarted is ours. */
  private joining = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;
  private readonly input: ProgramFeedSink;
  /** ffmpeg processes started so far. */
  spawns = 0;
  /** Whether the running stage re-encodes the video (the feed is not H.264 with 1–4 s keyframes). */
  reencodesVideo = false;
  /** Whether the running stage passes the feed through (H.264 + AAC already). */
  passesThrough = false;

  constructor(private readonly options: AudioStageOptions) {
    super({ state: 'off' });
    this.log = options.log ?? (() => {});
    this.input = {
      write: (piece) => this.write(piece),
      feedStarted: () => {
        if (!this.joining) this.restart('a new program feed');
      },
      feedEnded: () => this.endRun(),
    };
  }

  /** The running ffmpeg's pid (tests, CPU measurements), or null. */
  processId(): number | null {
    return this.run?.ffmpeg?.pid ?? null;
  }

  outputOptions(): Partial<RtmpOutputOptions> {
    return STAGE_OUTPUT_OPTIONS;
  }

  health(): AudioStageHealth {
    const run = this.run;
    return {
      state: this.state().state,
      spawns: this.spawns,
      reencodesVideo: this.reencodesVideo,
      passesThrough: this.passesThrough,
      queuedBytes: run && !run.ended && run.ffmpeg ? run.ffmpeg.queuedBytes : 0,
      outputs: this.sinks.size,
    };
  }

  /** An output reads the stage from now on (the first one starts it). */
  add(sink: ProgramFeedSink): void {
    if (this.sinks.has(sink)) return;
    this.sinks.add(sink);
    this.run?.fanout.add(sink);
    this.start();
  }

  /** An output no longer reads the stage (the last one stops it). */
  remove(sink: ProgramFeedSink): void {
    if (!this.sinks.delete(sink)) return;
    this.run?.fanout.remove(sink);
    if (this.sinks.size === 0) void this.stop();
  }

  /** Joins the program feed with a fresh ffmpeg; a no-op while it runs. */
  start(): void {
    if (this.attached) return;
    this.attached = true;
    this.setState({ state: 'starting' });
    this.restart('first output');
  }

  /** Leaves the program feed; resolves once no stage ffmpeg runs any more. */
  async stop(): Promise<AudioStageState> {
    if (this.attached) {
      this.attached = false;
      this.options.feed.remove(this.input);
      this.endRun();
      this.setState({ state: 'off' });
    }
    await this.idle();
    return this.state();
  }

  /** The next piece of the program feed, for the stage's ffmpeg. */
  write(piece: FeedPiece): void {
    const run = this.run;
    if (!run || run.ended) return;
    if (!run.ffmpeg) {
      run.fanout.write(piece.data, piece.at);
      return;
    }
    const written = run.ffmpeg.write(piece.data);
    if (written === 'behind') this.restart('falling behind');
    else if (written !== 'closed') run.transit?.written(piece);
  }

  /** One restart at a time: a fresh ffmpeg, then the input joins the feed (init segment, next fragment). */
  private restart(why: string): void {
    this.chain = this.chain.then(() => this.cycle(why)).catch(() => {});
  }

  private async cycle(why: string): Promise<void> {
    this.options.feed.remove(this.input);
    const hadRun = this.run !== null;
    this.endRun();
    if (!this.attached) return;
    if (hadRun) this.log(`audio stage: restarting (${why})`);
    // A feed the destinations take as it is needs no ffmpeg (asked again after the wait for one: the feed may have opened meanwhile).
    const passes = () => {
      const mimeType = this.options.feed.current()?.mimeType ?? null;
      if (mimeType === null || !destinationReady(mimeType)) return false;
      this.passRun(mimeType);
      this.joinFeed();
      return true;
    };
    if (passes()) return;
    let ffmpegPath: string;
    try {
      ffmpegPath = await this.options.resolveFfmpeg();
    } catch {
      // The outputs' own ffmpeg check reports why (ffmpeg_missing / ffmpeg_refused).
      this.log('audio stage: no usable ffmpeg');
      if (this.attached) this.setState({ state: 'failed', reason: 'ffmpeg_unusable' });
      return;
    }
    if (!this.attached || passes()) return;
    this.spawnRun(ffmpegPath, this.options.feed.current()?.mimeType ?? null);
    this.joinFeed();
  }

  /** The input joins the program feed (its feedStarted is then ours, not a new feed). */
  private joinFeed(): void {
    this.joining = true;
    try {
      this.options.feed.add(this.input);
    } finally {
      this.joining = false;
    }
  }

  /** The feed is H.264 + AAC already: its pieces go to the outputs as they are, no ffmpeg. */
  private passRun(mimeType: string): void {
    this.reencodesVideo = false;
    this.passesThrough = true;
    const run: StageRun = { ffmpeg: null, fanout: new FeedFanout('mp4'), transit: null, ended: false, exited: Promise.resolve() };
    for (const sink of this.sinks) run.fanout.add(sink);
    this.run = run;
    this.log('audio stage: the feed is H.264 with 2 s keyframes and AAC; the destinations take it as it is (nothing encoded in main)');
    this.setState({ state: 'running', reencodesVideo: false, passesThrough: true });
    this.announce(mimeType);
  }

  /** Every output that already streamed starts over from the stage's new init segment. */
  private announce(mimeType: string): void {
    for (const sink of this.sinks) {
      try {
        sink.feedStarted?.({ ingestId: 'audio-stage', mimeType });
      } catch {
        // An output's failure is its own.
      }
    }
  }

  private spawnRun(ffmpegPath: string, mimeType: string | null): void {
    // Before the first feed opens there is nothing to tell; its feedStarted restarts the stage.
    this.reencodesVideo = mimeType !== null && !platformGradeVideo(mimeType);
    this.passesThrough = false;
    let current: StageRun | null = null;
    const ffmpeg = new FfmpegProcess({
      path: ffmpegPath,
      args: this.args(this.reencodesVideo),
      stdout: 'data',
      maxQueueBytes: this.options.maxQueueBytes ?? 16 * 1024 * 1024,
      onData: (chunk) => {
        if (!current || current !== this.run) return;
        const outAt = latencyNow();
        const pieces = current.fanout.write(chunk, outAt);
        current.transit?.out(pieces, outAt, latencyNow());
      },
      onLine: (line) => this.log(`audio stage: ${line.trim()}`),
    });
    this.spawns += 1;
    if (this.reencodesVideo) this.log('audio stage: the feed is not H.264 with 2 s keyframes; its video is re-encoded to H.264 once for all destinations');
    // Copied video leaves in the order it came: its samples are matched by order (a re-encode is not measured).
    const transit = this.reencodesVideo ? null : this.options.feed.latency.transit();
    current = { ffmpeg, fanout: new FeedFanout('mp4'), transit, ended: false, exited: ffmpeg.exited.then(() => {}) };
    for (const sink of this.sinks) current.fanout.add(sink);
    this.run = current;
    this.setState({ state: 'running', reencodesVideo: this.reencodesVideo, passesThrough: false });
    this.announce('video/mp4;codecs=avc1,mp4a.40.2');
    const startedAt = Date.now();
    void current.exited.then(() => {
      const unexpected = !current.ended;
      current.ended = true;
      if (this.run === current) this.run = null;
      if (!unexpected || !this.attached) return;
      this.setState({ state: 'starting' });
      // A stage that dies at once (bad input) is not restarted in a tight loop.
      const timer = setTimeout(() => {
        if (this.attached && !this.run) this.restart('ffmpeg stopped');
      }, Date.now() - startedAt < 2_000 ? 1_000 : 0);
      timer.unref();
    });
  }

  /** Resolves when no stage ffmpeg is left running (after the last output was removed). */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.exiting]);
  }

  private readonly exiting = new Set<Promise<void>>();

  private endRun(): void {
    const run = this.run;
    if (!run) return;
    this.run = null;
    run.ended = true;
    if (this.attached && this.state().state === 'running') this.setState({ state: 'starting' });
    if (!run.ffmpeg) return;
    this.exiting.add(run.exited);
    // What waits for its stdin is not worth encoding any more: only what the pipe holds is finished.
    void run.ffmpeg.end(2_000, { flush: false }).then(() => this.exiting.delete(run.exited));
  }

  private args(reencodeVideo: boolean): string[] {
    return audioStageArgs({
      audioBitrateKbps: this.options.audioBitrateKbps,
      videoEncode: reencodeVideo ? this.videoEncodeArgs() : undefined,
    });
  }

  /** H.264 at a platform GOP for a feed that is not: one encoder for every destination, a keyframe every 2 s at the preset's rate. */
  private videoEncodeArgs(): string[] {
    const { fps, videoKbps } = this.options.preset?.() ?? { fps: 30, videoKbps: 4500 };
    const gop = String(KEYFRAME_INTERVAL_SECONDS * fps);
    return [
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      // A constant rate: MediaRecorder's WebM has a 1 kHz time base and no fixed frame rate.
      '-r', String(fps),
      '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
      '-b:v', `${videoKbps}k`, '-maxrate', `${videoKbps}k`, '-bufsize', `${videoKbps * 2}k`,
    ];
  }
}
