import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scratchDir } from '../../support/scratch';
import { FFMPEG, makeFeed, mp4Chunks } from './support';

/** Every unlink the packager asks for, by path (the real unlink still runs). */
const unlinked = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    unlink: (path: string) => {
      unlinked.push(String(path));
      return real.unlink(path);
    },
  };
});

const { HlsPackager } = await import('../../../src/main/core/media/hls/packager');

afterEach(() => {
  unlinked.length = 0;
});

describe('HLS packager: old segment files', () => {
  it('removes each file that left the window once (not again at every new segment), and keeps the window', async () => {
    const dir = scratchDir('prune');
    const packager = new HlsPackager({
      ffmpegPath: FFMPEG!.path,
      dir,
      segmentSeconds: 0.5,
      window: 2,
      maxQueueBytes: 8 * 1024 * 1024,
      stopTimeoutMs: 20_000,
      onFirstSegment: () => {},
      onChange: () => {},
      log: () => {},
    });
    await packager.open('ingest-1', 'video/mp4;codecs=avc1,opus');
    let seq = 0;
    for (const chunk of mp4Chunks(makeFeed('mp4', 12))) {
      for (;;) {
        try {
          packager.push('ingest-1', seq, chunk);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== 'media.backpressure') throw error;
          await sleep(20);
        }
      }
      seq += 1;
    }
    await packager.end();
    const segments = packager.segments.map((s) => s.name);
    expect(segments.length).toBeGreaterThanOrEqual(16);

    const keep = 2 * 2 + 2;
    const old = segments.slice(0, segments.length - keep).map((name) => join(dir, name));
    // Every segment that left the window was removed, each exactly once.
    expect([...unlinked].sort()).toEqual([...old].sort());
    await expect.poll(() => old.filter((path) => existsSync(path)), { timeout: 10_000 }).toEqual([]);
    // The window (and the ones a player may still read) are still there.
    for (const name of segments.slice(-keep)) expect(existsSync(join(dir, name)), name).toBe(true);
    await packager.dispose();
  }, 120_000);
});
