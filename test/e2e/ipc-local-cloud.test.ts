import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { type RunningHarness, startHarness } from '../support/harness-process';

/** The renderer, in the default local mode, talking to the embedded local cloud over IPC. */
let harness: RunningHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await (await browser.newContext()).newPage();
  await page.goto(harness.url);
  await page.waitForFunction(() => typeof window.onair?.rooms?.ensure === 'function');
});

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

describe('IPC to the local cloud from the renderer', () => {
  it('ensures the room and mints a video token with no account', async () => {
    const result = await page.evaluate(async () => ({
      room: await window.onair.rooms.ensure(),
      again: await window.onair.rooms.ensure(),
      token: await window.onair.tokens.video({ identity: '配信者' }),
      bad: await window.onair.tokens.video({ identity: '../etc' }),
    }));
    expect(result.room).toMatchObject({ ok: true, value: { uniqueName: 'myroom', status: 'in-progress', sid: expect.stringMatching(/^RM/) } });
    expect(result.again).toMatchObject({ ok: true, value: { created: false } });
    if (!result.token.ok || !result.room.ok) throw new Error('expected tokens');
    expect(result.token.value).toMatchObject({ identity: '配信者', room: 'myroom', roomSid: result.room.value.sid });
    const payload = JSON.parse(Buffer.from(result.token.value.token.split('.')[1]!, 'base64url').toString());
    expect(payload.grants).toEqual({ identity: '配信者', video: { room: 'myroom' } });
    expect(result.bad).toMatchObject({ ok: false, error: { code: 'identity.invalid' } });
  });

  it('goes live and stops, with every REST call in the activity feed and nothing left running', async () => {
    const result = await page.evaluate(async () => {
      const changes: string[] = [];
      const off = window.onair.on('broadcast.changed', (status) => changes.push(`${status.state}:${status.step ?? ''}`));
      const calls: string[] = [];
      const offActivity = window.onair.on('activity.entry', (entry) => calls.push(`${entry.method} ${entry.domain} ${entry.path} ${entry.status}`));
      const start = await window.onair.broadcast.start();
      const playback = await window.onair.tokens.playback();
      const stop = await window.onair.broadcast.stop();
      const cleanup = await window.onair.broadcast.cleanup();
      off();
      offActivity();
      return { start, playback, stop, cleanup, changes, calls };
    });
    expect(result.start).toMatchObject({ ok: true, value: { state: 'live', playerStreamerSid: expect.stringMatching(/^VJ/) } });
    expect(result.playback).toMatchObject({ ok: true, value: { token: expect.any(String) } });
    expect(result.stop).toMatchObject({ ok: true, value: { state: 'idle' } });
    // Cleanup finds nothing: the stop ended everything.
    expect(result.cleanup).toEqual({ ok: true, value: { ended: [], deletedRecord: false } });
    expect(result.changes).toEqual(expect.arrayContaining(['starting:room', 'starting:streamer', 'starting:processor', 'starting:record', 'live:', 'stopping:', 'idle:']));
    expect(result.calls).toEqual(
      expect.arrayContaining([
        'POST media /v1/PlayerStreamers 201',
        'POST media /v1/MediaProcessors 201',
        expect.stringMatching(/^POST sync \/v1\/Services\/IS[0-9a-f]{32}\/Documents 201$/),
        expect.stringMatching(/^POST media \/v1\/MediaProcessors\/ZX[0-9a-f]{32} 200$/),
        expect.stringMatching(/^POST media \/v1\/PlayerStreamers\/VJ[0-9a-f]{32} 200$/),
      ]),
    );
    const feed = await page.evaluate(() => window.onair.activity.list());
    expect(feed.ok && feed.value.length).toBeGreaterThanOrEqual(result.calls.length);
    expect(JSON.stringify(feed)).not.toMatch(/Basic |apiSecret|password/i);
  });
});
