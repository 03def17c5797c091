import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/main/core/local-cloud/index';
import { collectConsoleErrors, launchChromium } from '../support/browser';
import { resetHarness, type RunningHarness, startHarness } from '../support/harness-process';
import { scratchDir } from '../support/scratch';

const SHOTS = resolve('test-results/screenshots');
const SMALL = { width: 1024, height: 640 };
const LARGE = { width: 1280, height: 800 };

let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A fresh profile on the studio; `errors` collects every console error of the page and its workers. */
async function open(harness: RunningHarness, locale = 'en-US', viewport = LARGE): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto(harness.url);
  await page.getByRole('heading', { name: 'OnAir Studio', exact: true }).waitFor();
  return { context, page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

/** Nothing scrolls sideways, and the element is fully inside the viewport. */
async function expectFits(page: Page, selector: string) {
  const facts = await page.evaluate((css) => {
    const box = document.querySelector(css)?.getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
      height: window.innerHeight,
      bottom: box?.bottom ?? Infinity,
      right: box?.right ?? Infinity,
    };
  }, selector);
  expect(facts.scrollWidth).toBeLessThanOrEqual(facts.width);
  expect(facts.bottom).toBeLessThanOrEqual(facts.height);
  expect(facts.right).toBeLessThanOrEqual(facts.width);
}

/** What a streamer needs in view without scrolling: Go live / Stop, Record, the camera, the destinations, the preview player, the activity feed. */
const STUDIO_PARTS = ['.broadcast-actions button', '[data-testid="record-button"]', '.stage', '[data-testid="destinations-panel"]', '[data-testid="player-slot"]', '.activity'];
async function expectAllFit(page: Page) {
  for (const selector of STUDIO_PARTS) await expectFits(page, selector);
}

const rowsText = (page: Page) => page.getByTestId('activity-row').allInnerTexts();

describe('the cockpit in local mode', () => {
  let harness: RunningHarness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  // A failed attempt may leave the broadcast live: its retry starts from idle, in a fresh browser context.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !harness) return;
    for (const context of browser.contexts()) await context.close().catch(() => {});
    await resetHarness(harness);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('first run → studio → Go live step by step → LIVE with a running timer → Stop after confirming', async () => {
    const { context, page, errors } = await open(harness);
    // First run: Local is the default, explained in one sentence.
    await page.getByRole('heading', { name: 'Welcome to OnAir Studio' }).waitFor();
    await expect(page.getByRole('radio', { name: /Local \(recommended\)/ }).isChecked()).resolves.toBe(true);
    await shot(page, 'first-run-en-1280x800');
    await page.getByRole('button', { name: 'Start in Local mode' }).click();

    // The studio: camera preview, pickers filled from the fake devices, a live mic meter.
    await page.getByTestId('camera-preview').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
    const camera = page.getByRole('combobox', { name: 'Camera' });
    await expect.poll(() => camera.locator('option').count()).toBeGreaterThan(1);
    await expect.poll(() => page.getByRole('combobox', { name: 'Microphone' }).locator('option').count()).toBeGreaterThan(1);
    await expect(page.getByTestId('mode-badge').textContent()).resolves.toBe('Local');
    expect(await page.evaluate(() => localStorage.getItem('onair.firstRun'))).toBe('done');

    // Record what the UI shows while going live.
    await page.evaluate(() => {
      const box = window as unknown as { events: string[]; active: string[] };
      box.events = [];
      box.active = [];
      window.onair.on('broadcast.changed', (status) => box.events.push(`${status.state}:${status.step ?? ''}`));
      new MutationObserver(() => {
        document.querySelectorAll<HTMLElement>('[data-state="active"]').forEach((element) => {
          if (!box.active.includes(element.dataset.step ?? '')) box.active.push(element.dataset.step ?? '');
        });
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    const goLive = page.getByRole('button', { name: 'Go live' });
    // Enabled once the first broadcast status (a look for a broadcast left running) has come back.
    await expect.poll(() => goLive.isEnabled(), { timeout: 15_000 }).toBe(true);
    await expect(goLive.getAttribute('aria-keyshortcuts')).resolves.toBe('Control+Shift+L');
    await goLive.click();
    const badge = page.getByTestId('live-badge');
    await badge.waitFor();

    const seen = await page.evaluate(() => {
      const box = window as unknown as { events: string[]; active: string[] };
      return { events: box.events, active: box.active };
    });
    expect(seen.events).toEqual(['starting:room', 'starting:streamer', 'starting:processor', 'starting:record', 'live:']);
    expect(seen.active[0]).toBe('room');
    // The last step completes when the preview player shows the first frame of the broadcast.
    await page.locator('[data-testid="go-live-steps"] li[data-step="first-frame"][data-state="done"]').waitFor({ timeout: 45_000 });
    const states = await page.getByTestId('go-live-steps').locator('li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')}=${item.getAttribute('data-state')}`));
    expect(states).toEqual(['room=done', 'streamer=done', 'processor=done', 'record=done', 'first-frame=done']);

    // The timer advances.
    const elapsed = page.getByTestId('live-elapsed');
    const first = (await elapsed.textContent()) ?? '';
    expect(first).toMatch(/^\d\d:\d\d$/);
    await page.waitForFunction((before) => {
      const text = document.querySelector('[data-testid="live-elapsed"]')?.textContent ?? before;
      return text !== before && text > before;
    }, first);
    // While live: Go live is gone, the resolution is locked, Clean up is disabled.
    await expect(page.getByRole('button', { name: 'Go live' }).count()).resolves.toBe(0);
    await expect(page.getByRole('combobox', { name: 'Resolution' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Clean up' }).isDisabled()).resolves.toBe(true);

    // The activity panel lists the calls of the Go live, newest first.
    await expect.poll(async () => (await rowsText(page)).join('\n')).toMatch(/POST\s+sync\s+\/v1\/Services\/IS\w+\/Documents/);
    const calls = (await rowsText(page)).map((text) => text.replace(/\s+/g, ' '));
    expect(calls.some((call) => /^(POST video \/v1\/Rooms|GET video \/v1\/Rooms)/.test(call))).toBe(true);
    expect(calls.some((call) => /^POST media \/v1\/PlayerStreamers /.test(call))).toBe(true);
    expect(calls.some((call) => /^POST media \/v1\/MediaProcessors /.test(call))).toBe(true);
    // Creates only (a collection as the last path segment), not the PlaybackGrant the preview player asks for later.
    const order = ['Documents', 'MediaProcessors', 'PlayerStreamers'].map((name) => calls.findIndex((call) => new RegExp(`^POST \\w+ \\S*/${name} `).test(call)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // Filter: one domain, then failures only.
    await page.getByRole('combobox', { name: 'Domain' }).selectOption('media');
    const mediaRows = await rowsText(page);
    expect(mediaRows.length).toBeGreaterThan(0);
    expect(mediaRows.every((text) => text.includes('media'))).toBe(true);
    await page.getByRole('combobox', { name: 'Domain' }).selectOption('all');
    await page.getByRole('checkbox', { name: 'Errors only' }).check();
    const failedClasses = await page.getByTestId('activity-row').evaluateAll((items) => items.map((item) => item.className));
    expect(failedClasses.every((name) => name.includes('failed'))).toBe(true);
    await page.getByRole('checkbox', { name: 'Errors only' }).uncheck();

    // Mute by shortcut.
    await page.keyboard.press('Control+Shift+M');
    await expect(page.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(() => page.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuetext')).toBe('Microphone muted');
    await page.keyboard.press('Control+Shift+M');
    await expect(page.getByRole('button', { name: 'Mute', exact: true }).getAttribute('aria-pressed')).resolves.toBe('false');

    await shot(page, 'studio-live-en-1280x800');
    await expectFits(page, '[data-testid="record-button"]');
    await expectFits(page, '[data-testid="destinations-panel"]');
    await expectFits(page, '[data-testid="player-slot"]');
    await expectFits(page, '.activity');
    await page.setViewportSize(SMALL);
    await expectFits(page, '.broadcast-actions button');
    await expectFits(page, '[data-testid="record-button"]');
    await expectFits(page, '.stage');
    await expectFits(page, '[data-testid="destinations-panel"]');
    await expectFits(page, '[data-testid="player-slot"]');
    await expectFits(page, '.activity');
    await shot(page, 'studio-live-en-1024x640');

    // Stop asks first; Escape keeps streaming.
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop the broadcast?' });
    await dialog.waitFor();
    // Focus moves in the dialog's effect: waited for, as a busy machine may run it a frame later.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep streaming');
    await shot(page, 'stop-dialog-en-1024x640');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await badge.waitFor({ state: 'visible' });

    // The shortcut asks too; confirming stops.
    await page.keyboard.press('Control+Shift+S');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stop broadcast' }).click();
    await page.getByRole('button', { name: 'Go live' }).waitFor();
    await expect.poll(() => badge.count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Go live' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await rowsText(page)).join('\n')).toMatch(/POST\s+media\s+\/v1\/MediaProcessors\/ZX\w+/);
    await page.getByText('Off air').waitFor({ state: 'visible' });

    // Clean up with nothing left says so.
    await page.getByRole('button', { name: 'Clean up' }).click();
    await expect.poll(() => page.getByTestId('cleanup-report').textContent()).toContain('Nothing was left running.');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('speaks Japanese and fits 1024×640 and 1280×800 in both languages', async () => {
    const { context, page, errors } = await open(harness, 'ja-JP', SMALL);
    // First run is remembered per browser profile: this is a new one.
    await page.getByRole('heading', { name: 'OnAir Studio へようこそ' }).waitFor();
    await shot(page, 'first-run-ja-1024x640');
    await page.getByRole('button', { name: 'ローカルモードで始める' }).click();
    await page.getByTestId('camera-preview').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: '配信開始' }).waitFor();
    await expectFits(page, '.broadcast-actions button');
    await expectFits(page, '[data-testid="record-button"]');
    await expectFits(page, '.stage');
    await expectFits(page, '[data-testid="destinations-panel"]');
    await expectFits(page, '[data-testid="player-slot"]');
    await expectFits(page, '.activity');
    await shot(page, 'studio-idle-ja-1024x640');

    await page.getByRole('button', { name: '配信開始' }).click();
    await page.getByTestId('live-badge').waitFor();
    await expect.poll(() => page.getByRole('button', { name: '停止', exact: true }).isEnabled()).toBe(true);
    await expectAllFit(page);
    await shot(page, 'studio-live-ja-1024x640');
    await page.setViewportSize(LARGE);
    await expectAllFit(page);
    await shot(page, 'studio-live-ja-1280x800');

    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    await page.setViewportSize(SMALL);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop broadcast' }).click();
    await page.getByRole('button', { name: 'Go live' }).waitFor();
    await expectAllFit(page);
    await shot(page, 'studio-idle-en-1024x640');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('the cockpit in Twilio mode (against a local cloud, never the internet)', () => {
  let cloud: LocalCloud;
  let harness: RunningHarness;
  beforeAll(async () => {
    cloud = await startLocalCloud({ dataDir: scratchDir('cockpit-cloud') });
    harness = await startHarness({ ONAIR_TWILIO_API_ORIGIN: cloud.origin });
  });
  afterAll(async () => {
    await harness?.stop();
    await cloud?.close();
  });

  it('validates the credentials inline and reports a failed and a good Test connection plainly', async () => {
    const { context, page, errors } = await open(harness);
    await page.getByRole('radio', { name: /My Twilio account/ }).check();
    const account = page.getByRole('textbox', { name: 'Account SID' });
    await account.fill('AC12345');
    await account.blur();
    await expect(page.locator('#setup-accountSid-error').textContent()).resolves.toContain('starts with “AC” followed by 32 hexadecimal');
    await expect(account.getAttribute('aria-invalid')).resolves.toBe('true');

    // Test connection checks the fields first and sends nothing while they are wrong.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.locator('#setup-apiKeySid-error').textContent()).resolves.toBe('Required.');
    await expect(page.locator('#setup-apiSecret-error').textContent()).resolves.toBe('Required.');
    expect(await page.evaluate(async () => (await window.onair.activity.list()).ok)).toBe(true);
    const before = await page.evaluate(async () => {
      const list = await window.onair.activity.list();
      return list.ok ? list.value.length : -1;
    });
    expect(before).toBe(0);

    // Well-formed but wrong credentials: one call, rejected, said plainly.
    await account.fill(`AC${'1234567890abcdef'.repeat(2)}`);
    await page.getByRole('textbox', { name: 'API key SID' }).fill(`SK${'abcdef0123456789'.repeat(2)}`);
    await page.getByLabel('API key secret').fill('not-the-secret-123');
    await expect(page.locator('#setup-accountSid-error').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.getByTestId('connection-result').textContent())
      .toContain('Twilio rejected these credentials. Check the Account SID, API key SID and secret');
    await shot(page, 'first-run-twilio-failed-en-1280x800');

    // The right credentials (the local cloud's) pass.
    await account.fill(cloud.credentials.accountSid);
    await page.getByRole('textbox', { name: 'API key SID' }).fill(cloud.credentials.apiKeySid);
    await page.getByLabel('API key secret').fill(cloud.credentials.apiSecret);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByTestId('connection-result').textContent()).toMatch(/^Connected\. Twilio accepted these credentials \(\d+ ms\)\.$/);

    // Saving needs the Sync service too.
    await page.getByRole('button', { name: 'Save and open the studio' }).click();
    await expect(page.locator('#setup-syncServiceSid-error').textContent()).resolves.toBe('Required.');
    await page.getByRole('textbox', { name: 'Sync service SID' }).fill(cloud.credentials.syncServiceSid);
    await page.getByRole('button', { name: 'Save and open the studio' }).click();
    await page.getByRole('tab', { name: 'Studio' }).waitFor();
    await expect(page.getByTestId('mode-badge').textContent()).resolves.toBe('Twilio');
    await page.getByRole('heading', { name: 'Video room' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
