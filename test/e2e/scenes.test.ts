import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openLocalStudio, waitForPreviewFrames } from '../support/browser';
import { addCustomDestination, healthAndReason } from '../support/destination-dialog';
import { type RunningHarness, startHarness } from '../support/harness-process';
import { type NginxRtmp, startNginxRtmp } from '../support/nginx-rtmp';
import { scratchDir } from '../support/scratch';

/**
 * Issue 12 in Chromium: a streamer builds "Screen + camera" and "Starting soon", shares the screen,
 * goes live and switches with the number keys; the frames the in-app preview player decodes show
 * each program. Colour-coded sources: the fake camera plays a solid red file (made here by ffmpeg),
 * the fake screen is Chromium's green test pattern. The mixer's meters follow the fake microphone
 * (a beep), and the scenes are there again after the studio restarts on the same data folder.
 * The audience sees the same: a frame pulled from a real nginx-rtmp destination shows each scene too.
 */
type Colour = 'red' | 'green' | 'blue' | `other ${string}`;

let browser: Browser;
let harness: RunningHarness | undefined;
let nginx: NginxRtmp | undefined;
const KEY = `scenes-e2e-${process.pid}-key`;

beforeAll(async () => {
  const media = scratchDir('scenes-media');
  const camera = join(media, 'red.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=640x360:r=30', '-t', '2', '-pix_fmt', 'yuv420p', camera]);
  browser = await launchChromium({ fakeCameraFile: camera });
  nginx = await startNginxRtmp({ keys: [KEY] });
});

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
  await nginx?.close();
});

const run = promisify(execFile);
const classify = ([r, g, b]: number[]): Colour => {
  if (r! > 150 && g! < 90 && b! < 90) return 'red';
  // The fake screen's background is a mid green (about 0,128,0 after H.264).
  if (g! > 100 && r! < 90 && b! < 90) return 'green';
  if (b! > 55 && r! < 70 && g! < 80) return 'blue';
  return `other ${[r, g, b].map((value) => Math.round(value!)).join(',')}`;
};

/** The colour at points of a frame pulled now from the destination (the audience's view), 64×36 RGB. */
async function destinationColours(points: Array<[number, number]>): Promise<Colour[]> {
  const { stdout } = await run(
    'ffmpeg',
    ['-loglevel', 'error', '-rw_timeout', '8000000', '-i', `${nginx!.rtmpUrl()}/${KEY}`, '-frames:v', '1', '-vf', 'scale=64:36', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', timeout: 15_000, maxBuffer: 1 << 20 },
  );
  return points.map(([fx, fy]) => {
    const x = Math.min(63, Math.round(fx * 64));
    const y = Math.min(35, Math.round(fy * 36));
    const at = (y * 64 + x) * 3;
    return classify([stdout[at]!, stdout[at + 1]!, stdout[at + 2]!]);
  });
}

/**
 * The colour at points of the preview player's current frame (fractions of the frame), each the
 * average of a 9×9 patch: red (the camera), green (the screen), dark blue (the Starting soon card).
 */
async function playerColours(page: Page, points: Array<[number, number]>): Promise<Colour[]> {
  const rgb = await page.evaluate((spots) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]');
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(video, 0, 0);
    return spots.map(([fx, fy]) => {
      const data = context.getImageData(Math.round(fx * canvas.width) - 4, Math.round(fy * canvas.height) - 4, 9, 9).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
      return sum.map((value) => value / (data.length / 4));
    });
  }, points);
  if (!rgb) return points.map(() => 'other (no frame)' as const);
  return rgb.map(classify);
}

/** Bottom left (the full-frame source or the card's background) and bottom right (the camera picture-in-picture). */
const SPOTS: Array<[number, number]> = [
  [0.15, 0.75],
  [0.85, 0.85],
];

const sceneNames = (page: Page) => page.getByTestId('scene-row').locator('.scene-name').allInnerTexts();
const onAirScene = (page: Page) => page.locator('[data-testid="scene-row"].on-air .scene-name').innerText();

describe('scenes in the studio', () => {
  it('builds Screen + camera and Starting soon, switches them live with 1/2/3, the preview player shows each; meters move; scenes survive a restart', async () => {
    // A data folder of its own (a retry starts from nothing too).
    const dataDir = scratchDir('scenes-e2e');
    await harness?.stop();
    harness = await startHarness({}, { dataDir });
    const { context, page, problems } = await openLocalStudio(browser, harness.url);
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);

    // Build the scenes from presets.
    await expect.poll(() => sceneNames(page)).toEqual(['Camera']);
    const preset = page.getByLabel('Preset for the new scene');
    await preset.selectOption({ label: 'Screen + camera' });
    await page.getByRole('button', { name: 'Add scene' }).click();
    await preset.selectOption({ label: 'Starting soon' });
    await page.getByRole('button', { name: 'Add scene' }).click();
    await expect.poll(() => sceneNames(page)).toEqual(['Camera', 'Screen + camera', 'Starting soon']);
    await expect(page.getByTestId('scene-row').locator('kbd').allInnerTexts()).resolves.toEqual(['1', '2', '3']);
    // A cut, so each switch lands on one frame.
    await page.getByRole('radio', { name: 'Cut' }).check();

    // Share the screen (Chromium's fake display, picked without a prompt).
    await page.getByTestId('screen-share').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('screen-share').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');

    // One destination (the audience): a real nginx-rtmp.
    await addCustomDestination(page, { name: 'Audience', serverUrl: nginx!.rtmpUrl(), streamKey: KEY });

    // Go live in Local mode; the preview player plays the broadcast.
    const goLive = page.getByRole('button', { name: 'Go live' });
    await expect.poll(() => goLive.isEnabled(), { timeout: 15_000 }).toBe(true);
    await goLive.click();
    await page.getByTestId('live-badge').waitFor({ timeout: 20_000 });
    await waitForPreviewFrames(page);

    await expect.poll(() => healthAndReason(page, 'Audience'), { timeout: 60_000 }).toMatch(/^live /);

    // The camera scene: red everywhere, in the preview and at the destination.
    await expect.poll(() => playerColours(page, SPOTS), { timeout: 15_000, interval: 250 }).toEqual(['red', 'red']);
    await expect.poll(() => destinationColours(SPOTS), { timeout: 20_000, interval: 500 }).toEqual(['red', 'red']);

    // Key 2: screen + camera — the screen's green with the red camera in the corner.
    await page.keyboard.press('2');
    await expect.poll(() => onAirScene(page)).toBe('Screen + camera');
    await expect.poll(() => playerColours(page, SPOTS), { timeout: 15_000, interval: 250 }).toEqual(['green', 'red']);
    await expect.poll(() => destinationColours(SPOTS), { timeout: 20_000, interval: 500 }).toEqual(['green', 'red']);

    // Key 1: back to the camera.
    await page.keyboard.press('1');
    await expect.poll(() => playerColours(page, SPOTS), { timeout: 15_000, interval: 250 }).toEqual(['red', 'red']);
    await expect.poll(() => destinationColours(SPOTS), { timeout: 20_000, interval: 500 }).toEqual(['red', 'red']);

    // Key 3: the Starting soon card.
    await page.keyboard.press('3');
    await expect.poll(() => playerColours(page, SPOTS), { timeout: 15_000, interval: 250 }).toEqual(['blue', 'blue']);

    // A key typed into a text field is text, not a switch.
    await page.getByRole('button', { name: 'Rename: Camera' }).click({ force: true });
    const name = page.getByLabel('Scene name');
    await name.press('End');
    await name.press('2');
    await expect(name.inputValue()).resolves.toBe('Camera2');
    await name.press('Escape');
    expect(await onAirScene(page)).toBe('Starting soon');

    // The mixer's meters move with the fake microphone (a beep): loud and changing.
    await page.getByRole('tab', { name: 'Audio mixer' }).click();
    // Sampled until both a beep and the quiet between beeps were seen (a busy machine samples more slowly).
    const peaks: number[] = [];
    await expect
      .poll(
        async () => {
          peaks.push(Number(await page.getByTestId('meter-mic').getAttribute('data-peak-db')));
          return Math.max(...peaks) > -30 && Math.max(...peaks) - Math.min(...peaks) > 6;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);
    const master = Number(await page.getByTestId('meter-master').getAttribute('data-peak-db'));
    expect(Number.isFinite(master)).toBe(true);

    // Stop, and let the last switch be saved.
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog', { name: 'Stop the broadcast?' }).getByRole('button', { name: 'Stop broadcast' }).click();
    await goLive.waitFor();
    await expect
      .poll(() => page.evaluate(async () => {
        const reply = await window.onair.scenes.get();
        return reply.ok ? `${reply.value.scenes.map((scene) => scene.name).join('|')} on ${reply.value.programSceneId}` : reply.error.code;
      }))
      .toBe('Camera|Screen + camera|Starting soon on starting-soon-1');
    expect(problems).toEqual([]);
    await context.close();

    // Restart the studio on the same data folder: the scenes, their order and the program are back.
    await harness.stop();
    harness = await startHarness({}, { dataDir });
    const again = await openLocalStudio(browser, harness.url);
    await expect.poll(() => sceneNames(again.page)).toEqual(['Camera', 'Screen + camera', 'Starting soon']);
    await expect(onAirScene(again.page)).resolves.toBe('Starting soon');
    expect(again.problems).toEqual([]);
    await again.context.close();
  }, 240_000);
});
