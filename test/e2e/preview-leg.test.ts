/**
 * The preview's own leg on the DEFAULT settings (Automatic: WebCodecs, in software on this
 * Chromium without a GPU), in real Chromium with the real Twilio Live player: the program goes to a
 * real RTMP destination with its 2 s GOP, the in-app preview plays a small leg whose HLS segments
 * each start with a keyframe — at full speed, with no reconnect.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { launchChromium, openLocalStudio, waitForPreviewFrames } from '../support/browser';
import { addCustomDestination, healthAndReason } from '../support/destination-dialog';
import { cameraReady, pressGoLive } from '../support/go-live';
import { ffmpegChildren, startHarness } from '../support/harness-process';
import { startNginxRtmp } from '../support/nginx-rtmp';
import { pull } from '../support/rtmp-pull';
import { scratchDir } from '../support/scratch';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');
const WINDOW_MS = 20_000;

interface VideoPackets {
  width: number;
  keys: boolean[];
}

/** The video packets of a segment file (key flags, in decode order) and the picture width, from ffprobe. */
function videoPackets(input: string): VideoPackets {
  // A segment the sliding window removed meanwhile reads as empty (no packets) and is left out by the caller.
  const probe = (args: string[]) => spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', ...args, '-of', 'json', input], { encoding: 'utf8' }).stdout || '{}';
  const stream = ((JSON.parse(probe(['-show_entries', 'stream=width'])) as { streams?: Array<{ width?: number }> }).streams ?? [])[0];
  const packets = (JSON.parse(probe(['-show_entries', 'packet=flags'])) as { packets?: Array<{ flags: string }> }).packets ?? [];
  return { width: stream?.width ?? 0, keys: packets.map((packet) => packet.flags.startsWith('K')) };
}

/** The preview's finished HLS segments now (every one but the newest, which ffmpeg is writing), oldest first. */
function finishedSegments(hlsRoot: string): string[] {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^s\d{5,}\.ts$/.test(name)) all.push(path);
    }
  };
  walk(hlsRoot);
  return all.sort().slice(0, -1);
}

/**
 * The preview video's media time played per second of wall time over `windowMs`, both ends taken
 * from requestVideoFrameCallback (the frame's mediaTime and its presentation clock). A stall ends
 * the window at the page's clock instead (with the media time it reached).
 */
function playbackSpeed(page: Page, windowMs: number) {
  return page.evaluate(async (windowMs) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')!;
    const frame = () =>
      new Promise<{ media: number; at: number }>((resolve) => {
        const stalled = setTimeout(() => resolve({ media: video.currentTime, at: performance.now() }), 5_000);
        video.requestVideoFrameCallback((now, meta) => {
          clearTimeout(stalled);
          resolve({ media: meta.mediaTime, at: now });
        });
      });
    const first = await frame();
    let last = first;
    let frames = 0;
    while (last.at - first.at < windowMs) {
      last = await frame();
      frames += 1;
    }
    const seconds = (last.at - first.at) / 1000;
    return { speed: (last.media - first.media) / seconds, seconds, frames };
  }, windowMs);
}

describe('the preview leg (default settings, Chromium, the real player, nginx-rtmp)', () => {
  it('the preview plays its own short-GOP leg at full speed without a reconnect, while the destination gets the 2 s GOP', { timeout: 240_000 }, async () => {
    const streamKey = `live_leg_${randomBytes(8).toString('hex')}`;
    const nginx = await startNginxRtmp({ keys: [streamKey] });
    const harness = await startHarness();
    const browser = await launchChromium({ cameraFps: 30 });
    try {
      const { page, problems } = await openLocalStudio(browser, harness.url);
      await cameraReady(page);
      await addCustomDestination(page, { name: 'Ingest', serverUrl: nginx.rtmpUrl(), streamKey });
      await pressGoLive(page);
      const feed = page.getByTestId('program-feed');
      await expect(feed.getAttribute('data-encoder')).resolves.toBe('webcodecs-software');
      // The studio says the leg runs: its size, rate, keyframes and bitrate.
      await expect
        .poll(() => page.getByTestId('program-feed-preview-leg').textContent(), { timeout: 15_000 })
        .toBe('Preview leg: 640×360, 30 fps, keyframe every 267 ms, 1000 kbps (the in-app preview only)');

      await waitForPreviewFrames(page);
      const player = page.getByTestId('preview-player');
      await expect.poll(() => player.getAttribute('data-state'), { timeout: 15_000 }).toBe('playing');

      // Past the start (the player has played 2 s of media), 20 s of playback against the media
      // clock: ≥ 0.95 s of media per second, no reconnect.
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')?.currentTime ?? 0) > 2, undefined, { timeout: 30_000 });
      const played = await playbackSpeed(page, WINDOW_MS);
      const reconnects = `${await player.getAttribute('data-reconnects')} ${await player.getAttribute('data-reconnect-reason')}`;
      expect({ speedAtLeast095: played.speed >= 0.95, reconnects }, `speed ${played.speed.toFixed(3)} over ${played.seconds.toFixed(1)} s, ${played.frames} frames`).toEqual({
        speedAtLeast095: true,
        reconnects: '0 ',
      });

      // The preview's HLS: 640 wide, every finished segment starts with a keyframe (one GOP each).
      // The window slides by ~4 segments a second: finished segments are copied away as they appear.
      const kept = scratchDir('e2e-leg-segments');
      const copied = new Set<string>();
      const keep = () => {
        for (const path of finishedSegments(join(harness.dataDir, 'local-cloud', 'hls'))) {
          if (copied.has(path)) continue;
          try {
            copyFileSync(path, join(kept, `${copied.size}-${basename(path)}`));
            copied.add(path);
          } catch {
            // Removed by the window meanwhile.
          }
        }
        return copied.size;
      };
      await expect.poll(keep, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(12);
      const segments = readdirSync(kept)
        .map((name) => videoPackets(join(kept, name)))
        .filter((packets) => packets.keys.length > 0);
      expect(segments.length).toBeGreaterThanOrEqual(10);
      for (const segment of segments) {
        expect(segment.width).toBe(640);
        expect(segment.keys[0]).toBe(true);
        expect(segment.keys.filter(Boolean)).toHaveLength(1);
      }

      // The destination: the program's own size with a keyframe every 2 s (±1.5 frames).
      await expect.poll(() => healthAndReason(page, 'Ingest'), { timeout: 60_000 }).toMatch(/^live /);
      const pulled = await pull(`${nginx.rtmpUrl()}/${streamKey}`, scratchDir('e2e-leg-pull'), 7);
      expect(pulled.video.width).toBe(1280);
      expect(pulled.video.keyframeGaps.length).toBeGreaterThanOrEqual(2);
      for (const gap of pulled.video.keyframeGaps) expect(Math.abs(gap - 2)).toBeLessThanOrEqual(pulled.video.frameSeconds * 1.5);
      // Nothing in main encodes video: every studio ffmpeg copies it.
      for (const { args } of ffmpegChildren(harness.child.pid!)) expect(args).not.toMatch(/x264|libopenh264/);

      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await harness.stop();
      await nginx.close();
    }
  });
});
