import { FramePacer } from './pacer';

/**
 * One output frame is due at `dueAt` (ms on the clock all threads share: performance.timeOrigin +
 * now), after `missed` skipped ones; `late`: it arrived too late to draw (dropped as well).
 */
export type FrameDue = (due: { missed: number; dueAt: number; late: boolean }) => void;

/**
 * Calls `onFrame` at `fps` on this thread's timers (no requestAnimationFrame: it stops in a hidden
 * window). One repeating timer for the clock's life, never a timer per frame: each setTimeout is an
 * object on Blink's garbage-collected heap, and a worker that allocates almost nothing else is
 * seldom collected — the soak's clock worker grew 1.1 MB a minute that way. Returns stop.
 */
export function runClock(fps: number, onFrame: FrameDue): () => void {
  const pacer = new FramePacer(fps, performance.now());
  const tick = () => {
    const due = pacer.due(performance.now());
    if (due) onFrame({ missed: due.missed, dueAt: performance.timeOrigin + due.dueAt, late: false });
  };
  tick();
  const timer = setInterval(tick, pacer.tickMs);
  return () => clearInterval(timer);
}

/**
 * The main-thread compositor's clock: the timer runs in a worker (a hidden or minimised window
 * throttles the page's own timers to once a second, not a worker's) and posts each due frame. A
 * frame the page takes up more than an interval late (its main thread was busy) is dropped, so
 * a busy page never draws a burst of stale frames. Falls back to the page's timers without Worker.
 */
export function startFrameClock(fps: number, onFrame: FrameDue): () => void {
  const interval = 1000 / fps;
  const deliver: FrameDue = ({ missed, dueAt }) => onFrame({ missed, dueAt, late: performance.timeOrigin + performance.now() - dueAt > interval });
  if (typeof Worker === 'undefined') return runClock(fps, deliver);
  const worker = new Worker(new URL('./clock-worker.ts', import.meta.url), { type: 'module', name: 'onair-compositor-clock' });
  worker.onmessage = (event: MessageEvent<{ missed: number; dueAt: number; late: boolean }>) => deliver(event.data);
  worker.postMessage({ fps });
  return () => worker.terminate();
}
