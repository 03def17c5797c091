import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { type ErrorCode, StudioError } from '../../../../shared/errors';

/** Why a program was not accepted as ffmpeg. */
export type FfmpegProblem = 'not_found' | 'not_executable' | 'not_ffmpeg' | 'timeout';

const CODES: Record<FfmpegProblem, ErrorCode> = {
  not_found: 'ffmpeg.not_found',
  not_executable: 'ffmpeg.not_executable',
  not_ffmpeg: 'ffmpeg.not_ffmpeg',
  timeout: 'ffmpeg.timeout',
};

export interface FfmpegCheckOptions {
  /** How long `<path> -version` may take; default 5 s. */
  timeoutMs?: number;
  /** Output beyond this (stdout or stderr) means it is not ffmpeg; default 64 KiB. */
  maxOutputBytes?: number;
  platform?: NodeJS.Platform;
}

type Verdict = { ok: true } | { ok: false; problem: FfmpegProblem; message: string };

/** Verdicts kept; the oldest goes first. */
const CACHE_SIZE = 32;

/**
 * Accepts a program as ffmpeg only when `<path> -version` (run directly, no shell, stdin closed,
 * bounded in time and output) prints a first line starting with `ffmpeg version`. The studio
 * pipes the renderer's media into whatever it accepts, so a path that is any other program is
 * refused, saying why. A verdict is kept per (path, mtime, size): a file that changed is run again.
 */
export class FfmpegChecker {
  private readonly cache = new Map<string, Promise<Verdict>>();
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private readonly platform: NodeJS.Platform;

  constructor(options: FfmpegCheckOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxOutputBytes = options.maxOutputBytes ?? 64 * 1024;
    this.platform = options.platform ?? process.platform;
  }

  /** Resolves when `path` is ffmpeg; otherwise fails with `ffmpeg.not_found|not_executable|not_ffmpeg|timeout`. */
  async check(path: string): Promise<void> {
    const verdict = await this.verdict(path);
    if (!verdict.ok) throw new StudioError(CODES[verdict.problem], verdict.message, { reason: verdict.problem });
  }

  private async verdict(path: string): Promise<Verdict> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return refuse('not_found', `No program was found at ${path}.`);
    }
    if (!info.isFile()) return refuse('not_executable', `${path} is not a program file.`);
    if (this.platform !== 'win32') {
      try {
        await access(path, constants.X_OK);
      } catch {
        return refuse('not_executable', `${path} is not executable.`);
      }
    }
    const key = `${path}\0${info.mtimeMs}\0${info.size}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const running = this.run(path);
    this.cache.set(key, running);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    const verdict = await running;
    // A slow answer may be a busy machine: ask again next time.
    if (!verdict.ok && verdict.problem === 'timeout') this.cache.delete(key);
    return verdict;
  }

  private run(path: string): Promise<Verdict> {
    return new Promise<Verdict>((resolve) => {
      let settled = false;
      const settle = (verdict: Verdict) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(verdict);
      };
      const child = execFile(
        path,
        ['-version'],
        { shell: false, windowsHide: true, maxBuffer: this.maxOutputBytes, killSignal: 'SIGKILL', encoding: 'utf8' },
        (error, stdout) => {
          if (!error) {
            const first = String(stdout).split(/\r?\n/, 1)[0] ?? '';
            settle(first.startsWith('ffmpeg version') ? { ok: true } : notFfmpeg(path, first));
            return;
          }
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') settle(refuse('not_found', `No program was found at ${path}.`));
          else if (code === 'EACCES' || code === 'EPERM' || code === 'ENOEXEC') settle(refuse('not_executable', `${path} cannot be run as a program.`));
          else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') settle(refuse('not_ffmpeg', `${path} is not ffmpeg: "-version" printed more than ffmpeg ever does.`));
          else settle(notFfmpeg(path, String(stdout).split(/\r?\n/, 1)[0] ?? ''));
        },
      );
      // `-version` reads nothing: the program gets end-of-input at once, never any bytes.
      child.stdin?.end();
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(refuse('timeout', `${path} -version did not answer within ${Math.round(this.timeoutMs / 100) / 10} s, so it was not accepted as ffmpeg.`));
      }, this.timeoutMs);
      timer.unref?.();
    });
  }
}

function refuse(problem: FfmpegProblem, message: string): Verdict {
  return { ok: false, problem, message };
}

function notFfmpeg(path: string, firstLine: string): Verdict {
  // eslint-disable-next-line no-control-regex
  const shown = firstLine.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 80);
  return refuse('not_ffmpeg', `${path} is not ffmpeg: "${path} -version" does not start with "ffmpeg version"${shown ? ` (it printed "${shown}")` : ''}.`);
}

/** The studio's one checker: the settings and the packager share its verdicts. */
export const ffmpegChecker = new FfmpegChecker();
