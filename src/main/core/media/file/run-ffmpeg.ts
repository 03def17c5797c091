import { spawn } from 'node:child_process';

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

/** Runs ffmpeg to the end (stdin closed, no shell), killed after `timeoutMs` or on `signal`. Never rejects. */
export function runFfmpeg(path: string, args: string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let partial = '';
    const proc = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    if (proc.pid) options.onSpawn?.(proc.pid);
    const kill = () => proc.kill('SIGKILL');
    const timer = setTimeout(kill, options.timeoutMs);
    timer.unref();
    if (options.signal?.aborted) kill();
    options.signal?.addEventListener('abort', kill, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
    };
    const add = (line: string) => {
      if (!line.trim()) return;
      lines.push(line.trimEnd());
      options.onLine?.(line.trimEnd());
    };
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      for (const line of parts) add(line);
      lines.splice(0, Math.max(0, lines.length - LINES_KEPT));
    });
    proc.once('error', (error) => {
      done();
      resolve({ code: -1, signal: null, lines: [...lines, `spawn failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`] });
    });
    proc.once('close', (code, signal) => {
      done();
      if (partial.trim()) add(partial);
      resolve({ code, signal, lines });
    });
  });
}
