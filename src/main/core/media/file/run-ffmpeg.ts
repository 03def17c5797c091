import { spawn } from 'node:child_process';

export interface FfmpegRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg printed on stderr. */
  lines: string[];
}

const LINES_KEPT = 20;

/** Runs ffmpeg to the end (stdin closed, no shell), killed after `timeoutMs`. Never rejects. */
export function runFfmpeg(path: string, args: string[], options: { timeoutMs: number; onSpawn?: (pid: number) => void }): Promise<FfmpegRun> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let partial = '';
    const proc = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    if (proc.pid) options.onSpawn?.(proc.pid);
    const timer = setTimeout(() => proc.kill('SIGKILL'), options.timeoutMs);
    timer.unref();
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) lines.push(line.trimEnd());
      lines.splice(0, Math.max(0, lines.length - LINES_KEPT));
    });
    proc.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, signal: null, lines: [...lines, `spawn failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`] });
    });
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      if (partial.trim()) lines.push(partial.trimEnd());
      resolve({ code, signal, lines });
    });
  });
}
