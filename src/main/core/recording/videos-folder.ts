import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface VideosFolderLookup {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Reads `user-dirs.dirs`; returns null when it cannot. */
  readText?: (path: string) => string | null;
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `"$HOME/Videos"` or `"/abs/path"` as xdg-user-dirs writes them; null for anything else. */
function expandXdg(value: string, home: string): string | null {
  const unquoted = value.trim().replace(/^"(.*)"$/, '$1');
  const expanded = unquoted.replace(/^\$HOME(?=\/|$)/, home);
  if (!isAbsolute(expanded)) return null;
  // Set to $HOME itself means "disabled" in the XDG spec.
  if (expanded.replace(/\/+$/, '') === home.replace(/\/+$/, '')) return null;
  return expanded;
}

/**
 * The user's Videos folder without Electron (the shell passes `app.getPath('videos')` instead):
 * Windows `%USERPROFILE%\Videos`, macOS `~/Movies`, elsewhere the XDG videos directory —
 * `XDG_VIDEOS_DIR`, else `XDG_VIDEOS_DIR` in `$XDG_CONFIG_HOME/user-dirs.dirs` (`~/.config`), else `~/Videos`.
 */
export function defaultVideosFolder({ platform = process.platform, env = process.env, home = homedir(), readText = readTextOrNull }: VideosFolderLookup = {}): string {
  if (platform === 'win32') return join(env.USERPROFILE?.trim() || home, 'Videos');
  if (platform === 'darwin') return join(home, 'Movies');
  const fromEnv = env.XDG_VIDEOS_DIR ? expandXdg(env.XDG_VIDEOS_DIR, home) : null;
  if (fromEnv) return fromEnv;
  const configHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  const text = readText(join(configHome, 'user-dirs.dirs'));
  for (const line of text?.split(/\r?\n/) ?? []) {
    const match = /^\s*XDG_VIDEOS_DIR\s*=\s*(.+?)\s*$/.exec(line);
    const folder = match ? expandXdg(match[1]!, home) : null;
    if (folder) return folder;
  }
  return join(home, 'Videos');
}
