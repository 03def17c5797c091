import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { launchChromium, openLocalStudio } from '../support/browser';
import { cameraReady, goLiveTo } from '../support/go-live';
import { startHarness } from '../support/harness-process';
import { startNginxRtmp } from '../support/nginx-rtmp';
import { pull } from '../support/rtmp-pull';
import { scratchDir } from '../support/scratch';

/** What a streamer is told must say what to do: lower the resolution or the frame rate. */
const WHAT_TO_DO = 'Lower the resolution or the frame rate in Settings → Output';

describe('1080p60 (Chromium, harness, nginx-rtmp)', () => {
  it('the destination gets 1920×1080 on a 60 fps grid with a 2 s GOP, and either the encoder keeps up or the studio says it cannot — never a silent slide show', async () => {
    const streamKey = `live_1080p60_${randomBytes(10).toString('hex')}`;
    const nginx = await startNginxRtmp({ keys: [streamKey] });
    const harness = await startHarness({}, { processGroup: true });
    const browser = await launchChromium({ cameraFps: 60 });
    const pulls = scratchDir('e2e-1080p60-pull');
    try {
      const { page, problems } = await openLocalStudio(browser, harness.url);
      await page.getByRole('tab', { name: 'Settings' }).click();
      const output = page.getByTestId('settings-output');
      await output.getByLabel('Resolution').selectOption('1080p');
      await output.getByLabel('Frame rate').selectOption('60');
      await expect(output.getByLabel('Video bitrate (kbps)').getAttribute('placeholder')).resolves.toBe('9000');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      await page.getByRole('tab', { name: 'Studio' }).click();
      await cameraReady(page);
      await goLiveTo(page, { serverUrl: nginx.rtmpUrl(), streamKey });

      // What a viewer pulls: the 1080p60 preset's size and grid, a keyframe every 2 s (±1 frame).
      const pulled = await pull(`${nginx.rtmpUrl()}/${streamKey}`, pulls, 7);
      expect(pulled.video).toMatchObject({ codec: 'h264', width: 1920, height: 1080, frameRate: '60/1' });
      console.info(`1080p60: keyframe gaps ${JSON.stringify(pulled.video.keyframeGaps.map((gap) => Number(gap.toFixed(4))))} s`);
      expect(pulled.video.keyframeGaps.length).toBeGreaterThanOrEqual(2);
      for (const gap of pulled.video.keyframeGaps) expect(Math.abs(gap - 2)).toBeLessThanOrEqual(1 / 60 + 0.001);

      // The studio's own account of the last seconds, read once the pull is done (its window is full by then).
      const feed = page.getByTestId('program-feed');
      await expect.poll(() => feed.getAttribute('data-program-fps'), { timeout: 10_000 }).not.toBeNull();
      const said = {
        overloaded: (await feed.getAttribute('data-overloaded')) === 'true',
        lagging: (await feed.getAttribute('data-lagging')) === 'true',
        encodeFps: Number(await feed.getAttribute('data-encode-fps')),
        programFps: Number(await feed.getAttribute('data-program-fps')),
      };
      console.info(`1080p60: destination ${pulled.video.fps.toFixed(1)} fps of media; studio says ${JSON.stringify(said)}`);
      if (said.overloaded || said.lagging) {
        // It cannot keep up here (this 2-core machine encodes and draws in software): the streamer is told, with what to do.
        const warning = page.getByTestId(said.overloaded ? 'program-feed-overloaded' : 'program-feed-lagging');
        await expect(warning.textContent()).resolves.toContain(WHAT_TO_DO);
        await expect(warning.getAttribute('role')).resolves.toBe('status');
      } else {
        // No warning: then the encoder really keeps up — 60 frames a second reach the destination,
        // and nearly all of them are new pictures.
        expect(pulled.video.fps).toBeGreaterThanOrEqual(57);
        expect(said.encodeFps).toBeGreaterThanOrEqual(57);
        expect(said.programFps).toBeGreaterThanOrEqual(54);
      }

      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.getByRole('dialog', { name: 'Stop the broadcast?' }).getByRole('button', { name: 'Stop broadcast' }).click();
      await page.getByRole('button', { name: 'Go live' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await harness.stop();
      await nginx.close();
    }
  }, 180_000);
});
