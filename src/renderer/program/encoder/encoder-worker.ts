/// <reference lib="webworker" />
import { WebCodecsProgramEncoder } from './webcodecs-encoder';
import type { FromEncoderWorker, ToEncoderWorker } from './worker-protocol';

/**
 * The program encoder's worker: VideoEncoder, AudioEncoder and the fMP4 muxer run here, so the
 * page's main thread (which also feeds the preview player's media buffers) only forwards one
 * fragment per frame to main. The page hands over the tracks' frame streams.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let encoder: WebCodecsProgramEncoder | null = null;
let healthTimer: ReturnType<typeof setInterval> | undefined;
const post = (message: FromEncoderWorker) => scope.postMessage(message);
/** How often the page hears the encoder's health (encode rate, skipped frames, queue). */
const HEALTH_EVERY_MS = 1_000;

scope.onmessage = (event: MessageEvent<ToEncoderWorker>) => {
  const message = event.data;
  if (message.type === 'start' && !encoder) {
    encoder = new WebCodecsProgramEncoder(
      message.config,
      message.preset,
      {
        onPiece: (piece) => post({ type: 'piece', piece }),
        onError: (error) => post({ type: 'error', message: error instanceof Error ? error.message : String(error), health: encoder?.health() ?? null }),
        onPreviewPiece: (piece) => post({ type: 'preview-piece', piece }),
        onPreviewError: (error) => post({ type: 'preview-state', on: false, error: error instanceof Error ? error.message : String(error) }),
      },
      message.audio !== null,
      message.audioCodec,
    );
    encoder.start(message.video, message.audio);
    healthTimer = setInterval(() => encoder && post({ type: 'health', health: encoder.health() }), HEALTH_EVERY_MS);
  } else if (message.type === 'preview' && encoder) {
    const on = message.leg !== null;
    void encoder.setPreview(message.leg).then(
      () => post({ type: 'preview-state', on, error: null }),
      (error: unknown) => post({ type: 'preview-state', on: false, error: error instanceof Error ? error.message : String(error) }),
    );
  } else if (message.type === 'keyframe') {
    encoder?.requestKeyframe(message.seen);
  } else if (message.type === 'mark') {
    void (encoder?.passed(message.atMs) ?? Promise.resolve()).then(() => post({ type: 'passed', id: message.id }));
  } else if (message.type === 'stop') {
    clearInterval(healthTimer);
    void (encoder?.stop() ?? Promise.resolve()).then(() => post({ type: 'stopped' }));
  }
};
