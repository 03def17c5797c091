import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectConsoleErrors } from '../support/browser';
import { useHarnessAndChromium } from '../support/harness-process';

const studio = useHarnessAndChromium();

/** A key no page, reply or file may show once it is saved. */
const KEY = 'e2e-dest-0a1b2c3d4e5f-Secret-9zq7';

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

describe('destinations in the studio (real Chromium through the harness)', () => {
  it('adds a destination through the dialog; after a reload it is listed with the key masked and the key nowhere in the DOM', async () => {
    const context = await studio.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(studio.harness.url);
    await page.getByRole('button', { name: 'Start in Local mode' }).click();
    const panel = page.getByTestId('destinations-panel');
    await panel.getByText('No destinations yet.', { exact: false }).waitFor();

    await panel.getByRole('button', { name: 'Add' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a destination' });
    await dialog.getByRole('combobox', { name: 'Platform' }).selectOption('custom');
    await dialog.getByLabel('Name').fill('Studio server');
    await dialog.getByLabel('Server URL').fill('rtmp://127.0.0.1:1935/live');
    const key = dialog.getByLabel('Stream key');
    await key.fill(KEY);
    await expect(key.getAttribute('type')).resolves.toBe('password');
    await dialog.getByRole('button', { name: 'Show' }).click();
    await expect(key.getAttribute('type')).resolves.toBe('text');
    await dialog.getByRole('button', { name: 'Show' }).click();
    await expect(key.getAttribute('type')).resolves.toBe('password');

    // Main validates: a wrong scheme comes back as a message under the server field.
    await dialog.getByLabel('Server URL').fill('http://127.0.0.1:1935/live');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.getByText('The server URL must start with rtmp:// or rtmps://.').waitFor();
    await expect(dialog.getByLabel('Server URL').getAttribute('aria-invalid')).resolves.toBe('true');
    await dialog.getByLabel('Server URL').fill('rtmp://127.0.0.1:1935/live');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('destination-row');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getByTestId('key-hint').textContent()).resolves.toBe('Key ••••9zq7');

    await page.reload();
    await page.getByTestId('destination-row').waitFor();
    const listed = page.getByTestId('destination-row');
    await expect(listed.count()).resolves.toBe(1);
    await expect(listed.locator('.destination-name').textContent()).resolves.toBe('Studio server');
    await expect(listed.locator('.destination-platform').textContent()).resolves.toBe('Custom (RTMP / RTMPS)');
    await expect(listed.getByTestId('key-hint').textContent()).resolves.toBe('Key ••••9zq7');
    await expect(listed.getByRole('switch', { name: 'Stream to Studio server' }).isChecked()).resolves.toBe(true);
    await expect(listed.getByTestId('health').getAttribute('data-state')).resolves.toBe('standby');

    // Editing shows an empty key field; the saved key is never filled in.
    await listed.getByRole('button', { name: 'Edit Studio server' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit “Studio server”' });
    await expect(edit.getByLabel('Stream key').inputValue()).resolves.toBe('');
    await expect(edit.getByLabel('Server URL').inputValue()).resolves.toBe('rtmp://127.0.0.1:1935/live');
    const dom = await page.evaluate(() => {
      const values = [...document.querySelectorAll('input')].map((input) => input.value);
      return document.documentElement.outerHTML + values.join('\n');
    });
    expect(dom).toContain('••••9zq7');
    expect(dom).not.toContain(KEY);
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // What main answers the page carries no key either, and nothing in the data folder holds it in clear.
    const snapshot = await page.evaluate(() => window.onair.destinations.list());
    expect(JSON.stringify(snapshot)).not.toContain(KEY);
    expect(JSON.stringify(snapshot)).toContain('Studio server');
    expect(filesContaining(studio.harness.dataDir, KEY)).toEqual([]);

    expect(errors).toEqual([]);
    await context.close();
  });
});
