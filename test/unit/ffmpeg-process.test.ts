import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfmpegProcess, type FfmpegProcessOptions } from '../../src/main/core/media/ffmpeg/ffmpeg-process';
import type { ProgressBlock } from '../../src/main/core/media/ffmpeg/progress';

const FAKE = resolve(__dirname, '../support/fake-ffmpeg.mjs');
const started: FfmpegProcess[] = [];

/** The runner on the fake ffmpeg (node + test/support/fake-ffmpeg.mjs). */
function run(mode: string[], options: Partial<FfmpegProcessOptions> = {}): FfmpegProcess {
  const process_ = new FfmpegProcess({ path: process.execPath, args: [FAKE, ...mode], maxQueueBytes: 1024 * 1024, ...options });
  started.push(process_);
  return process_;
}

/** Resolves once `check` holds, polling on the event loop (no fixed delay). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill()));
});

describe('FfmpegProcess (the one ffmpeg runner)', () => {
  it('holds writes behind the pipe while ffmpeg does not read, refuses past the bound, then drains in order', async () => {
    const lines: string[] = [];
    const ffmpeg = run(['paused'], { maxQueueBytes: 1024 * 1024, onLine: (line) => lines.push(line) });
    await until(() => lines.includes('paused'));
    const sent = createHash('sha256');
    let taken = 0;
    const results: string[] = [];
    for (let i = 0; i < 64; i++) {
      const chunk = randomBytes(64 * 1024);
      const result = ffmpeg.write(chunk);
      results.push(result);
      if (result !== 'behind') {
        sent.update(chunk);
        taken += chunk.length;
      }
    }
    // The pipe takes some, the queue the rest up to 1 MiB, and then the runner says "behind".
    expect(results[0]).not.toBe('behind');
    expect(results).toContain('queued');
    expect(results.at(-1)).toBe('behind');
    expect(ffmpeg.queuedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(ffmpeg.queuedBytes).toBeGreaterThan(512 * 1024);
    expect(ffmpeg.fits(64 * 1024)).toBe(false);

    process.kill(ffmpeg.pid!, 'SIGUSR2');
    await until(() => ffmpeg.queuedBytes === 0);
    const exit = await ffmpeg.end(20_000);
    expect(exit).toEqual({ code: 0, signal: null, spawnError: null });
    // Every byte taken arrived, once and in order.
    expect(lines).toContain(`read ${taken} ${sent.digest('hex')}`);
  });

  it('end() writes what is queued, closes stdin and waits for ffmpeg to finish', async () => {
    const lines: string[] = [];
    const ffmpeg = run(['sink'], { onLine: (line) => lines.push(line) });
    const data = randomBytes(300 * 1024);
    expect(ffmpeg.write(data)).not.toBe('behind');
    const exit = await ffmpeg.end(20_000);
    expect(exit.code).toBe(0);
    expect(lines.at(-1)).toBe(`read ${data.length} ${createHash('sha256').update(data).digest('hex')}`);
    expect(ffmpeg.running).toBe(false);
    expect(ffmpeg.write(Buffer.from('late'))).toBe('closed');
  });

  it('end({ flush: false }) drops what waits in the queue and lets ffmpeg finish what the pipe holds', async () => {
    const lines: string[] = [];
    const ffmpeg = run(['paused'], { onLine: (line) => lines.push(line) });
    await until(() => lines.includes('paused'));
    let taken = 0;
    for (let i = 0; i < 12; i++) if (ffmpeg.write(randomBytes(64 * 1024)) !== 'behind') taken += 64 * 1024;
    const waiting = ffmpeg.queuedBytes;
    expect(waiting).toBeGreaterThan(0);
    const ending = ffmpeg.end(20_000, { flush: false });
    process.kill(ffmpeg.pid!, 'SIGUSR2');
    expect((await ending).code).toBe(0);
    const read = Number(/^read (\d+) /.exec(lines.at(-1)!)?.[1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(taken);
  });

  it('end() kills an ffmpeg that does not finish within the timeout', async () => {
    const lines: string[] = [];
    const ffmpeg = run(['deaf'], { onLine: (line) => lines.push(line) });
    await until(() => lines.includes('deaf'));
    const exit = await ffmpeg.end(200);
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.code).toBeNull();
  });

  it('a child that dies early: its exit code and last words, and writes are refused afterwards', async () => {
    const ffmpeg = run(['die', '3']);
    expect(await ffmpeg.started).toBe(true);
    const exit = await ffmpeg.exited;
    expect(exit).toEqual({ code: 3, signal: null, spawnError: null });
    expect(ffmpeg.lines()).toEqual(['fatal: giving up']);
    expect(ffmpeg.write(Buffer.alloc(10))).toBe('closed');
    expect(ffmpeg.queuedBytes).toBe(0);
  });

  it('keeps only the last stderr lines, and hands every line to onLine', async () => {
    const seen: string[] = [];
    const ffmpeg = run(['chatty', '500'], { linesKept: 10, onLine: (line) => seen.push(line) });
    await ffmpeg.end(20_000);
    const kept = ffmpeg.lines();
    expect(kept).toHaveLength(10);
    expect(kept[0]).toBe('line 491');
    expect(kept.at(-1)).toMatch(/^read 0 /);
    expect(seen.filter((line) => line.startsWith('line '))).toHaveLength(500);
  });

  it('redacts every stderr line before keeping it or handing it on', async () => {
    const seen: string[] = [];
    const ffmpeg = run(['die', '1'], { redact: (line) => line.replace('giving up', '****'), onLine: (line) => seen.push(line) });
    await ffmpeg.exited;
    expect(ffmpeg.lines()).toEqual(['fatal: ****']);
    expect(seen).toEqual(['fatal: ****']);
  });

  it('parses -progress blocks from stdout', async () => {
    const blocks: ProgressBlock[] = [];
    const ffmpeg = run(['progress', '3'], { stdout: 'progress', onProgress: (block) => blocks.push(block) });
    await ffmpeg.end(20_000);
    expect(blocks.map((b) => [b.frame, b.totalSize])).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 3000],
    ]);
    expect(blocks[0]!.bitrateKbps).toBe(2500);
  });

  it('a program that cannot be started resolves with the spawn error, never throws', async () => {
    const ffmpeg = new FfmpegProcess({ path: resolve(__dirname, 'no-such-ffmpeg'), args: [], maxQueueBytes: 1024 });
    expect(await ffmpeg.started).toBe(false);
    const exit = await ffmpeg.exited;
    expect(exit.spawnError).toBe('ENOENT');
    expect(ffmpeg.write(Buffer.alloc(1))).toBe('closed');
  });
});
