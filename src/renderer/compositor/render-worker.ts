/**
 * The compositor in a worker (engine `worker`): live sources arrive as VideoFrame streams
 * (MediaStreamTrackProcessor readables transferred from the page), the program is drawn on an
 * OffscreenCanvas on the worker's own timer and written to the page's MediaStreamTrackGenerator.
 * The page's main thread does no work per frame.
 */
import { runClock } from './clock';
import type { LiveImages } from './draw-scene';
import type { FromRenderWorker, LiveKind, ToRenderWorker } from './protocol';
import { Renderer } from './renderer';

const KINDS: LiveKind[] = ['camera', 'screen', 'guest0', 'guest1', 'guest2', 'guest3'];
const latest: Partial<Record<LiveKind, VideoFrame | null>> = {};
const readers: Partial<Record<LiveKind, ReadableStreamDefaultReader<VideoFrame> | null>> = {};
let renderer: Renderer | null = null;
let stopClock: (() => void) | null = null;
let frames = 0;
let fps = 30;

const post = (message: FromRenderWorker) => self.postMessage(message);
const live = (): LiveImages => {
  const image = (frame: VideoFrame | null | undefined) => (frame ? { image: frame, width: frame.displayWidth, height: frame.displayHeight } : null);
  const images: LiveImages = { camera: null, screen: null };
  for (const kind of KINDS) images[kind] = image(latest[kind]);
  return images;
};

/** Keeps only the newest frame of a source (the previous one is closed at once). */
async function follow(kind: LiveKind, stream: ReadableStream<VideoFrame>) {
  const reader = stream.getReader();
  readers[kind] = reader;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || readers[kind] !== reader) {
        value?.close();
        break;
      }
      latest[kind]?.close();
      latest[kind] = value;
    }
  } catch {
    // the track ended
  }
}

function setSource(kind: LiveKind, stream: ReadableStream<VideoFrame> | null) {
  void readers[kind]?.cancel().catch(() => {});
  readers[kind] = null;
  latest[kind]?.close();
  latest[kind] = null;
  if (stream) void follow(kind, stream);
}

function startClock() {
  stopClock?.();
  stopClock = runClock(fps, ({ missed, dueAt }) => {
    if (!renderer) return;
    renderer.missed(missed);
    renderer.frame(Math.round(dueAt * 1000));
    if (++frames % fps === 0) post({ type: 'stats', stats: renderer.snapshot() });
  });
}

self.onmessage = (event: MessageEvent<ToRenderWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      fps = message.fps;
      renderer = new Renderer({ canvas: new OffscreenCanvas(message.width, message.height), width: message.width, height: message.height, output: message.output, live, statsWindow: message.statsWindow });
      startClock();
      break;
    case 'source':
      setSource(message.kind, message.frames);
      break;
    case 'program':
      renderer?.setProgram(message.scene, message.transition);
      break;
    case 'resize':
      renderer?.resize(message.width, message.height);
      if (message.fps !== fps) {
        fps = message.fps;
        startClock();
      }
      break;
    case 'stop':
      stopClock?.();
      renderer?.stop();
      for (const kind of KINDS) setSource(kind, null);
      self.close();
      break;
  }
};
