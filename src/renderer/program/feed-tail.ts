/**
 * Stop recording keeps what was captured before the click. The program feed runs behind the
 * camera (the encoder, the fragment, the call to main): on a busy machine a second of picture can
 * still be on its way when the user clicks. The running feed says here how to wait for it
 * (`holdFeedTail`); Stop recording waits (`feedTailDelivered`, bounded) before main closes the
 * file.
 */
export type FeedTail = (atMs: number) => Promise<void>;

/** How long Stop recording waits for the feed at most (then the file ends where the feed is). */
export const FEED_TAIL_BOUND_MS = 5_000;

let current: FeedTail | null = null;

/** The running feed's tail (one program feed per page); the returned function lets go of it. */
export function holdFeedTail(tail: FeedTail): () => void {
  current = tail;
  return () => {
    if (current === tail) current = null;
  };
}

/** The page's clock as the encoder's worker reads it too: performance.timeOrigin + performance.now(). */
export const feedClockMs = (): number => performance.timeOrigin + performance.now();

/**
 * Waits until main has what the program feed captured up to `atMs`, at most `boundMs`.
 * `delivered`: it got there; `bound`: the wait was cut short; `none`: no feed runs.
 */
export async function feedTailDelivered(atMs: number, boundMs = FEED_TAIL_BOUND_MS): Promise<'delivered' | 'bound' | 'none'> {
  const tail = current;
  if (!tail) return 'none';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<'bound'>((resolve) => {
    timer = setTimeout(() => resolve('bound'), boundMs);
  });
  try {
    return await Promise.race([tail(atMs).then(() => 'delivered' as const, () => 'delivered' as const), bound]);
  } finally {
    clearTimeout(timer);
  }
}
