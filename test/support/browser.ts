import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian Chromium, headless, with Chromium's fake camera and microphone; Playwright gives each launch a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

/**
 * Collects every console error of a page and of its workers (the Twilio player runs in a WASM
 * worker), and every uncaught page error, as `where: text` lines. Call before `page.goto`;
 * a test asserts the list is empty at its end.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  const seen = new WeakSet<ConsoleMessage>();
  const record = (where: string) => (message: ConsoleMessage) => {
    if (message.type() !== 'error' || seen.has(message)) return;
    seen.add(message);
    const at = message.location().url;
    errors.push(`${message.worker() ? 'worker' : where}: ${message.text()}${at ? ` (${at})` : ''}`);
  };
  page.on('console', record('page'));
  page.on('worker', (worker) => worker.on('console', record('worker')));
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}
