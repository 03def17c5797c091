import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { FfmpegChecker } from '../../src/main/core/media/ffmpeg/check';
import { StudioError } from '../../src/shared/errors';
import { scratchDir } from '../support/scratch';

function executable(dir: string, name = 'ffmpeg'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('where ffmpeg comes from', () => {
  const root = scratchDir('ffmpeg');
  const setting = executable(join(root, 'setting'));
  const fromEnv = executable(join(root, 'env'));
  const bundled = executable(join(root, 'resources', 'ffmpeg'));
  const onPath = executable(join(root, 'bin'));
  const notExecutable = join(root, 'plain-file');
  writeFileSync(notExecutable, 'x');
  const env = { FFMPEG_PATH: fromEnv, PATH: join(root, 'bin') };

  it('prefers the setting, then FFMPEG_PATH, then the bundled copy, then PATH', () => {
    expect(findFfmpeg({ setting, env, resourcesPath: join(root, 'resources'), platform: 'linux' })).toEqual({ path: setting, source: 'settings' });
    expect(findFfmpeg({ setting: '', env, resourcesPath: join(root, 'resources'), platform: 'linux' })).toEqual({ path: fromEnv, source: 'env' });
    expect(findFfmpeg({ env: { PATH: env.PATH }, resourcesPath: join(root, 'resources'), platform: 'linux' })).toEqual({ path: bundled, source: 'bundled' });
    expect(findFfmpeg({ env: { PATH: env.PATH }, platform: 'linux' })).toEqual({ path: onPath, source: 'path' });
  });

  it('skips what is missing or not executable, and says null when nothing is left', () => {
    expect(findFfmpeg({ env: { FFMPEG_PATH: join(root, 'nope'), PATH: env.PATH }, platform: 'linux' })).toEqual({ path: onPath, source: 'path' });
    expect(findFfmpeg({ env: { FFMPEG_PATH: notExecutable, PATH: env.PATH }, platform: 'linux' })).toEqual({ path: onPath, source: 'path' });
    expect(findFfmpeg({ env: { PATH: join(root, 'empty') }, platform: 'linux' })).toBeNull();
  });

  it('keeps to the program chosen in Settings even when it is gone: the check then says why, instead of running another one', () => {
    expect(findFfmpeg({ setting: notExecutable, env, platform: 'linux' })).toEqual({ path: notExecutable, source: 'settings' });
    expect(findFfmpeg({ setting: join(root, 'nope'), env, platform: 'linux' })).toEqual({ path: join(root, 'nope'), source: 'settings' });
  });
});

/** A stand-in program: logs each run's arguments and the bytes it got on stdin next to itself, then runs `body`. */
function fake(dir: string, body: string): { path: string; runs: () => string[]; stdinBytes: () => number } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'ffmpeg');
  const log = join(dir, 'runs.log');
  const stdin = join(dir, 'stdin.bin');
  writeFileSync(path, `#!/bin/sh\necho "$*" >> '${log}'\ncat >> '${stdin}'\n${body}\n`);
  chmodSync(path, 0o755);
  return {
    path,
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []),
    stdinBytes: () => (existsSync(stdin) ? statSync(stdin).size : 0),
  };
}

async function problemOf(checker: FfmpegChecker, path: string): Promise<string | null> {
  try {
    await checker.check(path);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return (error as StudioError).code;
  }
}

describe('only ffmpeg is accepted as ffmpeg', () => {
  const root = scratchDir('ffmpeg-check');
  const real = findFfmpeg({ env: { PATH: process.env.PATH } });

  it('accepts the real ffmpeg (`-version` says “ffmpeg version …”)', async () => {
    expect(real, 'ffmpeg must be installed').not.toBeNull();
    await expect(new FfmpegChecker().check(real!.path)).resolves.toBeUndefined();
  });

  it('refuses a program that is something else, and never gives it anything on stdin', async () => {
    const impostor = fake(join(root, 'impostor'), 'echo "hello, I am a cat"');
    const checker = new FfmpegChecker();
    await expect(checker.check(impostor.path)).rejects.toMatchObject({ code: 'ffmpeg.not_ffmpeg', details: { reason: 'not_ffmpeg' } });
    await expect(checker.check(impostor.path)).rejects.toThrow(/hello, I am a cat/);
    expect(impostor.runs()).toEqual(['-version']);
    expect(impostor.stdinBytes()).toBe(0);
    expect(await problemOf(checker, '/bin/cat')).toBe('ffmpeg.not_ffmpeg');
    // “ffmpeg version” somewhere but not at the start of the first line is not enough.
    const late = fake(join(root, 'late'), 'echo "I wrap ffmpeg"; echo "ffmpeg version 6"');
    expect(await problemOf(checker, late.path)).toBe('ffmpeg.not_ffmpeg');
  });

  it('says when the file is missing, not executable, or not a file', async () => {
    const checker = new FfmpegChecker();
    expect(await problemOf(checker, join(root, 'missing', 'ffmpeg'))).toBe('ffmpeg.not_found');
    const plain = join(root, 'plain');
    writeFileSync(plain, 'ffmpeg version 9\n');
    expect(await problemOf(checker, plain)).toBe('ffmpeg.not_executable');
    expect(await problemOf(checker, root)).toBe('ffmpeg.not_executable');
  });

  it('gives up on a program that does not answer in time, or prints without end', async () => {
    const slow = fake(join(root, 'slow'), 'exec sleep 20');
    const checker = new FfmpegChecker({ timeoutMs: 300 });
    await expect(checker.check(slow.path)).rejects.toMatchObject({ code: 'ffmpeg.timeout', details: { reason: 'timeout' } });
    const chatty = fake(join(root, 'chatty'), 'echo "ffmpeg version 9"; exec yes ffmpeg');
    expect(await problemOf(new FfmpegChecker({ timeoutMs: 10_000 }), chatty.path)).toBe('ffmpeg.not_ffmpeg');
  });

  it('checks a file once per (path, mtime, size), and again when it changed', async () => {
    const dir = join(root, 'changing');
    const changing = fake(dir, `exec '${real!.path}' "$@"`);
    const checker = new FfmpegChecker();
    await checker.check(changing.path);
    await checker.check(changing.path);
    expect(changing.runs()).toEqual(['-version']);
    // The same file is replaced by something else: the cached verdict no longer applies.
    writeFileSync(changing.path, `#!/bin/sh\necho "$*" >> '${join(dir, 'runs.log')}'\necho "not ffmpeg any more, but longer"\n`);
    utimesSync(changing.path, new Date(), new Date(Date.now() + 5_000));
    expect(await problemOf(checker, changing.path)).toBe('ffmpeg.not_ffmpeg');
    expect(changing.runs()).toEqual(['-version', '-version']);
  });
});
