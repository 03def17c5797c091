import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../src/main/core/local-cloud/media/ffmpeg';

function executable(dir: string, name = 'ffmpeg'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('where ffmpeg comes from', () => {
  const root = mkdtempSync(join(tmpdir(), 'onair-ffmpeg-'));
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
    expect(findFfmpeg({ setting: notExecutable, env: { FFMPEG_PATH: join(root, 'nope') , PATH: env.PATH }, platform: 'linux' })).toEqual({ path: onPath, source: 'path' });
    expect(findFfmpeg({ env: { PATH: join(root, 'empty') }, platform: 'linux' })).toBeNull();
  });
});
