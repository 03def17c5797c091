/**
 * A key rejected late: the server accepts the publish, then closes the connection a moment later
 * (some platforms check the key or the stream's setup only then). A real nginx-rtmp accepts the
 * key (on_publish 2xx); a TCP front before it closes each connection 2 s after that accept (the first progress report comes before, even on a loaded machine).
 * Two such short runs in a row fail as `rejected_after_publish` instead of a reconnect loop; a
 * stream that ran longer than the window before each drop keeps reconnecting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpOutput, type RtmpOutputOptions, type RtmpOutputState } from '../../../src/main/core/media/rtmp/index';
import type { NginxRtmp } from '../../support/nginx-rtmp';
import { type ClosingFront, type FeedSource, FFMPEG, startClosingFront, startIngestAndFeed, streamKey, waitFor, waitForState } from './support';

const LATE = streamKey('late_reject');
const LONG = streamKey('long_run');
const FAST = { firstDelayMs: 300, factor: 1.5, jitter: 0.2, maxDelayMs: 1_000, maxRetries: 30 };
/** Shorter than the 5 s default, so the test is quick; the rule is the same. */
const WINDOW_MS = 4_000;

let nginx: NginxRtmp;
let feed: FeedSource;
const fronts: ClosingFront[] = [];
const outputs: RtmpOutput[] = [];

function output(serverUrl: string, key: string, extra: Partial<RtmpOutputOptions> = {}): { out: RtmpOutput; states: RtmpOutputState[] } {
  const out = new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl, streamKey: key, reconnect: FAST, stallMs: 3_000, connectTimeoutMs: 6_000, progressPeriodMs: 500, lateRejectWindowMs: WINDOW_MS, ...extra });
  const states: RtmpOutputState[] = [];
  out.on('state', (state) => states.push(state));
  outputs.push(out);
  feed.fanout.add(out);
  return { out, states };
}

const accepted = (key: string) => nginx.publishCalls.filter((call) => call.name === key && call.accepted).length;

beforeAll(async () => {
  ({ nginx, feed } = await startIngestAndFeed([LATE, LONG]));
}, 30_000);

afterAll(async () => {
  await Promise.all(outputs.map((out) => out.stop()));
  await Promise.all(fronts.map((front) => front.close()));
  await feed?.stop();
  await nginx?.close();
}, 30_000);

describe('a key rejected after publish', () => {
  it('two runs in a row closed by the server within the window: rejected_after_publish, not retried', async () => {
    const front = await startClosingFront(nginx, LATE, 2_000);
    fronts.push(front);
    const { out, states } = output(front.url(), LATE);
    out.start();
    const failed = await waitForState(out, (s) => s.state === 'failed', 'the late rejection', 30_000);
    expect(failed).toMatchObject({ state: 'failed', reason: 'rejected_after_publish' });
    // Each attempt was accepted by the server and went live before it was closed.
    expect(accepted(LATE)).toBe(2);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'live', 'reconnecting', 'connecting', 'live', 'failed']);
    expect(states[2]).toMatchObject({ state: 'reconnecting', attempt: 1, lastError: 'connection_lost' });
    expect(out.health()).toMatchObject({ attempts: 2, lastError: 'rejected_after_publish' });
    expect(JSON.stringify(states)).not.toContain(LATE);

    // Not retried: no further connection in a while (the backoff here is ≤ 1 s).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(front.connections).toBe(2);
    expect(out.state().state).toBe('failed');
  }, 40_000);

  it('one attempt is enough when lateRejectAttempts is 1 (a destination\'s Reconnect now after a late rejection)', async () => {
    const front = await startClosingFront(nginx, LATE, 2_000);
    fronts.push(front);
    const before = accepted(LATE);
    const { out, states } = output(front.url(), LATE, { lateRejectAttempts: 1 });
    out.start();
    await waitForState(out, (s) => s.state === 'failed', 'the late rejection', 20_000);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'live', 'failed']);
    expect(out.state()).toMatchObject({ reason: 'rejected_after_publish' });
    expect(accepted(LATE)).toBe(before + 1);
  }, 30_000);

  it('a stream that ran longer than the window before each drop keeps reconnecting', async () => {
    const front = await startClosingFront(nginx, LONG, WINDOW_MS + 1_500);
    fronts.push(front);
    const { out, states } = output(front.url(), LONG);
    out.start();
    await waitFor(() => out.health().reconnects >= 2, 'two drops, each reconnected', 40_000);
    expect(states.some((s) => s.state === 'failed')).toBe(false);
    expect(states.filter((s) => s.state === 'reconnecting').every((s) => s.state === 'reconnecting' && s.lastError === 'connection_lost')).toBe(true);

    // Once the server closes it early (twice in a row), the same output stops.
    front.closeAfterMs = 2_000;
    const failed = await waitForState(out, (s) => s.state === 'failed', 'the late rejection after a good run', 40_000);
    expect(failed).toMatchObject({ reason: 'rejected_after_publish' });
  }, 90_000);
});
