import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FeedFanout } from '../../../src/main/core/media/rtmp/index';
import { defaultVideosFolder, freeBaseName, recordingBaseName, RecordingService } from '../../../src/main/core/recording/index';
import { recordingSettingsSchema, recordingStatusSchema } from '../../../src/shared/recording';
import { expectNoFfmpegLeft, FFMPEG, mountTmpfs, removeDir, scratchDir, unmount } from './support';

const root = scratchDir('refusals');
const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) unmount(dir);
  removeDir(root);
});

/** A service whose ffmpeg check is a spy: a refusal must come before anything is checked or spawned. */
function service(folder: string | null, videosFolder = () => join(root, 'videos')) {
  const checkFfmpeg = vi.fn(async () => {});
  const recording = new RecordingService({ findFfmpeg: () => ({ path: FFMPEG, source: 'path' }), checkFfmpeg, settings: () => ({ folder, format: 'mp4' }), videosFolder });
  return { recording, checkFfmpeg };
}

async function refusedWith(recording: RecordingService, code: string) {
  const fanout = new FeedFanout();
  await expect(recording.start(fanout)).rejects.toMatchObject({ code });
  expect(fanout.size).toBe(0);
  const status = recording.status();
  expect(recordingStatusSchema.parse(status)).toEqual(status);
  expect(status.state).toBe('failed');
  expect(status.error?.code).toBe(code);
  return status;
}

describe('refused at start, before ffmpeg is started', () => {
  it('a folder that does not exist, or is a file', async () => {
    const missing = service(join(root, 'no-such-folder'));
    await refusedWith(missing.recording, 'recording.folder_missing');
    expect(missing.checkFfmpeg).not.toHaveBeenCalled();
    expect(existsSync(join(root, 'no-such-folder'))).toBe(false);

    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const notFolder = service(file);
    await refusedWith(notFolder.recording, 'recording.folder_missing');
    expect(notFolder.checkFfmpeg).not.toHaveBeenCalled();
  });

  it('a folder that cannot be written to (read-only mount as root, mode 0555 otherwise)', async () => {
    const folder = join(root, 'read-only');
    mkdirSync(folder);
    if (mountTmpfs(folder, 'ro,size=64k')) mounts.push(folder);
    else chmodSync(folder, 0o555);
    const { recording, checkFfmpeg } = service(folder);
    await refusedWith(recording, 'recording.folder_not_writable');
    expect(checkFfmpeg).not.toHaveBeenCalled();
  });

  it('no ffmpeg, and a program that is not ffmpeg', async () => {
    const folder = join(root, 'ok');
    mkdirSync(folder);
    const none = new RecordingService({ findFfmpeg: () => null, settings: () => ({ folder, format: 'mp4' }) });
    const status = await refusedWith(none, 'recording.ffmpeg_missing');
    expect(status.error?.reason).toBe('ffmpeg_missing');

    const fake = join(root, 'not-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho "hello"\n');
    chmodSync(fake, 0o755);
    const wrong = new RecordingService({ findFfmpeg: () => ({ path: fake, source: 'settings' }), settings: () => ({ folder, format: 'mp4' }) });
    const refused = await refusedWith(wrong, 'ffmpeg.not_ffmpeg');
    expect(refused.error?.reason).toBe('ffmpeg_refused');
    // Nothing left behind in the folder.
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('folders and names', () => {
  it('the default Videos folder: XDG on Linux, ~/Movies on macOS, %USERPROFILE%\\Videos on Windows', () => {
    const home = '/home/ann';
    const none = () => null;
    expect(defaultVideosFolder({ platform: 'linux', env: {}, home, readText: none })).toBe('/home/ann/Videos');
    expect(defaultVideosFolder({ platform: 'linux', env: { XDG_VIDEOS_DIR: '$HOME/Filme' }, home, readText: none })).toBe('/home/ann/Filme');
    const dirs = '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_VIDEOS_DIR="$HOME/ビデオ"\n';
    const read = vi.fn((path: string) => (path === '/home/ann/.config/user-dirs.dirs' ? dirs : null));
    expect(defaultVideosFolder({ platform: 'linux', env: {}, home, readText: read })).toBe('/home/ann/ビデオ');
    expect(defaultVideosFolder({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home, readText: (p) => (p === '/cfg/user-dirs.dirs' ? 'XDG_VIDEOS_DIR="/media/v"\n' : null) })).toBe('/media/v');
    // Set to $HOME itself means "disabled": fall back to ~/Videos.
    expect(defaultVideosFolder({ platform: 'linux', env: {}, home, readText: () => 'XDG_VIDEOS_DIR="$HOME/"\n' })).toBe('/home/ann/Videos');
    expect(defaultVideosFolder({ platform: 'darwin', env: {}, home: '/Users/ann', readText: none })).toBe('/Users/ann/Movies');
    expect(defaultVideosFolder({ platform: 'win32', env: { USERPROFILE: 'C:\\Users\\ann' }, home, readText: none })).toMatch(/^C:\\Users\\ann[\\/]Videos$/);
  });

  it('records into the injected Videos folder when none is chosen, creating it on a fresh account', async () => {
    const videos = join(root, 'fresh-home', 'Videos');
    const { recording } = service(null, () => videos);
    const started = await recording.start(new FeedFanout());
    expect(started.folder).toBe(videos);
    expect(started.path!.startsWith(join(videos, 'OnAir '))).toBe(true);
    const stopped = await recording.stop();
    await expectNoFfmpegLeft([recording.currentRecorder]);
    // Stopped before any media arrived: nothing to keep, and said so.
    expect(stopped.state).toBe('failed');
    expect(stopped.error?.keptPath).toBe(null);
    expect(readdirSync(videos)).toEqual([]);
  });

  it('names like "OnAir 2026-12-01 09-30-12", numbered when taken; settings are validated', () => {
    expect(recordingBaseName(new Date(2026, 11, 1, 9, 30, 12))).toBe('OnAir 2026-12-01 09-30-12');
    const taken = new Set(['/r/OnAir 2026-12-01 09-30-12.mp4', '/r/OnAir 2026-12-01 09-30-12 (2).recording.mp4']);
    expect(freeBaseName('/r', 'OnAir 2026-12-01 09-30-12', 'mp4', (p) => taken.has(p))).toBe('OnAir 2026-12-01 09-30-12 (3)');
    expect(freeBaseName('/r', 'OnAir 2026-12-01 09-30-12', 'mkv', (p) => taken.has(p))).toBe('OnAir 2026-12-01 09-30-12');
    expect(recordingSettingsSchema.safeParse({ folder: 'relative/dir', format: 'mp4' }).success).toBe(false);
    expect(recordingSettingsSchema.safeParse({ folder: '/abs', format: 'avi' }).success).toBe(false);
    expect(recordingSettingsSchema.safeParse({ folder: 'D:\\Videos', format: 'mkv' }).success).toBe(true);
  });
});
