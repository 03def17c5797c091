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
const post = (message: FromEncoderWorker) => scope.postMessage(message);

scope.onmessage = (event: MessageEvent<ToEncoderWorker>) => {
  const message = event.data;
  if (message.type === 'start' && !encoder) {
    encoder = new WebCodecsProgramEncoder(
      message.config,
      message.preset,
      {
        onPiece: (piece) => post({ type: 'piece', piece }),
        onError: (error) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      },
      message.audio !== null,
    );
    encoder.start(message.video, message.audio);
  } else if (message.type === 'stop') {
    void (encoder?.stop() ?? Promise.resolve()).then(() => post({ type: 'stopped' }));
  }
};
