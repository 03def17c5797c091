/**
 * Hands ffmpeg the stream key without putting it on its command line (which any local user can
 * read with `ps` on Linux and macOS): ffmpeg reads an "ffpreset" file given with `-fpre <path>`
 * — `key=value` lines applied as options of the output that follows (ffmpeg 5.1 … 7.x) — here
 * `rtmp_app` and `rtmp_playpath` (the key), the RTMP protocol's own options. The path is a named
 * pipe (FIFO, mode 0600, in a private 0700 folder): the lines go through the kernel, never onto
 * a disk, and the FIFO is removed as soon as ffmpeg has read them (or has exited).
 *
 * Windows has no FIFOs (and a named pipe's default ACL lets other users connect): there the key
 * stays in the URL argument (see README, Destinations).
 */
import { constants, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFifo } from '../ffmpeg/make-fifo';
import { ownerAlive } from '../process-owner';

/** `onair-key-<pid>-XXXXXX`: the studio process that made the folder is in its name (see sweepKeyFifos). */
const FOLDER_PREFIX = 'onair-key-';

export interface KeyFifo {
  /** Give this to ffmpeg as `-fpre <path>`, before the output URL. */
  readonly path: string;
  /** Writes the lines once ffmpeg opened the FIFO; resolves true when they went, false when ffmpeg never read them. */
  readonly delivered: Promise<boolean>;
  /** ffmpeg exited (or will not be started): stop waiting and remove the FIFO. */
  close(): void;
}

/** The options ffmpeg gets from the FIFO: the RTMP application (the server URL's path) and the key. */
export function presetLines(serverUrl: string, key: string): string {
  const app = rtmpApp(serverUrl);
  return `${app ? `rtmp_app=${app}\n` : ''}rtmp_playpath=${key}\n`;
}

/** The RTMP application of a server URL: its path without the slashes around it (`live2`, `app`, `rtmp`). */
export function rtmpApp(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.pathname.replace(/^\/+|\/+$/g, '')}${url.search}`;
}

/** Whether this platform takes the key through a FIFO (everything but Windows). */
export function keyFifoSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

/** A FIFO that gives `lines` to the first reader. Rejects when no FIFO can be made (no `mkfifo`). */
export async function createKeyFifo(lines: string, options: { pollMs?: number; giveUpMs?: number } = {}): Promise<KeyFifo> {
  const dir = mkdtempSync(join(tmpdir(), `${FOLDER_PREFIX}${process.pid}-`));
  const path = join(dir, 'preset');
  try {
    await makeFifo(path);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const pollMs = options.pollMs ?? 10;
  const giveUpAt = Date.now() + (options.giveUpMs ?? 15_000);
  const delivered = (async (): Promise<boolean> => {
    try {
      // Non-blocking: opening for writing fails (ENXIO) until ffmpeg opened it for reading.
      for (;;) {
        if (closed || Date.now() > giveUpAt) return false;
        try {
          const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
          try {
            await handle.write(lines);
          } finally {
            await handle.close();
          }
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENXIO') return false;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    } finally {
      remove();
    }
  })();
  return {
    path,
    delivered,
    close: () => {
      closed = true;
    },
  };
}

/**
 * An ffmpeg that a killed studio left blocked opening its key FIFO (it reads the preset only after
 * probing its input, so a studio killed in between never wrote it): this line makes it exit at
 * once (ffmpeg refuses an unknown preset option) instead of publishing without a key.
 */
export const ABANDONED_PRESET_LINE = 'onair_abandoned_by_a_killed_studio=1\n';

/**
 * At start-up: removes the key FIFO folders (`onair-key-<pid>-*` in `dir`, the temp folder) whose
 * studio process is provably gone (killed before it could remove them). An ffmpeg of that run
 * still blocked opening the FIFO is released first, with a line that makes it exit. Folders of
 * running processes — other studios, parallel tests — are left alone. Returns the folders removed.
 */
export async function sweepKeyFifos(dir: string = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = new RegExp(`^${FOLDER_PREFIX}(\\d+)-[^/]+$`).exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || ownerAlive({ pid })) continue;
    const folder = join(dir, name);
    // Only a real folder of this user (not a link someone put in a shared temp folder), and only its FIFO.
    if (!ownedBy(folder, 'directory')) continue;
    try {
      const preset = join(folder, 'preset');
      if (!ownedBy(preset, 'fifo')) throw new Error('no FIFO');
      // Non-blocking: ENXIO when no reader waits (the usual case), else the stranded ffmpeg gets the line.
      const handle = await open(preset, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      try {
        await handle.write(ABANDONED_PRESET_LINE);
      } finally {
        await handle.close();
      }
    } catch {
      // No reader, no FIFO, or not ours to open.
    }
    try {
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Another user's folder: not ours to remove.
    }
  }
  return removed;
}

function ownedBy(path: string, kind: 'directory' | 'fifo'): boolean {
  try {
    const info = lstatSync(path);
    const uid = process.getuid?.();
    return (kind === 'directory' ? info.isDirectory() : info.isFIFO()) && (uid === undefined || info.uid === uid);
  } catch {
    return false;
  }
}
