import type { OutputPreset } from '../../../shared/output';
import type { FeedPiece } from './fragments';
import { audioSamples, type EncoderHealth, type PreviewLegRequest, videoFrames } from './webcodecs-encoder';
import type { FromEncoderWorker, ToEncoderWorker } from './worker-protocol';
import type { ProgramAudioCodec } from './audio-codec';

export interface WorkerEncoderHandlers {
  onPiece: (piece: FeedPiece) => void;
  /** Every second: encode rate, frames skipped, queue depth. */
  onHealth: (health: EncoderHealth) => void;
  /** The encoder failed; `health?.outputs` says whether it had put anything out (0: it never worked here). */
  onError: (error: Error, health: EncoderHealth | null) => void;
  /** The preview leg failed while running (the program goes on). */
  onPreviewFailed?: (error: Error) => void;
}

/** How long stopping may wait for the worker's last fragment before the worker is ended anyway. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * The page's side of the program encoder: reads clones of the program tracks (stopping never
 * ends the tracks the studio shows), hands their frame streams to the encoder's worker
 * (`encoder-worker.ts`) and passes each fragment it makes to `onPiece`, in order.
 */
export class WorkerProgramEncoder {
  private readonly worker = new Worker(new URL('./encoder-worker.ts', import.meta.url), { type: 'module', name: 'program-encoder' });
  private readonly clones: MediaStreamTrack[] = [];
  private stopping: Promise<void> | null = null;
  private previewPiece: ((piece: FeedPiece) => void) | null = null;
  private previewChange: Promise<void> = Promise.resolve();
  /** Program pieces received that begin with a keyframe (a keyframe request says how many). */
  private keyframesSeen = 0;
  /** `passed()` calls waiting for the worker's answer, by mark id. */
  private readonly marks = new Map<number, () => void>();
  private nextMark = 0;

  constructor(
    private readonly config: VideoEncoderConfig,
    private readonly preset: OutputPreset,
    private readonly handlers: WorkerEncoderHandlers,
    private readonly audioCodec: ProgramAudioCodec = 'opus',
  ) {
    this.worker.onmessage = (event: MessageEvent<FromEncoderWorker>) => {
      const message = event.data;
      if (message.type === 'piece') {
        if (message.piece.keyframe) this.keyframesSeen += 1;
        this.handlers.onPiece(message.piece);
      }
      else if (message.type === 'preview-piece') this.previewPiece?.(message.piece);
      else if (message.type === 'preview-state' && message.error) this.handlers.onPreviewFailed?.(new Error(message.error));
      else if (message.type === 'passed') this.settle(message.id);
      else if (message.type === 'health') this.handlers.onHealth?.(message.health);
      else if (message.type === 'error') this.fail(new Error(message.message), message.health);
    };
    this.worker.onerror = (event) => this.fail(new Error(event.message || 'The program encoder stopped.'), null);
  }

  private fail(error: Error, health: EncoderHealth | null): void {
    this.handlers.onError(error, health);
  }

  start(video: MediaStreamTrack, audio: MediaStreamTrack | null): void {
    const videoClone = video.clone();
    const audioClone = audio?.clone() ?? null;
    this.clones.push(videoClone, ...(audioClone ? [audioClone] : []));
    const frames = videoFrames(videoClone);
    const samples = audioClone ? audioSamples(audioClone) : null;
    const message: ToEncoderWorker = { type: 'start', config: this.config, preset: this.preset, audioCodec: this.audioCodec, video: frames, audio: samples };
    this.worker.postMessage(message, samples ? [frames, samples] : [frames]);
  }

  /**
   * Runs the preview leg (`leg`), its pieces to `onPiece`, or ends it (`null`): resolves once the
   * worker has started it, or has passed on its last piece. Changes run one after the other.
   */
  preview(leg: PreviewLegRequest | null, onPiece: ((piece: FeedPiece) => void) | null = null): Promise<void> {
    const change = this.previewChange.then(
      () =>
        new Promise<void>((resolve) => {
          if (leg) this.previewPiece = onPiece;
          const answered = (event: MessageEvent<FromEncoderWorker>) => {
            if (event.data.type !== 'preview-state') return;
            clearTimeout(timer);
            this.worker.removeEventListener('message', answered);
            if (!leg) this.previewPiece = null;
            resolve();
          };
          const timer = setTimeout(() => answered({ data: { type: 'preview-state', on: false, error: null } } as MessageEvent<FromEncoderWorker>), STOP_TIMEOUT_MS);
          this.worker.addEventListener('message', answered);
          this.worker.postMessage({ type: 'preview', leg } satisfies ToEncoderWorker);
        }),
    );
    this.previewChange = change;
    return change;
  }

  /** The next program frame is a keyframe (an output waits for one to join the feed). */
  requestKeyframe(): void {
    if (!this.stopping) this.worker.postMessage({ type: 'keyframe', seen: this.keyframesSeen } satisfies ToEncoderWorker);
  }

  /**
   * Resolves once the program pieces of every frame captured up to `atMs` (performance.timeOrigin +
   * performance.now()) have reached `onPiece`; at once when the encoder is stopping.
   */
  passed(atMs: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const id = (this.nextMark += 1);
    return new Promise((resolve) => {
      this.marks.set(id, resolve);
      this.worker.postMessage({ type: 'mark', id, atMs } satisfies ToEncoderWorker);
    });
  }

  private settle(id: number): void {
    this.marks.get(id)?.();
    this.marks.delete(id);
  }

  /** Encodes what is queued, passes the last fragment on, then ends the worker. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const clone of this.clones) clone.stop();
        this.worker.terminate();
        for (const id of [...this.marks.keys()]) this.settle(id);
        resolve();
      };
      const timer = setTimeout(done, STOP_TIMEOUT_MS);
      this.worker.addEventListener('message', (event: MessageEvent<FromEncoderWorker>) => {
        if (event.data.type === 'stopped') done();
      });
      this.worker.postMessage({ type: 'stop' } satisfies ToEncoderWorker);
    });
    return this.stopping;
  }
}
