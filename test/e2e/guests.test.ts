import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { launchChromium, openLocalStudio } from '../support/browser';
import { healthAndReason } from '../support/destination-dialog';
import { goLiveTo } from '../support/go-live';
import { startHarness } from '../support/harness-process';
import { startNginxRtmp } from '../support/nginx-rtmp';
import { scratchDir } from '../support/scratch';
import { connectBridge } from '../support/bridge-client';
import { connectGuest, httpsGet, joinAs, tokenOf } from '../integration/guests/support';

const FFMPEG = findFfmpeg()!.path;
/** Two Chromium processes talking WebRTC over loopback: loopback candidates allowed, real addresses (no mDNS names). */
const WEBRTC_ON_LOOPBACK = ['--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];
const FRAME = { width: 320, height: 180 };

/**
 * A magenta fake camera (.y4m) for the guest's Chromium, made here with ffmpeg. The guest's
 * microphone is Chromium's fake one (a beep every 500 ms): a steady sine file is taken for noise by
 * the browser's noise suppression (measured: −43 dBFS at the destination), the beeps are not.
 */
function magentaCamera(dir: string): string {
  const camera = join(dir, 'magenta.y4m');
  const made = spawnSync(FFMPEG, ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=magenta:s=640x360:r=30:d=4', '-pix_fmt', 'yuv420p', camera], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  return camera;
}

function run(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const ffmpeg = spawn(FFMPEG, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    ffmpeg.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    ffmpeg.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    ffmpeg.once('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** One decoded frame of what the destination receives, as RGB at 320×180. */
async function pullFrame(url: string): Promise<Buffer> {
  const { code, stdout, stderr } = await run(['-v', 'error', '-rw_timeout', '10000000', '-i', url, '-frames:v', '1', '-vf', `scale=${FRAME.width}:${FRAME.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  if (code !== 0 || stdout.length < FRAME.width * FRAME.height * 3) throw new Error(`frame pull failed (${code}): ${stderr}`);
  return stdout;
}

/** The average colour of a 20×20 patch centred at (x, y) in fractions of the frame. */
function colourAt(frame: Buffer, x: number, y: number): { r: number; g: number; b: number } {
  const cx = Math.round(x * FRAME.width);
  const cy = Math.round(y * FRAME.height);
  const sum = { r: 0, g: 0, b: 0 };
  let n = 0;
  for (let dy = -10; dy < 10; dy += 1) {
    for (let dx = -10; dx < 10; dx += 1) {
      const at = ((cy + dy) * FRAME.width + (cx + dx)) * 3;
      sum.r += frame[at]!;
      sum.g += frame[at + 1]!;
      sum.b += frame[at + 2]!;
      n += 1;
    }
  }
  return { r: Math.round(sum.r / n), g: Math.round(sum.g / n), b: Math.round(sum.b / n) };
}

const magenta = ({ r, g, b }: { r: number; g: number; b: number }) => r > 150 && b > 150 && g < 100;

/** The loudest sample in `seconds` of the destination's audio, in dBFS (-91 for digital silence). */
async function loudestDb(url: string, seconds: number): Promise<number> {
  const { stderr } = await run(['-v', 'info', '-rw_timeout', '10000000', '-i', url, '-t', String(seconds), '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /max_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`no volumedetect result: ${stderr.slice(-500)}`);
  return match[1] === '-inf' ? -200 : Number(match[1]);
}

const guestCard = (page: Page, name: string) => page.getByTestId('guest-card').filter({ has: page.getByText(name, { exact: true }) });

describe('guests on air (Local mode): a guest in a second Chromium, on stage, at a real RTMP destination', () => {
  it('invite → guest page → join → backstage → on stage: the guest’s colour and voice reach the destination, the guest plays the return feed; remove → gone; a revoked link is refused', { timeout: 300_000 }, async () => {
    const key = `live_guests_${randomBytes(8).toString('hex')}`;
    const camera = magentaCamera(scratchDir('e2e-guest-media'));
    const nginx = await startNginxRtmp({ keys: [key] });
    const harness = await startHarness();
    const studioBrowser = await launchChromium({ cameraFps: 30, extraArgs: WEBRTC_ON_LOOPBACK });
    const guestBrowser = await launchChromium({ fakeCameraFile: camera, extraArgs: WEBRTC_ON_LOOPBACK });
    const destination = `${nginx.rtmpUrl()}/${key}`;
    try {
      const { page, problems } = await openLocalStudio(studioBrowser, harness.url);
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);

      // Share on my network (the dock's Guests tab): on 127.0.0.1, any free port.
      await page.getByRole('tab', { name: 'Guests' }).click();
      const panel = page.getByTestId('guests-panel');
      await expect(panel.getByTestId('guest-server').getAttribute('data-state')).resolves.toBe('off');
      await panel.getByLabel('Listen address').fill('127.0.0.1');
      await panel.getByLabel('Port').fill('0');
      await panel.getByLabel('Share on my network').click();
      await expect.poll(() => panel.getByTestId('guest-server').getAttribute('data-state'), { timeout: 20_000 }).toBe('on');

      // On air to a real nginx-rtmp destination first: guests join a live studio.
      await goLiveTo(page, { serverUrl: nginx.rtmpUrl(), streamKey: key });

      // Invite: a link with the secret in its fragment, a QR code and the certificate's fingerprint.
      await panel.getByRole('button', { name: 'Create invite' }).click();
      const link = await panel.getByTestId('invite-link').inputValue();
      expect(link).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/#invite=[\w-]+\.[\w-]+$/);
      await panel.getByTestId('invite-qr').waitFor();
      await expect(panel.getByTestId('invite-fingerprint').textContent()).resolves.toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const guestOrigin = new URL(link).origin;

      // The guest, on a phone-sized page in another Chromium that accepts the studio's certificate.
      const guestContext = await guestBrowser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 412, height: 860 } });
      // Nothing else of the studio answers on the network address.
      for (const path of ['/web-bridge.js', '/__bridge', '/video/v1/Rooms']) expect((await guestContext.request.get(`${guestOrigin}${path}`)).status(), path).toBe(404);
      const guest = await guestContext.newPage();
      await guest.goto(link);
      expect(guest.url()).not.toContain('#invite');
      await guest.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="guest-self"]')?.videoWidth ?? 0) > 0);
      await expect.poll(() => guest.getByTestId('guest-level').evaluate((meter) => (meter as HTMLMeterElement).value), { timeout: 15_000 }).toBeGreaterThan(0.05);
      await guest.getByLabel('Your name').fill('Guest Mika');
      await guest.getByRole('button', { name: 'Join' }).click();
      await expect.poll(() => guest.getByTestId('guest-room').getAttribute('data-state'), { timeout: 20_000 }).toBe('backstage');
      await expect(guest.getByTestId('guest-state').textContent()).resolves.toContain('backstage');

      // Backstage in the studio: their video, their name, link quality measured.
      const card = guestCard(page, 'Guest Mika');
      await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('backstage');
      await expect.poll(() => card.getByTestId('guest-video').evaluate((video) => (video as HTMLVideoElement).videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => card.getByTestId('guest-quality').getAttribute('data-grade'), { timeout: 20_000 }).not.toBe('unknown');

      // The guest plays the return feed (the program) before going on.
      await guest.waitForFunction(
        () => {
          const video = document.querySelector<HTMLVideoElement>('[data-testid="guest-program"]');
          return !!video && video.videoWidth > 0 && video.currentTime > 0.5;
        },
        undefined,
        { timeout: 30_000 },
      );

      // The host's own microphone muted: what the destination hears from now on is the guest.
      await page.locator('.mic-controls button.mute').click();

      // On stage: side by side (the default layout), host left, guest right.
      await card.getByRole('button', { name: 'Put on stage' }).click();
      await expect.poll(() => guest.getByTestId('guest-room').getAttribute('data-state'), { timeout: 20_000 }).toBe('on_stage');
      await expect
        .poll(async () => colourAt(await pullFrame(destination), 0.75, 0.5), { timeout: 60_000, interval: 1000 })
        .toSatisfy(magenta);
      const onAir = await pullFrame(destination);
      expect(magenta(colourAt(onAir, 0.25, 0.5)), 'the host’s half is not the guest').toBe(false);
      await expect.poll(() => loudestDb(destination, 3), { timeout: 30_000, interval: 1000 }).toBeGreaterThan(-35);

      // Remove: the guest is told, and the program no longer shows or plays them.
      await card.getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => guest.getByTestId('guest-room').getAttribute('data-state'), { timeout: 20_000 }).toBe('removed');
      await expect.poll(() => card.getAttribute('data-state')).toBe('removed');
      await expect
        .poll(async () => {
          const frame = await pullFrame(destination);
          return magenta(colourAt(frame, 0.75, 0.5)) || magenta(colourAt(frame, 0.5, 0.5));
        }, { timeout: 60_000, interval: 1000 })
        .toBe(false);
      await expect.poll(() => loudestDb(destination, 2), { timeout: 30_000, interval: 1000 }).toBeLessThan(-60);

      // A revoked link is refused with a clear page.
      await panel.getByRole('button', { name: 'Create invite' }).click();
      await expect.poll(() => panel.getByTestId('invite-link').inputValue()).not.toBe(link);
      const revokedLink = await panel.getByTestId('invite-link').inputValue();
      await panel.getByTestId('invite-row').filter({ has: page.getByText('Active', { exact: true }) }).getByRole('button', { name: 'Revoke' }).click();
      await expect.poll(() => panel.getByTestId('invite-row').filter({ has: page.getByText('Revoked', { exact: true }) }).count()).toBe(1);
      const refused = await guestContext.newPage();
      await refused.goto(revokedLink);
      await refused.getByLabel('Your name').fill('Late Guest');
      await refused.getByRole('button', { name: 'Join' }).click();
      await expect.poll(() => refused.getByTestId('guest-message').textContent(), { timeout: 20_000 }).toBe('The host revoked this invite. Ask for a new one.');

      // Still on air throughout.
      await expect(healthAndReason(page, 'Ingest')).resolves.toMatch(/^live /);
      expect(problems).toEqual([]);
    } finally {
      await guestBrowser.close();
      await studioBrowser.close();
      await harness.stop();
      await nginx.close();
    }
  });

  it('signalling fuzz and a join flood on the guest address while live: refused, and the destination keeps receiving', { timeout: 240_000 }, async () => {
    const key = `live_fuzz_${randomBytes(8).toString('hex')}`;
    const nginx = await startNginxRtmp({ keys: [key] });
    const harness = await startHarness();
    const browser = await launchChromium({ cameraFps: 30 });
    const bridge = await connectBridge(harness.url);
    try {
      const { page, problems } = await openLocalStudio(browser, harness.url);
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
      await goLiveTo(page, { serverUrl: nginx.rtmpUrl(), streamKey: key });

      const configured = (await bridge.call('guests.configure', { shareOnNetwork: true, listenAddress: '127.0.0.1', port: 0 })) as { ok: true; value: { server: { url: string } } };
      const origin = configured.value.server.url.replace(/\/$/, '');
      const invite = (await bridge.call('guests.invite', { name: null, validMinutes: 30, maxUses: 20 })) as { ok: true; value: { link: string } };
      const steady = await joinAs(origin, tokenOf(invite.value.link), 'Steady');
      await steady.next('welcome');
      const bytesBefore = (await nginx.streams()).find((stream) => stream.name === key)!.bytesIn;

      const token = tokenOf(invite.value.link);
      // A replay from a joined guest cuts that guest off.
      const replayer = await joinAs(origin, token, 'Replayer');
      await replayer.next('welcome');
      replayer.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'v=0' } });
      replayer.sendJson({ type: 'signal', seq: 2, signal: { kind: 'answer', sdp: 'v=0' } });
      await expect(replayer.closed).resolves.toMatchObject({ code: 1008 });

      // Seeded fuzz: malformed, binary, oversize, wrong shapes, out of order, foreign origins. Past the
      // join bounds (10 attempts per address in 10 s) the rest are refused before they can send at all.
      let seed = 19;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const payloads: Array<string | Buffer> = [
        '{',
        'null',
        '[]',
        JSON.stringify({ type: 'hello', seq: 1, invite: token, name: '' }),
        JSON.stringify({ type: 'hello', seq: 2, invite: token, name: 'Skip' }),
        JSON.stringify({ type: 'signal', seq: 1, signal: { kind: 'offer', sdp: 'v=0' } }),
        JSON.stringify({ type: 'hello', seq: 1, invite: token, name: 'x'.repeat(500) }),
        'x'.repeat(80 * 1024),
        Buffer.from([0, 255, 1, 2]),
      ];
      let refusedCount = 0;
      for (let i = 0; i < 60; i += 1) {
        const fuzz = connectGuest(origin, random() < 0.15 ? { origin: 'https://evil.example' } : {});
        if (!(await fuzz.opened)) {
          refusedCount += 1;
          continue;
        }
        const pick = payloads[Math.floor(random() * payloads.length)]!;
        fuzz.ws.send(random() < 0.1 ? Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))) : pick);
        const closed = await fuzz.closed;
        expect([1003, 1007, 1008, 1009]).toContain(closed.code);
        expect(fuzz.received.some((message) => message.type === 'welcome')).toBe(false);
        refusedCount += 1;
      }
      expect(refusedCount).toBe(60);

      // Join flood: 150 connections at once; most are turned away before they can wait to join.
      const flood = Array.from({ length: 150 }, () => connectGuest(origin));
      const opened = await Promise.all(flood.map((guest) => guest.opened));
      expect(opened.filter(Boolean).length).toBeLessThan(20);
      for (const guest of flood) guest.ws.terminate();

      // Nothing else of the studio answers on the guest address; the guest page still does.
      for (const path of ['/web-bridge.js', '/__bridge', '/video/v1/Rooms', '/settings']) expect((await httpsGet(`${origin}${path}`)).status, path).toBe(404);
      expect((await httpsGet(`${origin}/`)).status).toBe(200);

      // The broadcast went on: the destination is live and still receiving, the steady guest still here.
      await expect.poll(async () => (await nginx.streams()).find((stream) => stream.name === key)?.bytesIn ?? 0, { timeout: 20_000 }).toBeGreaterThan(bytesBefore + 100_000);
      await expect(healthAndReason(page, 'Ingest')).resolves.toMatch(/^live /);
      await page.getByRole('tab', { name: 'Guests' }).click();
      await expect.poll(() => page.getByTestId('guest-card').filter({ has: page.getByText('Steady', { exact: true }) }).getAttribute('data-state')).toBe('backstage');
      expect(problems).toEqual([]);
    } finally {
      await bridge.close();
      await browser.close();
      await harness.stop();
      await nginx.close();
    }
  });
});
