import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { addCustomDestination, healthAndReason } from './destination-dialog';

/** Waits for the camera preview's first frame (the studio has its camera). */
export async function cameraReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
}

/** Presses Go live as a user does, once it can be pressed, and waits for the LIVE badge. */
export async function pressGoLive(page: Page, badgeTimeoutMs = 30_000): Promise<void> {
  const goLive = page.getByRole('button', { name: 'Go live' });
  await expect.poll(() => goLive.isEnabled(), { timeout: 15_000 }).toBe(true);
  await goLive.click();
  await page.getByTestId('live-badge').waitFor({ timeout: badgeTimeoutMs });
}

/** One Custom destination `name` at `serverUrl` with `streamKey`, Go live, and that destination live. */
export async function goLiveTo(page: Page, destination: { serverUrl: string; streamKey: string; name?: string }): Promise<void> {
  const name = destination.name ?? 'Ingest';
  await addCustomDestination(page, { ...destination, name });
  await pressGoLive(page);
  await expect.poll(() => healthAndReason(page, name), { timeout: 60_000 }).toMatch(/^live /);
}
