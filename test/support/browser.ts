import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian Chromium, headless, with Chromium's fake camera and microphone; Playwright gives each
 * launch a fresh profile. The fake camera runs at 20 fps unless `cameraFps` says otherwise
 * (`getUserMedia`'s frameRate is only an ideal).
 */
export async function launchChromium(
  options: {
    cameraFps?: number;
    /** A .y4m (or .mjpeg) file the fake camera plays in a loop instead of its test pattern (the fake screen keeps Chromium's pattern). */
    fakeCameraFile?: string;
    /** A .wav the fake microphone plays in a loop instead of its beeps. */
    fakeAudioFile?: string;
    /** More Chromium switches (e.g. WebRTC on loopback for the guests test). */
    extraArgs?: string[];
  } = {},
): Promise<Browser> {
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
      options.cameraFps ? `--use-fake-device-for-media-stream=fps=${options.cameraFps}` : '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      ...(options.fakeCameraFile ? [`--use-file-for-fake-video-capture=${options.fakeCameraFile}`] : []),
      ...(options.fakeAudioFile ? [`--use-file-for-fake-audio-capture=${options.fakeAudioFile}`] : []),
      ...(options.extraArgs ?? []),
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

/**
 * Everything a page hears from main and says itself, as text, for scans (e.g. for a secret): every
 * WebSocket frame the page receives (the harness bridge's replies and events; binary frames as
 * latin1) and every console message of the page and its workers. Call before `page.goto`.
 */
export function recordPageTraffic(page: Page): { received: string[]; console: string[] } {
  const traffic = { received: [] as string[], console: [] as string[] };
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => traffic.received.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1'))),
  );
  page.on('console', (message) => traffic.console.push(message.text()));
  page.on('worker', (worker) => worker.on('console', (message) => traffic.console.push(message.text())));
  return traffic;
}

/**
 * A new English 1280×800 page on the studio at `url`, past the first-run choice (Local mode), with
 * its console errors collected from the start.
 */
export async function openLocalStudio(
  browser: Browser,
  url: string,
  options: { /** Called with the new page before it loads (e.g. `recordPageTraffic`). */ beforeLoad?: (page: Page) => void } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = collectConsoleErrors(page);
  options.beforeLoad?.(page);
  await page.goto(url);
  await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
  const firstRun = page.getByRole('button', { name: 'Start in Local mode' });
  if (await firstRun.isVisible().catch(() => false)) await firstRun.click();
  return { context, page, problems };
}

/** Waits until the in-app preview player shows frames and its time advances past 0. */
export async function waitForPreviewFrames(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]');
      return !!video && video.videoWidth > 0 && video.currentTime > 0;
    },
    undefined,
    { timeout: timeoutMs },
  );
}
