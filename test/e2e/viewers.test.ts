import { describe, expect, it } from 'vitest';
import { launchChromium, openLocalStudio, waitForPreviewFrames } from '../support/browser';
import { cameraReady, pressGoLive } from '../support/go-live';
import { startHarness } from '../support/harness-process';

/**
 * Viewers on the network (Local mode): the studio shares its player on 127.0.0.1; a viewer in
 * another Chromium opens the viewer page over the studio's HTTPS, which fetches a playback token
 * and plays the broadcast with the real Twilio Live player — its HLS relayed by the guest server.
 */
describe('viewers on the network', () => {
  it('Share the player on my network → a second Chromium plays the broadcast from the viewer page', { timeout: 240_000 }, async () => {
    const harness = await startHarness();
    const studioBrowser = await launchChromium({ cameraFps: 30 });
    const viewerBrowser = await launchChromium();
    try {
      const { page, problems } = await openLocalStudio(studioBrowser, harness.url);
      await cameraReady(page);
      await page.getByRole('tab', { name: 'Guests' }).click();
      const panel = page.getByTestId('guests-panel');
      await panel.getByLabel('Listen address').fill('127.0.0.1');
      await panel.getByLabel('Port').fill('0');
      await panel.getByLabel('Share the player on my network').click();
      await expect.poll(() => panel.getByTestId('guest-server').getAttribute('data-state'), { timeout: 20_000 }).toBe('on');
      const viewerUrl = (await panel.getByTestId('viewer-url').locator('code').textContent())!;
      expect(viewerUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/watch\/$/);
      // Only the player is shared: no invite, no guest page.
      await expect(panel.getByRole('button', { name: 'Create invite' }).count()).resolves.toBe(0);

      const context = await viewerBrowser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 412, height: 860 } });
      const origin = new URL(viewerUrl).origin;
      for (const path of ['/', '/web-bridge.js', '/__bridge', '/video/v1/Rooms']) expect((await context.request.get(`${origin}${path}`)).status(), path).toBe(404);
      const viewer = await context.newPage();
      const requested: string[] = [];
      viewer.on('request', (request) => requested.push(request.url()));
      await viewer.goto(viewerUrl);
      await expect.poll(() => viewer.getByTestId('viewer-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('waiting');

      await pressGoLive(page);
      await waitForPreviewFrames(page);
      await expect.poll(() => viewer.getByTestId('viewer-state').getAttribute('data-state'), { timeout: 90_000 }).toBe('playing');
      await viewer.waitForFunction(
        () => {
          const video = document.querySelector<HTMLVideoElement>('[data-testid="viewer-video"]');
          return !!video && video.videoWidth > 0 && video.currentTime > 1;
        },
        undefined,
        { timeout: 90_000 },
      );
      // Everything the viewer page fetched came from the studio's address (no CDN, no Twilio, no loopback cloud).
      const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
      expect(elsewhere).toEqual([]);
      expect(requested.some((url) => url.startsWith(`${origin}/watch/hls/`))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await viewerBrowser.close();
      await studioBrowser.close();
      await harness.stop();
    }
  });
});
