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
import { execFile } from 'node:child_process';
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const dir = mkdtempSync(join(tmpdir(), 'onair-key-'));
  const path = join(dir, 'preset');
  try {
    await new Promise<void>((resolve, reject) => execFile('mkfifo', ['-m', '600', path], (error) => (error ? reject(error) : resolve())));
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
