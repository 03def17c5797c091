import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useHarnessAndChromium } from '../support/harness-process';

const ACCOUNT = `AC${'1234567890abcdef'.repeat(2)}`;
const KEY = `SK${'abcdef0123456789'.repeat(2)}`;
const SYNC = `IS${'0f'.repeat(16)}`;
const SECRET = 'e2e-Secret-Value-42';

const studio = useHarnessAndChromium();

/** These tests start in the studio: the first-run choice (test/e2e/cockpit.test.ts) is already made. */
const FIRST_RUN_DONE = () => localStorage.setItem('onair.firstRun', 'done');

async function openStudio(locale = 'en-US'): Promise<{ page: Page; frames: string[] }> {
  const context = await studio.browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  await context.addInitScript(FIRST_RUN_DONE);
  const page = await context.newPage();
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => frames.push(String(frame.payload)));
    socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
  });
  await page.goto(studio.harness.url);
  await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
  return { page, frames };
}

describe('the studio in Chromium through the web harness', () => {
  it('renders, removes the key from the address bar and says Twilio Live was retired', async () => {
    const { page } = await openStudio();
    expect(page.url()).toBe(`${studio.harness.origin}/`);
    await expect(page.getByRole('note').textContent()).resolves.toContain('2023-11-30');
    const info = await page.evaluate(() => window.onair.app.info());
    expect(info).toMatchObject({ ok: true, value: { name: 'OnAir Studio', shell: 'web' } });
    await page.context().close();
  });

  it('shows the live camera preview with a video track and real frames', async () => {
    const { page } = await openStudio();
    const video = page.getByTestId('camera-preview');
    await video.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]');
      return !!element && element.videoWidth > 0 && element.currentTime > 0.2;
    });
    const facts = await video.evaluate((element: HTMLVideoElement) => {
      const stream = element.srcObject as MediaStream;
      return {
        tracks: stream.getVideoTracks().map((track) => ({ kind: track.kind, state: track.readyState })),
        width: element.videoWidth,
        height: element.videoHeight,
      };
    });
    expect(facts.tracks).toEqual([{ kind: 'video', state: 'live' }]);
    expect(facts.width).toBeGreaterThan(0);
    expect(facts.height).toBeGreaterThan(0);
    await page.context().close();
  });

  it('explains a denied camera and offers a way out', async () => {
    const context = await studio.browser.newContext({ locale: 'en-US' });
    await context.addInitScript(FIRST_RUN_DONE);
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied by test', 'NotAllowedError'));
    });
    const page = await context.newPage();
    await page.goto(studio.harness.url);
    await expect(page.getByTestId('camera-error').textContent()).resolves.toContain('Camera access was denied');
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await context.close();
  });

  it('saves credentials, shows them masked after a reload and never sends the secret back', async () => {
    const { page, frames } = await openStudio();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Twilio account').check();
    await page.getByLabel('Account SID').fill(ACCOUNT);
    await page.getByLabel('API key SID').fill(KEY);
    await page.getByLabel('API key secret').fill(SECRET);
    await page.getByLabel('Sync service SID').fill(SYNC);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    await page.reload();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Account SID').inputValue()).resolves.toBe(ACCOUNT);
    await expect(page.getByLabel('API key SID').getAttribute('placeholder')).resolves.toBe('SK••••••••••••6789');
    await expect(page.getByLabel('API key SID').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('API key secret').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('credentials-status').textContent()).resolves.toBe('Twilio credentials are complete.');
    await expect(page.getByLabel('Twilio account').isChecked()).resolves.toBe(true);

    // The secret went out once, in the save request, and never came back in any reply or event.
    const outgoing = frames.filter((frame) => frame.includes(SECRET));
    expect(outgoing).toHaveLength(1);
    expect(JSON.parse(outgoing[0]!)).toMatchObject({ channel: 'settings.update' });
    const fromStudio = frames.filter((frame) => frame.includes('"envelope"') || frame.includes('"event"')).join('\n');
    expect(fromStudio).toContain('"hasApiSecret":true');
    expect(fromStudio).not.toContain(SECRET);
    // The key id only ever comes back masked.
    expect(fromStudio).not.toContain(KEY.slice(2, 20));
    expect(await page.content()).not.toContain(SECRET);

    // And on disk it is ciphertext only.
    const onDisk = readFileSync(join(studio.harness.dataDir, 'settings-web.json'), 'utf8');
    expect(onDisk).toContain(ACCOUNT);
    expect(onDisk).not.toContain(SECRET);
    await page.context().close();
  });

  it('shows the validation message for an invalid SID, in English and in Japanese', async () => {
    const { page } = await openStudio();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Account SID').fill('AC12345');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#field-accountSid-error').textContent()).resolves.toContain('starts with “AC” followed by 32 hexadecimal');
    await expect(page.getByLabel('Account SID').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Language').selectOption('ja');
    await expect(page.locator('#field-accountSid-error').textContent()).resolves.toContain('アカウント SID は「AC」に続く 32 文字');
    await expect(page.getByRole('tab', { name: '設定' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.context().close();
  });

  it('picks Japanese from the browser language', async () => {
    const { page } = await openStudio('ja-JP');
    await page.getByRole('tab', { name: 'スタジオ' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ja');
    await page.context().close();
  });

  it('answers a forged call with a bad payload with a typed error', async () => {
    const { page } = await openStudio();
    const replies = await page.evaluate(async () => {
      const onair = window.onair as unknown as Record<string, Record<string, (p?: unknown) => Promise<unknown>>>;
      return {
        badType: await onair.settings!.update!({ accountSid: 42 }),
        extraField: await onair.settings!.update!({ apiSecret: 'abcdefgh1', isAdmin: true }),
        tampered: (() => {
          try {
            (window as unknown as { onair: unknown }).onair = {};
            return 'replaced';
          } catch {
            return 'frozen';
          }
        })(),
        stillSame: typeof window.onair.settings.get,
      };
    });
    expect(replies.badType).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload', details: { issues: [{ path: 'accountSid' }] } } });
    expect(replies.extraField).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
    expect(replies.stillSame).toBe('function');
    await page.context().close();
  });

  it('refuses bridge connections without the launch key or from another origin', async () => {
    const wsUrl = `${studio.harness.origin.replace('http', 'ws')}/bridge`;
    const key = new URL(studio.harness.url).hash.slice('#key='.length);
    const attempt = (protocols: string[], origin: string) =>
      new Promise<string>((done) => {
        const socket = new WebSocket(wsUrl, protocols, { origin });
        socket.on('open', () => {
          socket.close();
          done('open');
        });
        socket.on('error', (error) => done(`error: ${error.message}`));
      });
    await expect(attempt(['onair.wrong'], studio.harness.origin)).resolves.toMatch(/403/);
    await expect(attempt([], studio.harness.origin)).resolves.toMatch(/403/);
    await expect(attempt([`onair.${key}`], 'http://evil.example')).resolves.toMatch(/403/);
    await expect(attempt([`onair.${key}`], studio.harness.origin)).resolves.toBe('open');
  });

  it('listens on loopback only and sends a CSP with every page', async () => {
    const response = await fetch(`${studio.harness.origin}/`);
    expect(new URL(studio.harness.origin).hostname).toBe('127.0.0.1');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ${studio.harness.origin.replace('http', 'ws')}`);
    expect((await fetch(`${studio.harness.origin}/..%2f..%2fpackage.json`)).status).toBe(403);
  });
});
