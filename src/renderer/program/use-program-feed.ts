import { useEffect, useState } from 'react';
import { DEFAULT_OUTPUT_FPS, DEFAULT_OUTPUT_RESOLUTION, KEYFRAME_INTERVAL_SECONDS, type OutputPreset, outputPreset, type ProgramEncoderChoice } from '../../shared/output';
import { asIpcError, unwrap } from '../ipc/client';
import { probeWebCodecs } from './encoder/webcodecs-encoder';
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
  /** The encoder asked for; WebCodecs falls back to MediaRecorder where it cannot encode H.264. Default MediaRecorder (Settings → Output). */
  encoder?: ProgramEncoderChoice;
}

/** Which encoder makes the feed, and why. */
export type FeedEngine =
  | { kind: 'webcodecs'; config: VideoEncoderConfig; preset: OutputPreset; mimeType: string }
  | { kind: 'mediarecorder'; mimeType: string | null; preset: OutputPreset; fallback: boolean };

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
  encoder: ProgramEncoderChoice | null;
  /** WebCodecs was asked for but this browser cannot encode H.264 with it: MediaRecorder makes the feed (short keyframe interval). */
  fallback: boolean;
}

const IDLE: ProgramFeedState = { phase: 'idle', mimeType: null, transcoding: false, backlogBytes: 0, behind: false, error: null, encoder: null, fallback: false };
const TIMESLICE_MS = 100;
const DEFAULT_PRESET = outputPreset(DEFAULT_OUTPUT_RESOLUTION, DEFAULT_OUTPUT_FPS, null);

const recorderMimeType = () => pickRecorderFormat((type) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type));
const mediaRecorderEngine = (preset: OutputPreset, fallback: boolean): FeedEngine => ({ kind: 'mediarecorder', mimeType: recorderMimeType(), preset, fallback });
const sameEngine = (a: FeedEngine | null, b: FeedEngine | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The encoder for `preset`: WebCodecs when asked for and `VideoEncoder.isConfigSupported` says
 * yes, else MediaRecorder (null while asking). Without WebCodecs at all the answer is immediate.
 */
function useEngine(preset: OutputPreset, choice: ProgramEncoderChoice): FeedEngine | null {
  const key = JSON.stringify({ preset, choice });
  const immediate = choice === 'mediarecorder' || typeof VideoEncoder === 'undefined' ? mediaRecorderEngine(preset, choice === 'webcodecs') : null;
  const [probed, setProbed] = useState<{ key: string; engine: FeedEngine } | null>(null);
  useEffect(() => {
    if (immediate) return;
    let alive = true;
    void probeWebCodecs(preset).then((config) => {
      if (!alive) return;
      const engine: FeedEngine = config ? { kind: 'webcodecs', config, preset, mimeType: `video/mp4;codecs=${config.codec},opus;gop=${KEYFRAME_INTERVAL_SECONDS * 1000}` } : mediaRecorderEngine(preset, true);
      setProbed({ key, engine });
    });
    return () => {
      alive = false;
    };
    // `key` stands for preset and choice.
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
  encoder = 'mediarecorder',
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
  // The encoder in use stays as it started while the feed runs (a preset saved meanwhile applies next time).
  const wanted = useEngine(preset, encoder);
  const [engine, setEngine] = useState<FeedEngine | null>(wanted);
  if ((!active || engine === null) && !sameEngine(engine, wanted)) setEngine(wanted);
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
    if (engine.kind === 'webcodecs') {
      // Each fragment (one per video frame) leaves at once; the init segment first. The encoder
      // runs in a worker: on the page's main thread it starved the preview player.
      const webcodecs = new WorkerProgramEncoder(engine.config, engine.preset, {
        onPiece: (piece) => sender.push(piece.data),
        onError: () => mine && setProgress((current) => ({ ...current, error: 'media.ingest_failed' })),
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
  const described = { encoder: engineKind, fallback: engine.kind === 'mediarecorder' && engine.fallback };
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
