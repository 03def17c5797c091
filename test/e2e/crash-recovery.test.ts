import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { ownerAlive } from '../../src/main/core/media/process-owner';
import { RECORDING_JOURNAL_FILE } from '../../src/main/core/recording/index';
import { launchChromium, openLocalStudio, waitForPreviewFrames } from '../support/browser';
import { addCustomDestination, destinationRow, healthState } from '../support/destination-dialog';
import { cameraReady, pressGoLive } from '../support/go-live';
import { ffmpegChildren, type RunningHarness, startHarness } from '../support/harness-process';
import { startNginxRtmp } from '../support/nginx-rtmp';
import { scratchDir } from '../support/scratch';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');

/** ffprobe's codecs and duration of a file, and whether ffmpeg decodes all of it without a word of error. */
function decodes(path: string): { codecs: string[]; seconds: number; exitCode: number | null; errors: string } {
  const probed = JSON.parse(
    spawnSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path], { encoding: 'utf8' }).stdout,
  ) as { streams: Array<{ codec_name: string }>; format: { duration?: string } };
  const decoded = spawnSync(FFMPEG, ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  return { codecs: probed.streams.map((stream) => stream.codec_name), seconds: Number(probed.format.duration ?? 0), exitCode: decoded.status, errors: decoded.stderr };
}

/** What ffmpeg does in the studio, from its command line. */
function role(args: string): string {
  if (args.includes('.recording.mp4')) return 'recorder';
  if (args.includes('-f flv')) return 'rtmp-output';
  if (/s%05d\.ts|hls/.test(args)) return 'hls-packager';
  return 'audio-stage';
}

const crashSafeFiles = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.recording.mp4'));

describe('the studio’s main process killed (SIGKILL) while live and recording', () => {
  it('leaves no ffmpeg or key FIFO behind, and the next start finishes the recording and offers the orphaned broadcast; quitting that run while live and recording leaves nothing either', async () => {
    const streamKey = `live_crash_${randomBytes(8).toString('hex')}`;
    const nginx = await startNginxRtmp({ keys: [streamKey] });
    const dataDir = scratchDir('e2e-crash-data');
    const folder = scratchDir('e2e-crash-rec');
    const browser = await launchChromium();
    // One vault key for both runs, as the desktop app's keyring: the restarted studio reads the stored stream key.
    const env = { ONAIR_VAULT_KEY: randomBytes(32).toString('hex') };
    let harness: RunningHarness | null = await startHarness(env, { dataDir });
    try {
      const { context, page, problems } = await openLocalStudio(browser, harness.url);
      await page.getByRole('tab', { name: 'Settings' }).click();
      // The default encoder (WebCodecs): its feed decodes without a word of error, so any error is the recovery's.
      await page.getByLabel('Recording folder').fill(folder);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      await page.getByRole('tab', { name: 'Studio' }).click();
      await cameraReady(page);
      // One destination, so that every kind of ffmpeg the studio runs is there at the kill.
      await addCustomDestination(page, { name: 'Audience', serverUrl: nginx.rtmpUrl(), streamKey });

      // Go live in Local mode, then Record.
      await pressGoLive(page);
      await waitForPreviewFrames(page, 60_000);
      // (On failure, what the row says, e.g. why the destination failed.)
      const audience = async () => `${await healthState(page, 'Audience')} ${await destinationRow(page, 'Audience').textContent()}`;
      await expect.poll(audience, { timeout: 60_000 }).toMatch(/^live /);
      const panel = page.getByTestId('recording-panel');
      const record = page.getByTestId('record-button');
      await expect.poll(() => record.isEnabled()).toBe(true);
      await record.click();
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toBe('recording');

      // The crash-safe file is being written: it grows, fragment by fragment (about 3 s of them here).
      await expect.poll(() => crashSafeFiles(folder), { timeout: 15_000 }).toHaveLength(1);
      const crashSafe = join(folder, crashSafeFiles(folder)[0]!);
      const sizes: number[] = [];
      await expect
        .poll(
          () => {
            sizes.push(statSync(crashSafe).size);
            const grown = sizes.filter((size, i) => i > 0 && size > sizes[i - 1]!).length;
            return grown >= 3 && sizes.at(-1)! > 200_000;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(true);
      expect(existsSync(join(dataDir, RECORDING_JOURNAL_FILE))).toBe(true);
      expect(problems).toEqual([]);

      // Every ffmpeg the studio runs now, then SIGKILL for the main process alone (not its group).
      const killedPid = harness.child.pid!;
      const children = ffmpegChildren(killedPid).map((child) => ({ ...child, role: role(child.args) }));
      console.info(`ffmpeg of the studio at the kill: ${children.map((child) => `${child.role} ${child.pid}`).join(', ')}`);
      expect(children.map((child) => child.role).sort()).toEqual(['audio-stage', 'hls-packager', 'recorder', 'rtmp-output']);
      const killedAt = Date.now();
      const exited = new Promise((resolve) => harness!.child.once('exit', resolve));
      harness.child.kill('SIGKILL');
      await exited;
      harness = null;
      await context.close();

      // Each of them ends by itself (EOF on its stdin), in bounded time.
      const gone = new Map<string, number>();
      await expect
        .poll(
          () => {
            for (const child of children) if (!gone.has(child.role) && !ownerAlive({ pid: child.pid })) gone.set(child.role, Date.now() - killedAt);
            return children.filter((child) => !gone.has(child.role)).map((child) => `${child.role} ${child.pid}: ${child.args}`);
          },
          { timeout: 60_000, interval: 100 },
        )
        .toEqual([]);
      console.info(`after the SIGKILL of main, each ffmpeg exited by itself within (ms): ${JSON.stringify(Object.fromEntries(gone))}`);
      // No key FIFO folder of the killed run (it is named after its pid), none left anywhere by it.
      expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`onair-key-${killedPid}-`))).toEqual([]);
      // What the kill left: the crash-safe file (its recorder wrote the last fragment on EOF), and the journal naming it.
      expect(crashSafeFiles(folder)).toEqual([basename(crashSafe)]);
      expect(existsSync(join(dataDir, RECORDING_JOURNAL_FILE))).toBe(true);
      const kept = decodes(crashSafe);
      expect(kept).toMatchObject({ exitCode: 0, errors: '', codecs: ['h264', 'aac'] });

      // The next start, on the same data folder.
      harness = await startHarness(env, { dataDir });
      const again = await openLocalStudio(browser, harness.url);
      // The recording was finished: the card says where, and the file is a plain MP4 that decodes.
      const recovered = again.page.getByTestId('rec-recovered');
      await recovered.waitFor({ timeout: 60_000 });
      expect(await recovered.textContent()).toContain('A recording interrupted when the studio closed unexpectedly was saved:');
      await expect(again.page.getByTestId('rec-recovered-item').getAttribute('data-outcome')).resolves.toBe('saved');
      const saved = (await again.page.getByTestId('rec-recovered-path').textContent())!;
      expect(saved).toBe(crashSafe.replace(/\.recording\.mp4$/, '.mp4'));
      expect(readdirSync(folder)).toEqual([basename(saved)]);
      expect(existsSync(join(dataDir, RECORDING_JOURNAL_FILE))).toBe(false);
      const finished = decodes(saved);
      expect(finished).toMatchObject({ exitCode: 0, errors: '', codecs: ['h264', 'aac'] });
      expect(finished.seconds).toBeGreaterThan(2);
      expect(Math.abs(finished.seconds - kept.seconds)).toBeLessThan(0.5);
      console.info(`recording recovered: ${finished.seconds.toFixed(2)} s (the crash-safe file had ${kept.seconds.toFixed(2)} s)`);

      // The on-air state is recovered as before: the orphan dialog offers the broadcast the killed run left.
      const orphan = again.page.getByTestId('orphan-dialog');
      await orphan.waitFor({ timeout: 30_000 });
      await orphan.getByRole('button', { name: 'End it' }).click();
      const goLiveAgain = again.page.getByRole('button', { name: 'Go live' });
      await expect.poll(() => goLiveAgain.isVisible(), { timeout: 30_000 }).toBe(true);

      // Quitting while live and recording (SIGTERM: the harness closes the core, as the app does on quit):
      // the recording is finished, and nothing of that run is left either.
      await again.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')?.videoWidth ?? 0) > 0);
      await expect.poll(() => goLiveAgain.isEnabled(), { timeout: 15_000 }).toBe(true);
      await goLiveAgain.click();
      await again.page.getByTestId('live-badge').waitFor({ timeout: 30_000 });
      const audienceAgain = async () => `${await healthState(again.page, 'Audience')} ${await destinationRow(again.page, 'Audience').textContent()}`;
      await expect.poll(audienceAgain, { timeout: 60_000 }).toMatch(/^live /);
      await again.page.getByTestId('record-button').click();
      await expect.poll(() => again.page.getByTestId('recording-panel').getAttribute('data-state'), { timeout: 15_000 }).toBe('recording');
      await expect.poll(() => crashSafeFiles(folder), { timeout: 15_000 }).toHaveLength(1);
      const second = join(folder, crashSafeFiles(folder)[0]!);
      await expect.poll(() => statSync(second).size, { timeout: 60_000, interval: 500 }).toBeGreaterThan(100_000);
      expect(again.problems).toEqual([]);
      const quitPid = harness.child.pid!;
      const quitChildren = ffmpegChildren(quitPid);
      expect(quitChildren.map((child) => role(child.args)).sort()).toEqual(['audio-stage', 'hls-packager', 'recorder', 'rtmp-output']);
      await harness.stop();
      harness = null;
      await again.context.close();
      await expect.poll(() => quitChildren.filter((child) => ownerAlive({ pid: child.pid })).map((child) => child.args), { timeout: 30_000, interval: 100 }).toEqual([]);
      expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`onair-key-${quitPid}-`))).toEqual([]);
      const secondFinal = second.replace(/\.recording\.mp4$/, '.mp4');
      expect(readdirSync(folder).sort()).toEqual([basename(saved), basename(secondFinal)].sort());
      expect(existsSync(join(dataDir, RECORDING_JOURNAL_FILE))).toBe(false);
      expect(decodes(secondFinal)).toMatchObject({ exitCode: 0, errors: '', codecs: ['h264', 'aac'] });
    } finally {
      await browser.close();
      await harness?.stop();
      await nginx.close();
    }
  }, 360_000);
});
