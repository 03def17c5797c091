import { useEffect, useRef, useState } from 'react';
import {
  avcProfileLevel,
  DEFAULT_OUTPUT_FPS,
  DEFAULT_OUTPUT_RESOLUTION,
  DEFAULT_PROGRAM_ENCODER,
  encoderLadder,
  KEYFRAME_INTERVAL_SECONDS,
  type OutputPreset,
  outputPreset,
  type ProgramEncoderChoice,
  type ProgramEncoderKind,
} from '../../shared/output';
import { asIpcError, unwrap } from '../ipc/client';
import type { RendererLatency } from '../../shared/latency';
import { encoderLoad, type EncoderLoad, withReport } from './encoder/encoder-load';
import { type EncoderHealth, probeWebCodecs } from './encoder/webcodecs-encoder';
import { type PreviewLegSetup, probePreviewLeg } from './encoder/preview-leg-config';
import { WorkerProgramEncoder } from './encoder/worker-encoder';
import { FeedSender } from './feed-sender';
import { holdFeedTail } from './feed-tail';
import { type Progress, type ProgramFeedError, withSnapshot } from './feed-progress';
import { isTranscoded, pickRecorderFormat } from './recorder-format';
import { AUDIO_CODEC_STRING, type ProgramAudioCodec } from './encoder/audio-codec';

export interface ProgramFeedOptions {
  /** The selected camera and microphone (either may be missing). */
  video: MediaStreamTrack | null;
  audio: MediaStreamTrack | null;
  /** Record from the moment Go live is pressed (`starting`): chunks wait until the ingest is open. */
  recording: boolean;
  /** The broadcast is live: open the ingest and send. */
  live: boolean;
  /**
   * A recording (Record) needs the feed: record and send whether or not a broadcast is live. The
   * feed runs while live OR recording; one ingest carries both, so Stop (broadcast) during a
   * recording, or stopping a recording while live, leaves the feed as it is.
   */
  forRecording?: boolean;
  /** MediaRecorder's keyframe interval; it emits one MP4 fragment per interval. Default 250 ms. */
  keyFrameIntervalMs?: number;
  /** Output preset (Settings → Output); default 1280×720, 30 fps, 4500 kbps. */
  preset?: OutputPreset;
  /** The encoder asked for (Settings → Output); default `auto`: WebCodecs on hardware, then in software, then MediaRecorder. */
  encoder?: ProgramEncoderChoice;
  /**
   * A Local-mode broadcast is live: a WebCodecs encoder also sends the preview its own small,
   * short-GOP leg (`leg: 'preview'`). Not for Twilio mode, destinations or a recording alone.
   */
  previewLeg?: boolean;
}

/**
 * Which encoder makes the feed. `fellBackFrom`: the first rung the choice asked for, when this is
 * a lower one (refused when asked, or failed while running).
 */
export type FeedEngine =
  | {
      kind: 'webcodecs-hardware' | 'webcodecs-software';
      config: VideoEncoderConfig;
      /** AAC where the system encodes it (the destinations then copy the feed), else Opus. */
      audioCodec: ProgramAudioCodec;
      preset: OutputPreset;
      mimeType: string;
      fellBackFrom: ProgramEncoderKind | null;
      /** The preview leg on the same rung (null where it cannot run: the preview then reads the program). */
      preview: PreviewLegSetup | null;
    }
  | { kind: 'mediarecorder'; mimeType: string | null; preset: OutputPreset; fellBackFrom: ProgramEncoderKind | null };

export type ProgramFeedPhase = 'idle' | 'recording' | 'sending' | 'error';

export interface ProgramFeedState {
  phase: ProgramFeedPhase;
  mimeType: string | null;
  /** The video is re-encoded by the local cloud (WebM/VP8): show the CPU note. */
  transcoding: boolean;
  /** Bytes waiting in the renderer and in main. */
  backlogBytes: number;
  /** Main is not keeping up: the studio says so. */
  behind: boolean;
  error: ProgramFeedError;
  /** The encoder making the feed (null until known). */
  encoder: ProgramEncoderKind | null;
  /** H.264 profile and level of a WebCodecs feed (`Constrained Baseline 3.1`), null otherwise. */
  profileLevel: string | null;
  /** The WebCodecs feed's audio codec as the studio names it (`AAC`, `Opus`), null otherwise. */
  audioCodec: 'AAC' | 'Opus' | null;
  /** The rung asked for when a lower one makes the feed (the studio says why). */
  fellBackFrom: ProgramEncoderKind | null;
  /** The WebCodecs encoder's load over the last seconds (null for MediaRecorder, or before it is known). */
  load: EncoderLoad | null;
  /** The preview leg while it runs: its size, rate, keyframe interval and bitrate. */
  previewLeg: PreviewLegView | null;
  /** Where the WebCodecs program's latency goes on this side (encode, mux, send; `src/shared/latency.ts`), from the last report. */
  latency: RendererLatency | null;
  /** Video frames the WebCodecs encoder has put out (the benchmarks count them), from the last report. */
  framesOut: number | null;
}

export interface PreviewLegView {
  width: number;
  height: number;
  fps: number;
  keyframeMs: number;
  kbps: number;
}

const IDLE: ProgramFeedState = {
  phase: 'idle',
  mimeType: null,
  transcoding: false,
  backlogBytes: 0,
  behind: false,
  error: null,
  encoder: null,
  profileLevel: null,
  audioCodec: null,
  fellBackFrom: null,
  load: null,
  previewLeg: null,
  latency: null,
  framesOut: null,
};
const TIMESLICE_MS = 100;
const HEALTH_EVERY_MS = 1_000;
const DEFAULT_PRESET = outputPreset(DEFAULT_OUTPUT_RESOLUTION, DEFAULT_OUTPUT_FPS, null);

const recorderMimeType = () => pickRecorderFormat((type) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type));
const sameEngine = (a: FeedEngine | null, b: FeedEngine | null) => JSON.stringify(a) === JSON.stringify(b);
/** The rung `choice` asked for first, when `kind` is another one (the studio says it fell back). */
const fellBackFrom = (choice: ProgramEncoderChoice, kind: ProgramEncoderKind) => {
  const first = encoderLadder(choice)[0]!;
  return kind === first ? null : first;
};
const mediaRecorderEngine = (preset: OutputPreset, choice: ProgramEncoderChoice): FeedEngine => ({
  kind: 'mediarecorder',
  mimeType: recorderMimeType(),
  preset,
  fellBackFrom: fellBackFrom(choice, 'mediarecorder'),
});

/**
 * The first rung of `choice`'s ladder that runs here for `preset`, skipping the rungs in
 * `refused` (failed while running): WebCodecs where `VideoEncoder.isConfigSupported` says yes
 * for that acceleration, else MediaRecorder.
 */
async function pickEngine(preset: OutputPreset, choice: ProgramEncoderChoice, refused: readonly ProgramEncoderKind[]): Promise<FeedEngine> {
  for (const kind of encoderLadder(choice)) {
    if (kind === 'mediarecorder' || refused.includes(kind)) continue;
    const probed = await probeWebCodecs(preset, kind === 'webcodecs-hardware' ? 'hardware' : 'software');
    if (probed) {
      const { config, audioCodec } = probed;
      const preview = await probePreviewLeg(config, preset, audioCodec);
      const mimeType = `video/mp4;codecs=${config.codec},${AUDIO_CODEC_STRING[audioCodec]};gop=${KEYFRAME_INTERVAL_SECONDS * 1000}`;
      return { kind, config, audioCodec, preset, mimeType, fellBackFrom: fellBackFrom(choice, kind), preview };
    }
  }
  return mediaRecorderEngine(preset, choice);
}

/** The encoder for `preset` (null while asking the browser). Without WebCodecs at all the answer is immediate. */
function useEngine(preset: OutputPreset, choice: ProgramEncoderChoice, refused: readonly ProgramEncoderKind[]): FeedEngine | null {
  const key = JSON.stringify({ preset, choice, refused });
  const immediate: FeedEngine | null = choice === 'mediarecorder' || typeof VideoEncoder === 'undefined' ? mediaRecorderEngine(preset, choice) : null;
  const [probed, setProbed] = useState<{ key: string; engine: FeedEngine } | null>(null);
  useEffect(() => {
    if (immediate) return;
    let alive = true;
    void pickEngine(preset, choice, refused).then((engine) => {
      if (alive) setProbed({ key, engine });
    });
    return () => {
      alive = false;
    };
    // `key` stands for preset, choice and refused.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, immediate === null]);
  return immediate ?? (probed?.key === key ? probed.engine : null);
}

const previewLegView = ({ config, keyframeSeconds }: PreviewLegSetup): PreviewLegView => ({
  width: config.width,
  height: config.height,
  fps: config.framerate ?? 0,
  keyframeMs: Math.round(keyframeSeconds * 1000),
  kbps: Math.round((config.bitrate ?? 0) / 1000),
});

/** The three renderer stages of a report, when it carries them. */
function rendererLatency(report: EncoderHealth | undefined): RendererLatency | null {
  const latency = report?.latency as Partial<RendererLatency> | undefined;
  return latency?.encode && latency.mux && latency.send ? { encode: latency.encode, mux: latency.mux, send: latency.send } : null;
}

const NO_PROGRESS: Progress = { sending: false, transcoding: false, backlogBytes: 0, behind: false, error: null };

type RecorderOptionsWithKeyframes = MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number };

/**
 * The program feed: camera + microphone as one MediaStream, recorded with MediaRecorder
 * (H.264/MP4 when supported, short keyframe interval) and sent to main as binary chunks,
 * in order, with backpressure (see FeedSender).
 */
export function useProgramFeed({
  video,
  audio,
  recording,
  live,
  forRecording = false,
  keyFrameIntervalMs = 250,
  preset = DEFAULT_PRESET,
  encoder = DEFAULT_PROGRAM_ENCODER,
  previewLeg = false,
}: ProgramFeedOptions): ProgramFeedState {
  /** What the running session reported (reset when it ends). */
  const [progress, setProgress] = useState<Progress>(NO_PROGRESS);
  const [feed, setFeed] = useState<FeedSender | null>(null);
  /** The running WebCodecs encoder (its worker also makes the preview leg). */
  const [worker, setWorker] = useState<WorkerProgramEncoder | null>(null);
  /** The preview leg runs (shown), and the program's ingest opens after the leg's (see below). */
  const [previewRunning, setPreviewRunning] = useState(false);
  const previewOpening = useRef<Promise<unknown> | null>(null);
  /** The encoder whose preview leg failed: the preview reads the program feed for the rest of its run. */
  const [previewFailedOn, setPreviewFailedOn] = useState<WorkerProgramEncoder | null>(null);
  const active = recording || live || forRecording;
  /** Main accepts the feed (a live broadcast or a recording): open one ingest and keep it while either holds. */
  const send = live || forRecording;
  // An ingest that nothing wants any more (a recording stopped while Go live is still starting) is
  // over in main: the recorder starts afresh, so the next ingest begins with its own init segment.
  const [epoch, setEpoch] = useState(0);
  const [sentBefore, setSentBefore] = useState(send);
  if (sentBefore !== send) {
    setSentBefore(send);
    if (!send && active) setEpoch((value) => value + 1);
  }
  // WebCodecs rungs that failed while running (for this choice): the feed goes on with the next rung.
  const [failed, setFailed] = useState<{ choice: ProgramEncoderChoice; kinds: ProgramEncoderKind[] }>({ choice: encoder, kinds: [] });
  const refused = failed.choice === encoder ? failed.kinds : [];
  // The encoder in use stays as it started while the feed runs (a preset saved meanwhile applies
  // next time), unless it failed: then the next rung takes over at once.
  const wanted = useEngine(preset, encoder, refused);
  const [engine, setEngine] = useState<FeedEngine | null>(wanted);
  if ((!active || engine === null || refused.includes(engine.kind)) && !sameEngine(engine, wanted)) setEngine(wanted);
  /** The WebCodecs encoder's last reports (its load is judged over them). */
  const [health, setHealth] = useState<EncoderHealth[]>([]);
  const mimeType = engine?.mimeType ?? null;
  const engineKind = engine?.kind ?? null;

  // The encoder runs while the broadcast starts or is live, or a recording runs, for the tracks it began with.
  useEffect(() => {
    if (!active || !video || !engine || !engine.mimeType) return;
    let mine = true;
    /** An output joined mid-stream (a recording started while live): the WebCodecs encoder makes a keyframe now. */
    let keyframeNow = () => {};
    const sender = new FeedSender(
      // A session that ended (its last chunk sent after Stop) no longer reports into the next one.
      (snapshot) => mine && setProgress((current) => withSnapshot(current, snapshot)),
      () => keyframeNow(),
    );
    if (engine.kind !== 'mediarecorder') {
      // Each fragment (one per video frame) leaves at once; the init segment first. The encoder
      // runs in a worker: on the page's main thread it starved the preview player.
      const kind = engine.kind;
      const webcodecs = new WorkerProgramEncoder(engine.config, engine.preset, {
        onPiece: (piece) => sender.push(piece.data, { keyframe: piece.keyframe, madeAt: piece.videoSamples ? piece.madeAt : undefined }),
        // The page's own stage (fragment cut → sent) joins the worker's in the report.
        onHealth: (report) =>
          mine && setHealth((window) => withReport(window, { ...report, latency: report.latency && { ...report.latency, send: sender.latency() } })),
        // A hardware encoder that says yes and then fails (Chromium cannot promise it up front),
        // or any WebCodecs failure: the next rung makes the feed, on a new ingest, and the
        // broadcast goes on.
        onPreviewFailed: () => {
          if (mine) setPreviewFailedOn(webcodecs);
        },
        onError: () => {
          if (mine) setFailed((current) => ({ choice: encoder, kinds: [...(current.choice === encoder ? current.kinds : []), kind] }));
        },
      }, engine.audioCodec);
      keyframeNow = () => webcodecs.requestKeyframe();
      // Stop recording waits until what the camera gave before the click has reached main.
      const letGo = holdFeedTail((atMs) => webcodecs.passed(atMs).then(() => sender.delivered()));
      webcodecs.start(video, audio);
      // Like MediaRecorder's `start` event: the feed exists from the next task on.
      const started = setTimeout(() => {
        if (!mine) return;
        setFeed(sender);
        setWorker(webcodecs);
      }, 0);
      return () => {
        mine = false;
        letGo();
        clearTimeout(started);
        void webcodecs.stop().then(() => sender.finish());
        setFeed(null);
        setWorker(null);
        setProgress(NO_PROGRESS);
        setHealth([]);
      };
    }
    const stream = new MediaStream(audio ? [video, audio] : [video]);
    const options: RecorderOptionsWithKeyframes = {
      mimeType: engine.mimeType,
      videoBitsPerSecond: engine.preset.videoKbps * 1000,
      audioBitsPerSecond: 128_000,
      videoKeyFrameIntervalDuration: keyFrameIntervalMs,
    };
    const recorder = new MediaRecorder(stream, options);
    /** Waiting for the chunk `requestData()` asked for (Stop recording's tail). */
    let nextChunk: Array<() => void> = [];
    let chunks = Promise.resolve();
    recorder.addEventListener('dataavailable', (event) => {
      const waiting = nextChunk;
      nextChunk = [];
      // In order: each chunk's bytes are read one after the other.
      chunks = chunks
        .then(() => (event.data.size > 0 ? event.data.arrayBuffer().then((buffer) => sender.push(new Uint8Array(buffer))) : undefined))
        .catch(() => {})
        .then(() => waiting.forEach((resolve) => resolve()));
    });
    // Stop recording: what MediaRecorder holds comes out now, then it goes to main.
    const letGo = holdFeedTail(() =>
      new Promise<void>((resolve) => {
        if (recorder.state !== 'recording') return resolve();
        nextChunk.push(resolve);
        recorder.requestData();
      }).then(() => sender.delivered()),
    );
    recorder.addEventListener('error', () => setProgress((current) => ({ ...current, error: 'media.ingest_failed' })));
    recorder.addEventListener('start', () => setFeed(sender), { once: true });
    recorder.start(TIMESLICE_MS);
    return () => {
      mine = false;
      letGo();
      if (recorder.state !== 'inactive') {
        // The last chunk arrives after stop(); send it, then close the ingest.
        recorder.addEventListener('stop', () => setTimeout(() => void chunks.then(() => sender.finish()), 0), { once: true });
        recorder.stop();
      } else {
        void sender.finish();
      }
      setFeed(null);
      setProgress(NO_PROGRESS);
    };
    // `encoder` only names the choice a failure is recorded for; a new choice changes `engine`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, video, audio, keyFrameIntervalMs, engine, epoch]);

  // The preview leg (WebCodecs, Local mode, live): the same frames, small, a keyframe per HLS
  // segment, as its own feed; the preview ingest reads it instead of the program feed. Declared
  // before the program's ingest below, so that when both start together (Go live) the leg's
  // ingest opens first and the preview never starts on the 2 s-GOP program.
  const leg = previewLeg && engine && engine.kind !== 'mediarecorder' && previewFailedOn !== worker ? engine.preview : null;
  useEffect(() => {
    if (!leg || !worker) return;
    let mine = true;
    const sender = new FeedSender(() => {});
    void worker.preview({ config: leg.config, keyframeSeconds: leg.keyframeSeconds }, (piece) => sender.push(piece.data)).then(() => mine && setPreviewRunning(true));
    const opening = unwrap(() => window.onair.media.open({ mimeType: leg.mimeType, leg: 'preview' })).then(
      (ingest) => {
        if (mine) sender.attach(ingest.ingestId, ingest.maxQueueBytes);
        else void unwrap(() => window.onair.media.close({ ingestId: ingest.ingestId })).catch(() => {});
      },
      // Refused (the broadcast ended meanwhile, or the preview could not open): the preview reads the program feed.
      () => {},
    );
    previewOpening.current = opening;
    return () => {
      mine = false;
      if (previewOpening.current === opening) previewOpening.current = null;
      void opening.then(() => worker.preview(null)).then(() => sender.finish());
      setPreviewRunning(false);
    };
  }, [leg, worker]);

  // Once live (or recording), open the ingest: main fans the feed out to the preview, destinations, the recording.
  useEffect(() => {
    if (!send || !feed || !mimeType) return;
    let cancelled = false;
    void Promise.resolve(previewOpening.current)
      .then(() => (cancelled ? null : unwrap(() => window.onair.media.open({ mimeType }))))
      .then(
        (ingest) => {
          if (cancelled || !ingest) return;
          feed.attach(ingest.ingestId, ingest.maxQueueBytes);
          setProgress((current) => ({ ...current, sending: true, transcoding: ingest.transcoding }));
        },
        (error: unknown) => {
          if (!cancelled) setProgress((current) => ({ ...current, error: asIpcError(error).code }));
        },
      );
    return () => {
      cancelled = true;
    };
  }, [send, feed, mimeType]);

  if (!active || !video) return IDLE;
  if (!engine) return { ...IDLE, phase: 'recording' };
  const described = {
    encoder: engineKind,
    profileLevel: engine.kind === 'mediarecorder' ? null : avcProfileLevel(engine.config.codec),
    audioCodec: engine.kind === 'mediarecorder' ? null : engine.audioCodec === 'aac' ? ('AAC' as const) : ('Opus' as const),
    fellBackFrom: engine.fellBackFrom,
    load: engine.kind === 'mediarecorder' ? null : encoderLoad(health, engine.preset.fps, HEALTH_EVERY_MS),
    previewLeg: leg && previewRunning ? previewLegView(leg) : null,
    latency: rendererLatency(health.at(-1)),
    framesOut: health.at(-1)?.outputs ?? null,
  };
  if (!mimeType) return { ...IDLE, ...described, phase: 'error', error: 'unsupported' };
  return {
    ...described,
    phase: progress.error ? 'error' : progress.sending ? 'sending' : 'recording',
    mimeType,
    transcoding: progress.sending ? progress.transcoding : isTranscoded(mimeType),
    backlogBytes: progress.backlogBytes,
    behind: progress.behind,
    error: progress.error,
  };
}
