import type { Locator, Page } from 'playwright-core';

/** Adds a Custom (RTMP / RTMPS) destination the way a user does: Destinations → Add, the dialog, Add. */
export async function addCustomDestination(page: Page, destination: { name: string; serverUrl: string; streamKey: string }): Promise<void> {
  await page.getByTestId('destinations-panel').getByRole('button', { name: 'Add' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a destination' });
  await dialog.getByRole('combobox', { name: 'Platform' }).selectOption('custom');
  await dialog.getByLabel('Name').fill(destination.name);
  await dialog.getByLabel('Server URL').fill(destination.serverUrl);
  await dialog.getByLabel('Stream key').fill(destination.streamKey);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.waitFor({ state: 'detached' });
  await destinationRow(page, destination.name).waitFor();
}

/** The destination list's row for the destination called `name`. */
export function destinationRow(page: Page, name: string): Locator {
  return page.getByTestId('destination-row').filter({ has: page.locator('.destination-name', { hasText: name }) });
}

/** What the row's health badge says (`live`, `reconnecting`, `failed`, `standby`, …). */
export function healthState(page: Page, name: string): Promise<string | null> {
  return destinationRow(page, name).getByTestId('health').getAttribute('data-state');
}

/**
 * The badge's state followed by the row's text (its reason, e.g. "failed — Could not connect…"), so a
 * poll that fails says why: `expect.poll(() => healthAndReason(page, name)).toMatch(/^live /)`.
 */
export async function healthAndReason(page: Page, name: string): Promise<string> {
  const row = destinationRow(page, name);
  return `${await row.getByTestId('health').getAttribute('data-state')} ${(await row.textContent())?.replace(/\s+/g, ' ') ?? ''}`;
}
