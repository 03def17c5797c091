/** The compositor's frame clock in a worker (see startFrameClock): posts `{missed, dueAt}` at the fps it is given. */
import { runClock } from './clock';

let stop: (() => void) | null = null;
self.onmessage = (event: MessageEvent<{ fps: number }>) => {
  stop?.();
  stop = runClock(event.data.fps, (due) => self.postMessage(due));
};
