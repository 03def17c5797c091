import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../src/main/core/local-cloud/index';
import { openLocalStudio, waitForPreviewFrames } from '../support/browser';
import { useHarnessAndChromium } from '../support/harness-process';

const studio = useHarnessAndChromium();

/** ffmpeg processes packaging for this harness (their segment paths are inside its data folder). */
function harnessFfmpeg(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/ffmpeg$/.test(cmdline[0] ?? '') && cmdline.some((arg) => arg.startsWith(dataDir))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** PlayerStreamers and MediaProcessors the local cloud still has running, from its durable state. */
function activeResources(dataDir: string): string[] {
  const state = JSON.parse(readFileSync(join(dataDir, 'local-cloud', STATE_FILE), 'utf8')) as {
    playerStreamers: Array<{ sid: string; status: string }>;
    mediaProcessors: Array<{ sid: string; status: string }>;
  };
  return [...state.playerStreamers, ...state.mediaProcessors].filter((r) => r.status !== 'ended').map((r) => `${r.status}:${r.sid}`);
}

describe('the local media path in Chromium', () => {
  it('Go live → the Twilio Live player plays the broadcast (and reconnects without leaving its worker) → Stop → ended, ffmpeg gone, nothing left running', async () => {
    // Nothing may log an error: not the page, not the player's WASM worker (no failed fetch to a
    // remote host, no complaint about the stream's H.264).
    const { context, page, problems } = await openLocalStudio(studio.browser, studio.harness.url);
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);

    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByTestId('live-badge').waitFor();
    // The program feed records H.264 in MP4 (video copied by the packager) and is being sent.
    const feed = page.getByTestId('program-feed');
    await expect.poll(() => feed.getAttribute('data-phase'), { timeout: 10_000 }).toBe('sending');
    await expect(feed.textContent()).resolves.toContain('video/mp4');
    await expect(page.getByTestId('program-feed-cpu').count()).resolves.toBe(0);
    expect(harnessFfmpeg(studio.harness.dataDir)).toHaveLength(1);

    // The real @twilio/live-player-sdk plays the loopback HLS: frames, and time advancing for 5 s.
    await waitForPreviewFrames(page, 20_000);
    await expect.poll(() => page.getByTestId('preview-player').getAttribute('data-state'), { timeout: 10_000 }).toBe('playing');
    // The stepper's last step follows the player's first frame (a render later, at most).
    await expect
      .poll(() => page.getByTestId('go-live-steps').locator('li[data-step="first-frame"]').getAttribute('data-state'), { timeout: 5_000 })
      .toBe('done');
    const samples = await page.evaluate(async () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')!;
      const out: Array<{ t: number; width: number }> = [];
      for (let i = 0; i <= 5; i++) {
        out.push({ t: video.currentTime, width: video.videoWidth });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      return out;
    });
    // One steady connection: no reconnect while the broadcast plays normally.
    const player = page.getByTestId('preview-player');
    expect(`${await player.getAttribute('data-reconnects')} ${await player.getAttribute('data-reconnect-reason')}`).toBe('0 ');
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.t).toBeGreaterThan(samples[i - 1]!.t);
    expect(samples.at(-1)!.t - samples[0]!.t).toBeGreaterThan(4);
    expect(samples.every((s) => s.width > 0)).toBe(true);
    // And the user can see it: the player's video has a real size on screen.
    const box = await page.getByTestId('preview-video').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(100);
    expect(box?.width ?? 0).toBeGreaterThan(200);

    // A reconnect replaces the player and its WASM worker: the old worker ends (the SDK leaves it
    // running; the studio's worker guard closes it), so an hour of reconnects holds one worker.
    const playerWorkers = () => page.workers().filter((w) => w.url().includes('wasmworker')).length;
    expect(playerWorkers()).toBe(1);
    // Paused by hand, playback falls behind the live edge: the preview reconnects (drift policy).
    await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')!.pause());
    await expect.poll(() => player.getAttribute('data-reconnect-reason'), { timeout: 20_000 }).toBe('drift');
    await expect.poll(() => player.getAttribute('data-state'), { timeout: 20_000 }).toBe('playing');
    await expect.poll(playerWorkers, { timeout: 10_000 }).toBe(1);

    // Stop: the playlist ends, the player shows ended, ffmpeg exits, nothing is left running.
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog', { name: 'Stop the broadcast?' }).getByRole('button', { name: 'Stop broadcast' }).click();
    await page.getByRole('button', { name: 'Go live' }).waitFor();
    await expect.poll(() => page.getByTestId('preview-player').getAttribute('data-state'), { timeout: 10_000 }).toBe('ended');
    await expect.poll(() => harnessFfmpeg(studio.harness.dataDir), { timeout: 10_000 }).toEqual([]);
    expect(activeResources(studio.harness.dataDir)).toEqual([]);
    await expect.poll(playerWorkers, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => feed.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
