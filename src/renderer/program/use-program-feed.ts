import { useEffect, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import { asIpcError, unwrap } from '../ipc/client';
import { FeedSender, type FeedSenderSnapshot } from './feed-sender';
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
  /** Keyframe interval; MediaRecorder emits one MP4 fragment per interval. Default 250 ms. */
  keyFrameIntervalMs?: number;
}

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
  error: ErrorCode | 'overflow' | 'unsupported' | null;
}

const IDLE: ProgramFeedState = { phase: 'idle', mimeType: null, transcoding: false, backlogBytes: 0, behind: false, error: null };
const TIMESLICE_MS = 100;
const VIDEO_BITS = 2_500_000;

interface Progress {
  sending: boolean;
  transcoding: boolean;
  backlogBytes: number;
  behind: boolean;
  error: ProgramFeedState['error'];
}
const NO_PROGRESS: Progress = { sending: false, transcoding: false, backlogBytes: 0, behind: false, error: null };

type RecorderOptionsWithKeyframes = MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number };

function behindOf(snapshot: FeedSenderSnapshot): boolean {
  return snapshot.refused || snapshot.localBytes > 2 * 1024 * 1024 || (snapshot.maxQueueBytes > 0 && snapshot.mainBytes > snapshot.maxQueueBytes / 2);
}

/**
 * The program feed: camera + microphone as one MediaStream, recorded with MediaRecorder
 * (H.264/MP4 when supported, short keyframe interval) and sent to main as binary chunks,
 * in order, with backpressure (see FeedSender).
 */
export function useProgramFeed({ video, audio, recording, live, forRecording = false, keyFrameIntervalMs = 250 }: ProgramFeedOptions): ProgramFeedState {
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
  const [mimeType] = useState(() =>
    pickRecorderFormat((type) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type)),
  );

  // The recorder runs while the broadcast starts or is live, or a recording runs, for the tracks it began with.
  useEffect(() => {
    if (!active || !video || !mimeType) return;
    const stream = new MediaStream(audio ? [video, audio] : [video]);
    let mine = true;
    const sender = new FeedSender((snapshot) =>
      // A session that ended (its last chunk sent after Stop) no longer reports into the next one.
      mine &&
      setProgress((current) => ({
        ...current,
        backlogBytes: snapshot.localBytes + snapshot.mainBytes,
        behind: behindOf(snapshot),
        error: snapshot.failed ?? current.error,
      })),
    );
    const options: RecorderOptionsWithKeyframes = { mimeType, videoBitsPerSecond: VIDEO_BITS, audioBitsPerSecond: 128_000, videoKeyFrameIntervalDuration: keyFrameIntervalMs };
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
  }, [active, video, audio, keyFrameIntervalMs, mimeType, epoch]);

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
  if (!mimeType) return { ...IDLE, phase: 'error', error: 'unsupported' };
  return {
    phase: progress.error ? 'error' : progress.sending ? 'sending' : 'recording',
    mimeType,
    transcoding: progress.sending ? progress.transcoding : isTranscoded(mimeType),
    backlogBytes: progress.backlogBytes,
    behind: progress.behind,
    error: progress.error,
  };
}
