import { describe, expect, it } from 'vitest';
import type { FeedSenderSnapshot } from '../../src/renderer/program/feed-sender';
import { type Progress, withSnapshot } from '../../src/renderer/program/feed-progress';

const idle: Progress = { sending: true, transcoding: false, backlogBytes: 0, behind: false, error: null };
const snapshot = (over: Partial<FeedSenderSnapshot> = {}): FeedSenderSnapshot => ({
  localBytes: 0,
  mainBytes: 0,
  maxQueueBytes: 8 * 1024 * 1024,
  refused: false,
  failed: null,
  ...over,
});

describe('program feed progress (one render per change the studio shows)', () => {
  it('keeps the same object while the backlog stays within a tenth of a MiB and nothing else changes', () => {
    // One WebCodecs fragment (~20 KB) queued and acknowledged: no new render.
    expect(withSnapshot(idle, snapshot({ localBytes: 20_000 }))).toBe(idle);
    expect(withSnapshot(idle, snapshot({ mainBytes: 40_000 }))).toBe(idle);
  });

  it('reports a backlog that moved by a shown step, being behind, and a failure', () => {
    const grown = withSnapshot(idle, snapshot({ localBytes: 300_000 }));
    expect(grown).not.toBe(idle);
    expect(grown.backlogBytes).toBe(300_000);
    expect(grown.behind).toBe(false);

    const refused = withSnapshot(idle, snapshot({ refused: true }));
    expect(refused.behind).toBe(true);

    const overflow = withSnapshot(idle, snapshot({ failed: 'overflow' }));
    expect(overflow.error).toBe('overflow');
    expect(overflow.sending).toBe(true);
  });

  it('keeps an earlier error when a later snapshot has none', () => {
    const failed: Progress = { ...idle, error: 'media.ingest_failed' };
    expect(withSnapshot(failed, snapshot()).error).toBe('media.ingest_failed');
  });
});
