import { afterEach, describe, expect, it, vi } from 'vitest';
import { feedTailDelivered, holdFeedTail } from '../../src/renderer/program/feed-tail';

afterEach(() => {
  vi.useRealTimers();
});

describe('Stop recording’s wait for the feed', () => {
  it('is answered by the running feed, with the click’s time', async () => {
    const asked: number[] = [];
    const letGo = holdFeedTail(async (atMs) => {
      asked.push(atMs);
    });
    await expect(feedTailDelivered(1234.5)).resolves.toBe('delivered');
    expect(asked).toEqual([1234.5]);
    letGo();
    await expect(feedTailDelivered(1300)).resolves.toBe('none');
    expect(asked).toEqual([1234.5]);
  });

  it('gives up after its bound when the feed never gets there (a stuck encoder does not hold the file open)', async () => {
    vi.useFakeTimers();
    const letGo = holdFeedTail(() => new Promise<void>(() => {}));
    let outcome: string | null = null;
    void feedTailDelivered(0, 3_000).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBe('bound');
    letGo();
  });

  it('a feed that ended lets go only of its own tail, not the next feed’s', async () => {
    const first = holdFeedTail(async () => {});
    const asked: string[] = [];
    const second = holdFeedTail(async () => {
      asked.push('second');
    });
    first();
    await expect(feedTailDelivered(0)).resolves.toBe('delivered');
    expect(asked).toEqual(['second']);
    second();
  });
});
