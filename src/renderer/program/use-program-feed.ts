import { useEffect, useState } from 'react';
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
import { encoderLoad, type EncoderLoad, withReport } from './encoder/encoder-load';
import { type EncoderHealth, probeWebCodecs } from './encoder/webcodecs-encoder';
import { WorkerProgramEncoder } from './encoder/worker-encoder';
import { FeedSender } from './feed-sender';
import { type Progress, type ProgramFeedError, withSnapshot } from './feed-progress';
import { isTranscoded, pickRecorderFormat } from './recorder-format';

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
}

/**
 * Which encoder makes the feed. `fellBackFrom`: the first rung the choice asked for, when this is
 * a lower one (refused when asked, or failed while running).
 */
export type FeedEngine =
  | { kind: 'webcodecs-hardware' | 'webcodecs-software'; config: VideoEncoderConfig; preset: OutputPreset; mimeType: string; fellBackFrom: ProgramEncoderKind | null }
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
  /** The rung asked for when a lower one makes the feed (the studio says why). */
  fellBackFrom: ProgramEncoderKind | null;
  /** The WebCodecs encoder's load over the last seconds (null for MediaRecorder, or before it is known). */
  load: EncoderLoad | null;
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
  fellBackFrom: null,
  load: null,
};
const TIMESLICE_MS = 100;
const HEALTH_EVERY_MS = 1_000;
const DEFAULT_PRESET = outputPreset(DEFAULT_OUTPUT_RESOLUTION, DEFAULT_OUTPUT_FPS, null);

const recorderMimeType = () => pickRecorderFormat((type) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type));
const sameEngine = (a: FeedEngine | null, b: FeedEngine | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The first rung of `choice`'s ladder that runs here for `preset`, skipping the rungs in
 * `refused` (failed while running): WebCodecs where `VideoEncoder.isConfigSupported` says yes
 * for that acceleration, else MediaRecorder.
 */
async function pickEngine(preset: OutputPreset, choice: ProgramEncoderChoice, refused: readonly ProgramEncoderKind[]): Promise<FeedEngine> {
  const ladder = encoderLadder(choice);
  const fellBack = (kind: ProgramEncoderKind) => (kind === ladder[0] ? null : ladder[0]!);
  for (const kind of ladder) {
    if (kind === 'mediarecorder' || refused.includes(kind)) continue;
    const config = await probeWebCodecs(preset, kind === 'webcodecs-hardware' ? 'hardware' : 'software');
    if (config) return { kind, config, preset, mimeType: `video/mp4;codecs=${config.codec},opus;gop=${KEYFRAME_INTERVAL_SECONDS * 1000}`, fellBackFrom: fellBack(kind) };
  }
  return { kind: 'mediarecorder', mimeType: recorderMimeType(), preset, fellBackFrom: fellBack('mediarecorder') };
}

/** The encoder for `preset` (null while asking the browser). Without WebCodecs at all the answer is immediate. */
function useEngine(preset: OutputPreset, choice: ProgramEncoderChoice, refused: readonly ProgramEncoderKind[]): FeedEngine | null {
  const key = JSON.stringify({ preset, choice, refused });
  const immediate: FeedEngine | null =
    choice === 'mediarecorder' || typeof VideoEncoder === 'undefined'
      ? { kind: 'mediarecorder', mimeType: recorderMimeType(), preset, fellBackFrom: choice === 'mediarecorder' ? null : encoderLadder(choice)[0]! }
      : null;
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
}: ProgramFeedOptions): ProgramFeedState {
  /** What the running session reported (reset when it ends). */
  const [progress, setProgress] = useState<Progress>(NO_PROGRESS);
  const [feed, setFeed] = useState<FeedSender | null>(null);
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
    const sender = new FeedSender((snapshot) =>
      // A session that ended (its last chunk sent after Stop) no longer reports into the next one.
      mine && setProgress((current) => withSnapshot(current, snapshot)),
    );
    if (engine.kind !== 'mediarecorder') {
      // Each fragment (one per video frame) leaves at once; the init segment first. The encoder
      // runs in a worker: on the page's main thread it starved the preview player.
      const kind = engine.kind;
      const webcodecs = new WorkerProgramEncoder(engine.config, engine.preset, {
        onPiece: (piece) => sender.push(piece.data),
        onHealth: (report) => mine && setHealth((window) => withReport(window, report)),
        // A hardware encoder that says yes and then fails (Chromium cannot promise it up front),
        // or any WebCodecs failure: the next rung makes the feed, on a new ingest, and the
        // broadcast goes on.
        onError: () => {
          if (mine) setFailed((current) => ({ choice: encoder, kinds: [...(current.choice === encoder ? current.kinds : []), kind] }));
        },
      });
      webcodecs.start(video, audio);
      // Like MediaRecorder's `start` event: the feed exists from the next task on.
      const started = setTimeout(() => mine && setFeed(sender), 0);
      return () => {
        mine = false;
        clearTimeout(started);
        void webcodecs.stop().then(() => sender.finish());
        setFeed(null);
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
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) void event.data.arrayBuffer().then((buffer) => sender.push(new Uint8Array(buffer)));
    });
    recorder.addEventListener('error', () => setProgress((current) => ({ ...current, error: 'media.ingest_failed' })));
    recorder.addEventListener('start', () => setFeed(sender), { once: true });
    recorder.start(TIMESLICE_MS);
    return () => {
      mine = false;
      if (recorder.state !== 'inactive') {
        // The last chunk arrives after stop(); send it, then close the ingest.
        recorder.addEventListener('stop', () => setTimeout(() => void sender.finish(), 0), { once: true });
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

  // Once live (or recording), open the ingest: main fans the feed out to the preview, destinations, the recording.
  useEffect(() => {
    if (!send || !feed || !mimeType) return;
    let cancelled = false;
    unwrap(() => window.onair.media.open({ mimeType })).then(
      (ingest) => {
        if (cancelled) return;
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
    fellBackFrom: engine.fellBackFrom,
    load: engine.kind === 'mediarecorder' ? null : encoderLoad(health, engine.preset.fps, HEALTH_EVERY_MS),
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
