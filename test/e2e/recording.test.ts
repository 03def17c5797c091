import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { openLocalStudio } from '../support/browser';
import { useHarnessAndChromium } from '../support/harness-process';
import { scratchDir } from '../support/scratch';

const studio = useHarnessAndChromium();
const FFPROBE = join(dirname(findFfmpeg()!.path), 'ffprobe');
const SHOTS = resolve('test-results/screenshots');

describe('Record / Stop recording in Chromium', () => {
  it('records the fake camera into the folder chosen in Settings, without going live, and the file decodes', async () => {
    const folder = scratchDir('e2e-rec');
    const { context, page, problems } = await openLocalStudio(studio.browser, studio.harness.url);

    // Settings → Recording: the Videos folder is the default; choose the test's folder instead.
    await page.getByRole('tab', { name: 'Settings' }).click();
    const folderField = page.getByLabel('Recording folder');
    await expect(folderField.getAttribute('placeholder')).resolves.toMatch(/^\//);
    await folderField.fill(folder);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Studio' }).click();
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);

    const panel = page.getByTestId('recording-panel');
    const record = page.getByTestId('record-button');
    await expect.poll(() => record.isEnabled()).toBe(true);
    await expect(record.textContent()).resolves.toBe('Record');
    const clickedRecordAt = Date.now();
    await record.click();
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 10_000 }).toBe('recording');
    // No broadcast: the program feed runs for the recording alone.
    await expect.poll(() => page.getByTestId('program-feed').getAttribute('data-phase'), { timeout: 10_000 }).toBe('sending');
    await expect(page.getByRole('button', { name: 'Go live' }).isVisible()).resolves.toBe(true);

    // About four seconds recorded, by the card's own clock (waited for, not slept).
    await expect.poll(() => page.getByTestId('rec-elapsed').textContent(), { timeout: 20_000 }).toMatch(/^00:0[4-9]$/);
    await expect.poll(() => page.getByTestId('rec-size').textContent(), { timeout: 5_000 }).toMatch(/^\d+(\.\d)? (KB|MB)$/);

    await panel.screenshot({ path: join(SHOTS, 'recording-running.png') });
    await page.getByRole('button', { name: 'Stop recording' }).click();
    const stopClickedAt = Date.now();
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    // Stop waited for the WebCodecs encoder to deliver the frame captured at the click (not cut short by its bound).
    await expect(panel.getAttribute('data-stop-wait')).resolves.toBe('delivered');
    const path = (await page.getByTestId('rec-path').textContent())!;
    expect(dirname(path)).toBe(folder);
    expect(basename(path)).toMatch(/^OnAir \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mp4$/);
    await expect(record.textContent()).resolves.toBe('Record');
    await panel.screenshot({ path: join(SHOTS, 'recording-done.png') });
    // The crash-safe file was turned into the final one.
    expect(readdirSync(folder)).toEqual([basename(path)]);

    const probed = JSON.parse(
      execFileSync(FFPROBE, ['-v', 'error', '-count_frames', '-count_packets', '-show_entries', 'stream=codec_type,codec_name,nb_read_frames,nb_read_packets:format=format_name,duration', '-of', 'json', path], { encoding: 'utf8' }),
    ) as { streams: Array<{ codec_type: string; codec_name: string; nb_read_frames?: string; nb_read_packets?: string }>; format: { format_name: string; duration: string } };
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    expect(video?.codec_name).toBe('h264');
    expect(probed.streams.find((stream) => stream.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(probed.format.format_name).toContain('mp4');
    const seconds = Number(probed.format.duration);
    expect(seconds).toBeGreaterThan(3);
    // No longer than the time between the two clicks (plus a fragment): nothing recorded twice, no
    // gap filled. (A bound from the clicks, not a guess: a busy machine may take seconds per click.)
    expect(seconds).toBeLessThan((stopClickedAt - clickedRecordAt) / 1000 + 1);
    // Every recorded video packet decodes to a frame. How many frames a second the camera and the
    // encoder deliver (30 on a quiet machine, fewer on a busy one) is the benchmarks' business.
    const packets = Number(video?.nb_read_packets);
    console.info(`recording: ${packets} video packets in ${seconds.toFixed(2)} s (${(packets / seconds).toFixed(1)} fps)`);
    expect(packets).toBeGreaterThan(seconds * 5);
    expect(Number(video?.nb_read_frames)).toBe(packets);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
