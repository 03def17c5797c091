import { afterEach, describe, expect, it } from 'vitest';
import { HlsPackager } from '../../../src/main/core/media/hls/packager';
import { scratchDir } from '../../support/scratch';
import { alive, FFMPEG } from './support';

const MIME = 'video/mp4;codecs=avc1,opus';

/** A packager whose log gives away every ffmpeg it starts. */
function packagerWithPids(name: string): { packager: HlsPackager; started: number[] } {
  const started: number[] = [];
  const packager = new HlsPackager({
    ffmpegPath: FFMPEG!.path,
    dir: scratchDir(name),
    segmentSeconds: 0.5,
    window: 4,
    maxQueueBytes: 8 * 1024 * 1024,
    stopTimeoutMs: 5_000,
    onFirstSegment: () => {},
    onChange: () => {},
    log: (line) => {
      const pid = /^packager: ffmpeg (\d+) started/.exec(line)?.[1];
      if (pid) started.push(Number(pid));
    },
  });
  made.push(started);
  return { packager, started };
}

const made: number[][] = [];
afterEach(() => {
  // A failing case must not leave its ffmpeg running for the rest of the suite.
  for (const pid of alive(made.flat())) process.kill(pid, 'SIGKILL');
  made.length = 0;
});

describe('HLS packager: opens at once, and an open racing the end', () => {
  it('two opens at the same moment: the first ingest is stopped by the second, and the end leaves no ffmpeg', async () => {
    const { packager, started } = packagerWithPids('open-twice');
    await Promise.all([packager.open('ingest-a', MIME), packager.open('ingest-b', MIME)]);
    expect(started).toHaveLength(2);
    expect(packager.ingestId).toBe('ingest-b');
    // Only the second still runs: the first was ended before the second started.
    expect(alive(started)).toEqual([started[1]]);
    await packager.end();
    expect(alive(started)).toEqual([]);
    await packager.dispose();
  }, 60_000);

  it('an open that waits for the ingest before it while the broadcast ends starts nothing', async () => {
    const { packager, started } = packagerWithPids('open-while-ending');
    await packager.open('ingest-a', MIME);
    const second = packager.open('ingest-b', MIME);
    const ended = packager.end();
    await expect(second).rejects.toMatchObject({ code: 'media.not_live' });
    await ended;
    expect(started).toHaveLength(1);
    expect(alive(started)).toEqual([]);
    await packager.dispose();
  }, 60_000);

  it('after dispose, an open that was waiting starts nothing', async () => {
    const { packager, started } = packagerWithPids('open-while-disposed');
    await packager.open('ingest-a', MIME);
    const second = packager.open('ingest-b', MIME);
    const disposed = packager.dispose();
    await expect(second).rejects.toMatchObject({ code: 'media.not_live' });
    await disposed;
    expect(alive(started)).toEqual([]);
  }, 60_000);
});
