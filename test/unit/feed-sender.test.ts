import { afterEach, describe, expect, it } from 'vitest';
import { FeedSender } from '../../src/renderer/program/feed-sender';
import { MEDIA_CHUNK_MAX_BYTES } from '../../src/shared/media';

type Call = { seq: number; data: Uint8Array };

/** A stand-in for the preload's `window.onair.media`: each chunk call waits until the test answers it. */
function fakeMain() {
  const calls: Call[] = [];
  const pending: Array<(envelope: unknown) => void> = [];
  const media = {
    chunk: (request: { seq: number; data: Uint8Array }) => {
      calls.push({ seq: request.seq, data: new Uint8Array(request.data) });
      return new Promise((resolve) => pending.push(resolve));
    },
    close: async () => ({ ok: true, value: {} }),
  };
  (globalThis as { window?: unknown }).window = { onair: { media } };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    calls,
    ack: async (keyframeWanted?: boolean) => {
      pending.shift()!({ ok: true, value: { queuedBytes: 0, maxQueueBytes: 8 << 20, ...(keyframeWanted === undefined ? {} : { keyframeWanted }) } });
      await settle();
    },
    refuse: async () => {
      pending.shift()!({ ok: false, error: { code: 'media.backpressure', message: 'full' } });
      await settle();
    },
    settle,
  };
}

const bytes = (value: number, length = 4) => new Uint8Array(length).fill(value);
const flat = (calls: Call[]) => calls.flatMap((call) => [...call.data]);

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('FeedSender', () => {
  it('sends what waited during a call as one chunk, in order, one seq per call', async () => {
    const main = fakeMain();
    const sender = new FeedSender(() => {});
    sender.push(bytes(1));
    sender.push(bytes(2));
    sender.attach('ing-1', 8 << 20);
    await main.settle();
    expect(main.calls.map((c) => [c.seq, c.data.byteLength])).toEqual([[0, 8]]);

    // Three fragments arrive while the first call is in flight: they go together in the next.
    sender.push(bytes(3));
    sender.push(bytes(4));
    sender.push(bytes(5));
    await main.ack();
    expect(main.calls.map((c) => [c.seq, c.data.byteLength])).toEqual([[0, 8], [1, 12]]);
    await main.ack();
    expect(flat(main.calls)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
    expect(sender.snapshot().localBytes).toBe(0);
  });

  it('never sends more than one chunk may carry, and a refused batch goes again whole with the same seq', async () => {
    const main = fakeMain();
    const sender = new FeedSender(() => {});
    const half = Math.floor(MEDIA_CHUNK_MAX_BYTES / 2) + 1;
    sender.push(bytes(7, half));
    sender.push(bytes(8, half));
    sender.attach('ing-1', 8 << 20);
    await main.settle();
    expect(main.calls[0]!.data.byteLength).toBe(half);

    await main.refuse();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(main.calls.map((c) => [c.seq, c.data.byteLength])).toEqual([[0, half], [0, half]]);
    await main.ack();
    await main.ack();
    expect(main.calls.map((c) => c.seq)).toEqual([0, 0, 1]);
    expect(main.calls.every((c) => c.data.byteLength <= MEDIA_CHUNK_MAX_BYTES)).toBe(true);
    expect(sender.snapshot().localBytes).toBe(0);
  });
  it('passes on main’s wish for a keyframe once per wait, not on every acknowledgement while it is on its way', async () => {
    const main = fakeMain();
    let asked = 0;
    const sender = new FeedSender(() => {}, () => (asked += 1));
    sender.attach('ing-1', 8 << 20);
    const answer = async (keyframeWanted?: boolean) => {
      sender.push(bytes(1));
      await main.settle();
      await main.ack(keyframeWanted);
    };
    await answer();
    expect(asked).toBe(0);
    await answer(true);
    await answer(true);
    await answer(true);
    expect(asked).toBe(1);
    // The keyframe arrived and the output joined; a second output joins later.
    await answer(false);
    await answer(true);
    expect(asked).toBe(2);
    expect(main.calls.map((call) => call.seq)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('does not ask for a keyframe when one is queued here already: it reaches the waiting output first', async () => {
    const main = fakeMain();
    let asked = 0;
    const sender = new FeedSender(() => {}, () => (asked += 1));
    sender.attach('ing-1', 8 << 20);
    sender.push(bytes(1));
    await main.settle();
    // While chunk 0 is on its way, a keyframe's fragment is queued; main then says an output waits.
    sender.push(bytes(2), { keyframe: true });
    await main.ack(true);
    expect(asked).toBe(0);
    // That keyframe went in chunk 1 and the output joined on it.
    expect([...main.calls[1]!.data]).toEqual([2, 2, 2, 2]);
    sender.push(bytes(3));
    await main.ack(false);
    // A later wait with only delta frames queued asks.
    await main.ack(true);
    expect(asked).toBe(1);
  });

  it('says when main has accepted everything pushed so far (Stop recording waits for it), and never hangs on a sender that ended', async () => {
    const main = fakeMain();
    const sender = new FeedSender(() => {});
    // Nothing can be delivered without an ingest: at once.
    await expect(sender.delivered()).resolves.toBeUndefined();
    sender.attach('ing-1', 8 << 20);
    sender.push(bytes(1));
    await main.settle();
    sender.push(bytes(2));
    let delivered = false;
    void sender.delivered().then(() => (delivered = true));
    // Chunk 0 accepted: chunk 1 (pushed before the call) is still to go.
    await main.ack();
    expect(delivered).toBe(false);
    // What is pushed after the call is not waited for.
    sender.push(bytes(3));
    await main.ack();
    expect(delivered).toBe(true);
    // Chunk 2 is on its way, unanswered.
    expect(main.calls.map((call) => [...call.data])).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);

    // A sender dropped (the broadcast is gone) answers what waits on it.
    let released = false;
    void sender.delivered().then(() => (released = true));
    await main.settle();
    expect(released).toBe(false);
    sender.abandon();
    await main.settle();
    expect(released).toBe(true);
  });
});

