import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the studio looked for ffmpeg, in order; shown when none was found. */
export type FfmpegSource = 'settings' | 'env' | 'bundled' | 'path';

export interface FfmpegLookup {
  /** The ffmpeg path chosen in the studio's settings (empty = not set). */
  setting?: string | null;
  env?: NodeJS.ProcessEnv;
  /** `process.resourcesPath` in packaged Electron (the bundled copy lives in `<resources>/ffmpeg/`). */
  resourcesPath?: string | null;
  platform?: NodeJS.Platform;
}

export interface FoundFfmpeg {
  path: string;
  source: FfmpegSource;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds ffmpeg: the settings value, then `FFMPEG_PATH`, then the copy bundled with the
 * packaged app, then `PATH`. A path chosen in Settings is returned as it is, even when it is
 * gone, so that the check (`ffmpeg-check.ts`) says why instead of another program being run;
 * the others are skipped unless they are executable files. Returns null when none is left.
 */
export function findFfmpeg({ setting, env = process.env, resourcesPath, platform = process.platform }: FfmpegLookup = {}): FoundFfmpeg | null {
  const exe = platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const candidates: FoundFfmpeg[] = [];
  if (setting?.trim()) candidates.push({ path: setting.trim(), source: 'settings' });
  if (env.FFMPEG_PATH?.trim()) candidates.push({ path: env.FFMPEG_PATH.trim(), source: 'env' });
  if (resourcesPath) candidates.push({ path: join(resourcesPath, 'ffmpeg', exe), source: 'bundled' });
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(delimiter).filter(Boolean)) candidates.push({ path: join(dir, exe), source: 'path' });
  return candidates.find((candidate) => candidate.source === 'settings' || isExecutable(candidate.path)) ?? null;
}

export const FFMPEG_HELP =
  'ffmpeg was not found. Install it (Windows: winget install Gyan.FFmpeg; macOS: brew install ffmpeg; Linux: apt install ffmpeg), or set FFMPEG_PATH to the ffmpeg program, then press Go live again.';
