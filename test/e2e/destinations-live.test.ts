import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { filesBelow, newestSegment } from '../integration/destinations/support';
import { launchChromium, openLocalStudio, recordPageTraffic, waitForPreviewFrames } from '../support/browser';
import { addCustomDestination, destinationRow, healthAndReason, healthState } from '../support/destination-dialog';
import { ffmpegChildren, startHarness } from '../support/harness-process';
import { startNginxRtmp } from '../support/nginx-rtmp';
import { pull } from '../support/rtmp-pull';
import { scratchDir } from '../support/scratch';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');

/**
 * The program encoder this test streams with: the default (Automatic), which on this Chromium
 * without a GPU is WebCodecs in software, with the 2 s GOP destinations are promised.
 */
const ENCODER = 'webcodecs-software';

const key = (label: string) => `live_${label}_${randomBytes(10).toString('hex')}`;

/** ffprobe's frame count and duration of a file, and whether ffmpeg decodes all of it without a word of error. */
function decodes(path: string): { frames: number; seconds: number; exitCode: number | null; errors: string; codecs: string[] } {
  const probed = JSON.parse(
    spawnSync(FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,nb_read_frames:format=duration', '-of', 'json', path], { encoding: 'utf8' }).stdout,
  ) as { streams: Array<{ codec_type: string; codec_name: string; nb_read_frames?: string }>; format: { duration?: string } };
  const decoded = spawnSync(FFMPEG, ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  return {
    frames: Number(probed.streams.find((stream) => stream.codec_type === 'video')?.nb_read_frames ?? 0),
    seconds: Number(probed.format.duration ?? 0),
    exitCode: decoded.status,
    errors: decoded.stderr,
    codecs: probed.streams.map((stream) => stream.codec_name),
  };
}

/** The preview player's state, its reconnects (and why the last one was made) and the media time it has played. */
const preview = (page: Page) =>
  page.evaluate(() => {
    const player = document.querySelector('[data-testid="preview-player"]');
    return {
      state: player?.getAttribute('data-state') ?? null,
      reconnects: Number(player?.getAttribute('data-reconnects') ?? 0),
      reason: player?.getAttribute('data-reconnect-reason') ?? '',
      currentTime: document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')?.currentTime ?? 0,
    };
  });

describe('two real destinations through the studio UI (Chromium, harness, nginx-rtmp)', () => {
  it('streams to two destinations, reports a wrong key, rides out an ingest restart, stops cleanly, records, survives a SIGKILL; no key anywhere', async () => {
    const goodA = key('a');
    const goodB = key('b');
    const wrong = key('wrong');
    const nginx = await startNginxRtmp({ keys: [goodA, goodB] });
    const harness = await startHarness({}, { processGroup: true });
    const browser = await launchChromium({ cameraFps: 30 });
    const folder = scratchDir('e2e-dest-rec');
    const pulls = scratchDir('e2e-dest-pull');
    try {
      let traffic: ReturnType<typeof recordPageTraffic> | undefined;
      const { page, problems } = await openLocalStudio(browser, harness.url, { beforeLoad: (p) => (traffic = recordPageTraffic(p)) });

      // Settings: the recording folder; the encoder stays the default (see ENCODER).
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByLabel('Recording folder').fill(folder);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      await page.getByRole('tab', { name: 'Studio' }).click();
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);

      // Three destinations through the dialog: two good keys, one the ingest refuses.
      const server = nginx.rtmpUrl();
      await addCustomDestination(page, { name: 'Ingest A', serverUrl: server, streamKey: goodA });
      await addCustomDestination(page, { name: 'Ingest B', serverUrl: server, streamKey: goodB });
      await addCustomDestination(page, { name: 'Wrong key', serverUrl: server, streamKey: wrong });
      await expect(page.getByTestId('destinations-count').textContent()).resolves.toBe('3 of 3 on');

      // Go live.
      const goLive = page.getByRole('button', { name: 'Go live' });
      await expect.poll(() => goLive.isEnabled(), { timeout: 15_000 }).toBe(true);
      await goLive.click();
      await page.getByTestId('live-badge').waitFor({ timeout: 20_000 });
      const liveAt = Date.now();
      await expect(page.getByTestId('program-feed').getAttribute('data-encoder')).resolves.toBe(ENCODER);
      await waitForPreviewFrames(page);
      await expect.poll(async () => (await preview(page)).state, { timeout: 15_000 }).toBe('playing');

      // Both good destinations are live in the UI and publishing at the ingest.
      const publishing = async () => (await nginx.streams()).filter((stream) => stream.publishing).map((stream) => stream.name).sort();
      for (const name of ['Ingest A', 'Ingest B']) await expect.poll(() => healthAndReason(page, name), { timeout: 60_000 }).toMatch(/^live /);
      await expect.poll(publishing, { timeout: 10_000 }).toEqual([goodA, goodB].sort());
      // Health: bitrate, frame rate (once ffmpeg has measured it), dropped frames, uptime.
      const detail = destinationRow(page, 'Ingest A').getByTestId('health-detail');
      await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toMatch(/^[\d,]+ kbps · [1-9]\d* fps · \d+ dropped · \d+:\d\d$/);

      // The wrong key is reported in the UI with the real text.
      const wrongRow = destinationRow(page, 'Wrong key');
      await expect.poll(() => healthState(page, 'Wrong key'), { timeout: 20_000 }).toBe('failed');
      await expect(wrongRow.getByTestId('health-detail').textContent()).resolves.toBe('Stream key rejected');
      await expect(wrongRow.getByTestId('destination-problem').textContent()).resolves.toContain('The platform rejected the stream key.');

      // What a viewer pulls from the ingest: H.264 at the preset's size and rate with a keyframe
      // every 2 s (±1 frame), AAC 48 kHz — both destinations at once.
      const [a, b] = await Promise.all([pull(`${server}/${goodA}`, pulls, 7), pull(`${server}/${goodB}`, pulls, 7)]);
      for (const pulled of [a, b]) {
        expect(pulled.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, frameRate: '30/1' });
        // 30 fps is the grid; on a loaded 2-core machine the encoder drops frames (15–21 fps at load
        // average 8–12, 1.5–4.7 at 15–18): how many is the benchmarks' business (bench:rtmp, bench:soak).
        console.info(`destination pulled at ${pulled.video.fps.toFixed(1)} fps`);
        expect(pulled.video.fps).toBeGreaterThan(0);
        expect(pulled.video.fps).toBeLessThan(31);
        expect(pulled.audio).toEqual({ codec: 'aac', sampleRate: 48_000 });
        console.info(`destination keyframe gaps ${JSON.stringify(pulled.video.keyframeGaps.map((gap) => Number(gap.toFixed(4))))} s`);
        expect(pulled.video.keyframeGaps.length).toBeGreaterThanOrEqual(2);
        for (const gap of pulled.video.keyframeGaps) expect(Math.abs(gap - 2)).toBeLessThanOrEqual(pulled.video.frameSeconds * 1.5);
      }

      // Encode once: while live to two destinations and feeding the preview, no ffmpeg of the
      // studio encodes video — every one copies the renderer's H.264 (audio → AAC is the
      // one thing encoded in main).
      const studioFfmpeg = ffmpegChildren(harness.child.pid!);
      expect(studioFfmpeg.length).toBeGreaterThanOrEqual(3);
      for (const { args } of studioFfmpeg) {
        expect(args).not.toMatch(/x264|libopenh264|h264_(nvenc|qsv|amf|vaapi|videotoolbox|v4l2m2m)/);
        expect(args).toMatch(/-c(:v)? copy/);
      }

      // The wrong key was not hammered: at most two publish attempts over ≥ 10 s of being live.
      await expect.poll(() => Date.now() - liveAt, { timeout: 15_000, interval: 500 }).toBeGreaterThanOrEqual(10_000);
      const wrongCalls = () => nginx.publishCalls.filter((call) => call.name === wrong);
      expect(wrongCalls().length).toBeGreaterThanOrEqual(1);
      expect(wrongCalls().length).toBeLessThanOrEqual(2);
      expect(wrongCalls().every((call) => !call.accepted)).toBe(true);
      await expect.poll(publishing).toEqual([goodA, goodB].sort());

      // The ingest crashes and comes back on the same ports: both good destinations go
      // reconnecting, then live again, on their own; the preview's stream goes on throughout.
      const hls = join(harness.dataDir, 'local-cloud', 'hls');
      const before = await preview(page);
      // The preview's pace before the outage, on this machine under its present load: the yardstick for during.
      const paceFrom = { segment: newestSegment(hls), at: Date.now() };
      expect(paceFrom.segment).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const segmentBefore = newestSegment(hls);
      const crashAt = Date.now();
      const paceBefore = (segmentBefore - paceFrom.segment) / ((crashAt - paceFrom.at) / 1000);
      expect(paceBefore).toBeGreaterThan(0);
      await nginx.kill();
      for (const name of ['Ingest A', 'Ingest B']) await expect.poll(() => healthState(page, name), { timeout: 15_000, interval: 100 }).toBe('reconnecting');
      await nginx.start();
      for (const name of ['Ingest A', 'Ingest B']) await expect.poll(() => healthAndReason(page, name), { timeout: 60_000 }).toMatch(/^live /);
      await expect.poll(publishing, { timeout: 10_000 }).toEqual([goodA, goodB].sort());
      // The preview's stream went on through the outage at the pace it had before (on a loaded machine
      // that pace is below real time, so it is the yardstick, not the clock), and the player plays.
      // (Its own reconnects are reported, not asserted: the Twilio player on the 2 s-GOP WebCodecs HLS
      // reconnects now and then, ingest outage or not — README "WebCodecs vs MediaRecorder".)
      const paceDuring = (newestSegment(hls) - segmentBefore) / ((Date.now() - crashAt) / 1000);
      console.info(`preview segments per second: ${paceBefore.toFixed(2)} before the outage, ${paceDuring.toFixed(2)} during`);
      expect(paceDuring).toBeGreaterThan(paceBefore * 0.6);
      await expect.poll(async () => (await preview(page)).state, { timeout: 15_000 }).toBe('playing');
      const after = await preview(page);
      console.info(`preview player through the ingest outage: reconnects ${before.reconnects} → ${after.reconnects} (last reason: ${after.reason || 'none'})`);
      await expect(destinationRow(page, 'Ingest A').getByTestId('health-detail').getAttribute('aria-label')).resolves.toMatch(/reconnected [1-9]\d* times/);
      // Still failed, still not retried after the ingest came back.
      await expect(healthState(page, 'Wrong key')).resolves.toBe('failed');
      expect(wrongCalls().length).toBeLessThanOrEqual(2);

      // Stop ends both destinations and every ffmpeg the studio ran.
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Stop broadcast' }).click();
      await page.getByRole('button', { name: 'Go live' }).waitFor({ timeout: 20_000 });
      await expect.poll(publishing, { timeout: 10_000 }).toEqual([]);
      await expect.poll(() => ffmpegChildren(harness.child.pid!), { timeout: 15_000 }).toEqual([]);
      for (const name of ['Ingest A', 'Ingest B', 'Wrong key']) await expect.poll(() => healthState(page, name), { timeout: 5_000 }).toBe('standby');

      // Record ~4 s, Stop recording: the file decodes.
      const panel = page.getByTestId('recording-panel');
      const record = page.getByTestId('record-button');
      await expect.poll(() => record.isEnabled()).toBe(true);
      await record.click();
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 10_000 }).toBe('recording');
      await expect.poll(() => page.getByTestId('rec-elapsed').textContent(), { timeout: 15_000 }).toMatch(/^00:(0[4-9]|[1-5]\d)$/);
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
      const saved = (await page.getByTestId('rec-path').textContent())!;
      expect(dirname(saved)).toBe(folder);
      const clean = decodes(saved);
      console.info(`recording: ${clean.seconds} s, ${clean.frames} frames`);
      expect(clean).toMatchObject({ exitCode: 0, errors: '', codecs: ['h264', 'aac'] });
      expect(clean.seconds).toBeGreaterThan(3);
      expect(clean.frames).toBeGreaterThan(clean.seconds * 20);

      // Record again, then the whole studio is SIGKILLed (its process group: the harness and every
      // ffmpeg it runs) mid-recording: the crash-safe file decodes up to about the kill.
      await record.click();
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 10_000 }).toBe('recording');
      await expect.poll(() => page.getByTestId('rec-elapsed').textContent(), { timeout: 15_000 }).toMatch(/^00:(0[4-9]|[1-5]\d)$/);
      expect(problems).toEqual([]);
      await harness.killGroup();
      const crashSafe = readdirSync(folder).filter((name) => name.endsWith('.recording.mp4'));
      expect(crashSafe).toHaveLength(1);
      const kept = decodes(join(folder, crashSafe[0]!));
      console.info(`crash-safe recording: ${kept.seconds} s, ${kept.frames} frames`);
      expect(kept).toMatchObject({ exitCode: 0, errors: '', codecs: ['h264', 'aac'] });
      // 4 s or more recorded; a crash loses at most the fragment being built (≤ 1 s).
      expect(kept.seconds).toBeGreaterThan(2.5);
      expect(kept.frames).toBeGreaterThan(kept.seconds * 20);

      // No stream key in any file the studio wrote, its output, the page's console or what main told the page.
      const keys = [goodA, goodB, wrong];
      const holding = (texts: string[]) => keys.filter((k) => texts.some((text) => text.includes(k)));
      expect(traffic!.received.length).toBeGreaterThan(100);
      expect(holding(traffic!.received)).toEqual([]);
      expect(holding(traffic!.console)).toEqual([]);
      expect(holding(harness.output)).toEqual([]);
      const written = [...filesBelow(harness.dataDir), ...filesBelow(folder)];
      expect(written.length).toBeGreaterThan(2);
      expect(written.filter((file) => keys.some((k) => file.text.includes(k))).map((file) => file.path)).toEqual([]);
    } finally {
      await browser.close();
      await harness.killGroup();
      await nginx.close();
    }
  }, 150_000);
});
