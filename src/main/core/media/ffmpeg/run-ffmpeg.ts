import { FfmpegProcess } from './ffmpeg-process';

export interface FfmpegRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg printed on stderr. */
  lines: string[];
}

export interface RunFfmpegOptions {
  timeoutMs: number;
  onSpawn?: (pid: number) => void;
  /** Every stderr line, as it comes. */
  onLine?: (line: string) => void;
  /** Aborted: ffmpeg is killed (SIGKILL) at once. */
  signal?: AbortSignal;
}

const LINES_KEPT = 20;

/** Runs ffmpeg to the end (no input: stdin is closed at once), killed after `timeoutMs` or on `signal`. Never rejects. */
export async function runFfmpeg(path: string, args: string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  const ffmpeg = new FfmpegProcess({ path, args, maxQueueBytes: 0, linesKept: LINES_KEPT, onLine: options.onLine });
  if (ffmpeg.pid) options.onSpawn?.(ffmpeg.pid);
  const abort = () => void ffmpeg.kill();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const exit = await ffmpeg.end(options.timeoutMs);
    if (exit.spawnError) return { code: -1, signal: null, lines: [...ffmpeg.lines(), `spawn failed: ${exit.spawnError}`] };
    return { code: exit.code, signal: exit.signal, lines: ffmpeg.lines() };
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
