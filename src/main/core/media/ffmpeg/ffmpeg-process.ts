/**
 * One ffmpeg child process, the way every output of the media plane runs one: spawned without a
 * shell, fed on stdin through a bounded queue that honours the pipe's backpressure, its stderr
 * kept as the last lines (for the failure message), its `-progress` blocks parsed, and ended by
 * "finish what you have, else be killed". The outputs (HLS, RTMP, file, the audio stage) decide
 * what a full queue or an exit means; this file only runs the process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { type ProgressBlock, ProgressParser } from './progress';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The spawn itself failed (ENOENT, EACCES…): ffmpeg never ran. */
  spawnError: string | null;
}

export interface FfmpegProcessOptions {
  path: string;
  args: readonly string[];
  /**
   * What ffmpeg writes on stdout: `data` (the output bytes: `onData`), `lines` (text: `onStdoutLine`),
   * `progress` (`-progress pipe:1`: `onProgress`), or `ignore`.
   */
  stdout?: 'data' | 'lines' | 'progress' | 'ignore';
  /** `-progress pipe:3`: a fourth pipe carries the progress blocks (stdout stays free). */
  progressOnFd3?: boolean;
  /** Bytes the stdin queue (ours + the pipe's buffer) may hold before `write` says the process is behind. */
  maxQueueBytes: number;
  /** stderr lines kept for `lines()`; default 60. */
  linesKept?: number;
  /** Applied to every stderr line before it is kept or handed on (the RTMP output masks its stream key). */
  redact?: (line: string) => string;
  onLine?: (line: string) => void;
  onStdoutLine?: (line: string) => void;
  onData?: (chunk: Buffer) => void;
  onProgress?: (block: ProgressBlock) => void;
}

/**
 * `write`'s answer: taken (`written`, or `queued` behind the pipe), or refused — `behind` (the queue
 * is full) or `closed` (ffmpeg is ending, gone, or closed its stdin: its exit will say why).
 */
export type WriteResult = 'written' | 'queued' | 'behind' | 'closed';

const LINES_KEPT = 60;

export class FfmpegProcess {
  /** Resolves once the process is gone and its pipes are closed (never rejects). */
  readonly exited: Promise<FfmpegExit>;
  /** True once the process runs; false when it could not be started (`exited` says why). */
  readonly started: Promise<boolean>;
  private readonly proc: ChildProcess;
  private readonly kept: string[] = [];
  private readonly linesKept: number;
  private queue: Buffer[] = [];
  private queued = 0;
  private waitingDrain = false;
  private ending = false;
  private exit: FfmpegExit | null = null;

  constructor(private readonly options: FfmpegProcessOptions) {
    this.linesKept = options.linesKept ?? LINES_KEPT;
    const stdout = options.stdout ?? 'ignore';
    const stdio: Array<'pipe' | 'ignore'> = ['pipe', stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'];
    if (options.progressOnFd3) stdio.push('pipe');
    let spawnError: string | null = null;
    // No shell: the arguments are never parsed by one (a stream key or a path cannot inject anything).
    this.proc = spawn(options.path, [...options.args], { stdio, windowsHide: true, shell: false });
    this.exited = new Promise((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        this.exit = { code, signal, spawnError };
        this.queue = [];
        this.queued = 0;
        resolve(this.exit);
      };
      this.proc.once('error', (error: NodeJS.ErrnoException) => {
        spawnError = error.code ?? error.message;
        // Never started (no pid): there may be no 'close' to wait for.
        if (this.proc.pid === undefined) settle(null, null);
      });
      // 'close' comes once stdout and stderr were read to their end (the last line ffmpeg printed as
      // it exited is handed on first). A grandchild holding the pipes open must not hold it back long.
      this.proc.once('exit', (code, signal) => setTimeout(() => settle(code, signal), 1_000).unref());
      this.proc.once('close', settle);
    });
    this.started = new Promise((resolve) => {
      this.proc.once('spawn', () => resolve(true));
      void this.exited.then(() => resolve(false));
    });
    // EPIPE when ffmpeg exits first: the exit says why.
    this.proc.stdin?.on('error', () => {});
    this.proc.stdin?.on('drain', () => this.drain());
    const redact = options.redact ?? ((line: string) => line);
    this.readLines(this.proc.stderr, (raw) => {
      const line = redact(raw);
      if (!line.trim()) return;
      this.kept.push(line);
      if (this.kept.length > this.linesKept) this.kept.shift();
      options.onLine?.(line);
    });
    if (stdout === 'data') this.proc.stdout?.on('data', (chunk: Buffer) => options.onData?.(chunk));
    if (stdout === 'lines') this.readLines(this.proc.stdout, (line) => options.onStdoutLine?.(line));
    const progressPipe = stdout === 'progress' ? this.proc.stdout : options.progressOnFd3 ? (this.proc.stdio[3] as Readable | null) : null;
    if (progressPipe) {
      const parser = new ProgressParser((block) => options.onProgress?.(block));
      progressPipe.setEncoding('utf8');
      progressPipe.on('data', (chunk: string) => parser.push(chunk));
    }
  }

  get pid(): number | null {
    return this.proc.pid ?? null;
  }

  /** Still running (not exited). */
  get running(): boolean {
    return this.exit === null;
  }

  /** Bytes given to `write` that ffmpeg has not read yet (our queue + the pipe's buffer). */
  get queuedBytes(): number {
    const stdin = this.proc.stdin;
    return this.queued + (stdin && !stdin.destroyed ? stdin.writableLength : 0);
  }

  /** The last stderr lines, oldest first. */
  lines(): string[] {
    return [...this.kept];
  }

  /** Would `bytes` more fit in the queue? */
  fits(bytes: number): boolean {
    return this.queuedBytes + bytes <= this.options.maxQueueBytes;
  }

  /**
   * Hands ffmpeg the next bytes; never blocks, never throws. The bytes are kept as they are (not
   * copied). `behind`: the queue would pass `maxQueueBytes`, nothing was taken — the output decides
   * what that means (refuse the chunk, or end this process and start over).
   */
  write(bytes: Uint8Array): WriteResult {
    const stdin = this.proc.stdin;
    if (this.ending || !this.running || !stdin || stdin.destroyed || !stdin.writable) return 'closed';
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!this.fits(buffer.length) && this.queuedBytes > 0) return 'behind';
    if (this.waitingDrain) {
      this.queue.push(buffer);
      this.queued += buffer.length;
      return 'queued';
    }
    if (!stdin.write(buffer)) {
      this.waitingDrain = true;
      return 'queued';
    }
    return 'written';
  }

  /**
   * Lets ffmpeg finish: what is queued is written (unless `flush` is false: it is dropped), stdin is
   * closed, and ffmpeg has `timeoutMs` to write its last bytes and exit before it is killed.
   * Resolves with the exit (never rejects).
   */
  async end(timeoutMs: number, { flush = true }: { flush?: boolean } = {}): Promise<FfmpegExit> {
    if (!this.ending && this.running) {
      this.ending = true;
      const stdin = this.proc.stdin;
      if (stdin && !stdin.destroyed) {
        if (flush) for (const buffer of this.queue) stdin.write(buffer);
        stdin.end();
      }
      this.queue = [];
      this.queued = 0;
    }
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends ffmpeg now (SIGKILL); what is queued is dropped. Resolves with the exit. */
  kill(): Promise<FfmpegExit> {
    this.ending = true;
    this.queue = [];
    this.queued = 0;
    if (this.running) this.proc.kill('SIGKILL');
    return this.exited;
  }

  private drain(): void {
    const stdin = this.proc.stdin;
    if (!stdin || this.ending) return;
    this.waitingDrain = false;
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.queued -= next.length;
      if (!stdin.write(next)) {
        this.waitingDrain = true;
        return;
      }
    }
  }

  private readLines(stream: Readable | null | undefined, onLine: (line: string) => void): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) onLine(line.trimEnd());
    });
    stream.once('end', () => {
      if (partial.trim()) onLine(partial.trimEnd());
      partial = '';
    });
  }
}
