/**
 * One RTMP/RTMPS push: an ffmpeg that reads the program feed on stdin (fragmented MP4 or
 * MPEG-TS), copies the video, turns the audio into AAC 48 kHz and publishes FLV to one
 * destination. No Electron, no Twilio: the media plane owns one of these per destination.
 *
 *   off → connecting → live ⇄ reconnecting {attempt, nextTryInMs} → failed {reason}
 *
 * - A first connect that fails is `failed` at once, never looped: `key_rejected` when the server
 *   accepted the connection and closed it before publishing started (what nginx-rtmp, Twitch, …
 *   do with a wrong key; ffmpeg only says "Input/output error"), `unreachable`, `tls_untrusted`, …
 * - A stream that drops after going live reconnects on its own with backoff (ReconnectPolicy);
 *   `reconnectNow()` skips the wait. Except a late rejection: a server that accepts the publish
 *   and closes the connection within `lateRejectWindowMs` of it, on `lateRejectAttempts`
 *   attempts in a row, fails as `rejected_after_publish` (some platforms check the key or the
 *   stream's setup only after accepting it), instead of looping for ever.
 * - A stall (bytes given to ffmpeg but no progress for `stallMs`) and an output that falls more
 *   than `maxQueueBytes` behind count as a drop: ffmpeg is killed and the output reconnects.
 *   `write()` never blocks and never throws, so one output cannot hold up another.
 * - The stream key never leaves this module in clear: every log line, message, state and health
 *   object goes through the key masker. On Linux and macOS it is not on ffmpeg's command line
 *   either (`ps`): ffmpeg reads it from a FIFO (`key-fifo.ts`); on Windows it is in the URL argument.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_RECONNECT, reconnectDelay, type ReconnectPolicy } from './backoff';
import { ServerProbe, serverAddress } from './server-probe';
import { FeedJoin } from '../feed/feed-join';
import type { FeedPiece } from '../feed/feed-piece';
import { createKeyFifo, type KeyFifo, keyFifoSupported, presetLines } from './key-fifo';
import { keyMasker, maskKey, publishUrl } from './mask';
import { FfmpegProcess } from '../ffmpeg/ffmpeg-process';
import type { ProgressBlock } from '../ffmpeg/progress';
import { type MediaOutputEvents, OutputBase } from '../output';

export type RtmpFailureReason =
  /** The server closed the connection right after publish: almost always a wrong or expired stream key. */
  | 'key_rejected'
  /** No TCP connection (refused, no route, name not resolved). */
  | 'unreachable'
  /** RTMPS: the server's certificate did not verify against the CA bundle. */
  | 'tls_untrusted'
  /** RTMPS: another TLS error (handshake, protocol). */
  | 'tls_failed'
  /** No publish within `connectTimeoutMs` of the first bytes. */
  | 'timeout'
  /**
   * The server accepted the publish, then closed the connection within seconds, on attempts in a
   * row: a key it refuses late, or a stream not set up on the platform. Not retried.
   */
  | 'rejected_after_publish'
  /** The connection dropped while live. */
  | 'connection_lost'
  /** Bytes were given to ffmpeg but nothing was sent for `stallMs`. */
  | 'stalled'
  /** The output fell more than `maxQueueBytes` behind the feed. */
  | 'behind'
  /** ffmpeg could not read the feed. */
  | 'input_invalid'
  /** ffmpeg could not be started. */
  | 'spawn_failed'
  /** `resolveFfmpeg` found no ffmpeg. */
  | 'ffmpeg_missing'
  /** `resolveFfmpeg` found a program that the ffmpeg check refused. */
  | 'ffmpeg_refused'
  | 'ffmpeg_failed'
  /** Reconnecting gave up after `maxRetries` attempts. */
  | 'retries_exhausted';

export type RtmpOutputState =
  | { state: 'off' }
  | { state: 'connecting'; attempt: number }
  | { state: 'live'; since: number }
  | { state: 'reconnecting'; attempt: number; nextTryInMs: number; lastError: RtmpFailureReason }
  | { state: 'failed'; reason: RtmpFailureReason; message: string };

export interface RtmpOutputHealth {
  state: RtmpOutputState['state'];
  /** Server URL + masked key, for display. */
  target: string;
  bitrateKbps: number;
  fps: number;
  frames: number;
  droppedFrames: number;
  /** Time live on the current connection. */
  uptimeMs: number;
  /** Times the output went from a dropped stream back to live. */
  reconnects: number;
  /** ffmpeg processes started (connection attempts) since `start()`. */
  attempts: number;
  bytesSent: number;
  /** Bytes waiting for ffmpeg's stdin (ours + the pipe's buffer). */
  queuedBytes: number;
  /** Feed bytes not delivered: while reconnecting, or thrown away when the output fell behind. */
  droppedBytes: number;
  lastError: RtmpFailureReason | null;
}

export interface RtmpOutputOptions {
  ffmpegPath: string;
  /**
   * Resolves (and checks: `ffmpegChecker.check`) the ffmpeg right before every spawn; replaces
   * `ffmpegPath` when given. A StudioError `media.ffmpeg_missing` fails as `ffmpeg_missing`, any
   * other error as `ffmpeg_refused`.
   */
  resolveFfmpeg?: () => Promise<string>;
  /** `aac` (default): transcode the feed's audio; `copy`: the feed already carries AAC (a shared audio stage). */
  audioCodec?: 'aac' | 'copy';
  /** ffmpeg input probing (`-probesize`, `-analyzeduration` µs) for a feed whose codecs are known. */
  probe?: { probesize: number; analyzeDurationUs: number };
  /** `rtmp://host[:port]/app` or `rtmps://…`; the key is appended as the last path segment. */
  serverUrl: string;
  streamKey: string;
  /** The feed's container (`-f`); ffmpeg probes it when omitted. */
  inputFormat?: 'mp4' | 'mpegts';
  audioBitrateKbps?: number;
  /**
   * RTMPS: the CA bundle to verify the server against. Default: the system bundle where one is
   * known (Linux, macOS), else the TLS backend's own system store. Certificates are always verified.
   */
  caFile?: string | null;
  reconnect?: Partial<ReconnectPolicy>;
  /** A live stream with bytes waiting but no progress for this long counts as dropped. Default 10 s. */
  stallMs?: number;
  /** Publishing must start within this long of the first bytes. Default 20 s. */
  connectTimeoutMs?: number;
  /**
   * A run the server ends (not a stall, not behind, not us) less than this long after it went
   * live — after ffmpeg's first progress report, which comes once the publish was accepted and
   * the output opened — is a short run. Default 5 s.
   */
  lateRejectWindowMs?: number;
  /** Short runs in a row that fail as `rejected_after_publish`. Default 2; 1 for a destination's Reconnect now after it. */
  lateRejectAttempts?: number;
  /** Bytes an output may hold for its ffmpeg before it counts as behind. Default 16 MiB. */
  maxQueueBytes?: number;
  /** How long `stop()` lets ffmpeg finish the stream before killing it. Default 3 s. */
  stopTimeoutMs?: number;
  /** The TCP send buffer ffmpeg asks for (SO_SNDBUF). Default 512 KiB. */
  sendBufferBytes?: number;
  /** ffmpeg `-stats_period`. Default 1000 ms. */
  progressPeriodMs?: number;
  /**
   * While waiting to reconnect, how often to check with a TCP connect whether an unreachable server
   * answers again (then the retry starts at once). Default 500 ms; 0 = wait out the backoff.
   */
  serverProbeMs?: number;
  random?: () => number;
  now?: () => number;
}

/** The output contract's events; `log` lines are masked. */
export type RtmpOutputEvents = MediaOutputEvents<RtmpOutputState, RtmpOutputHealth>;

/** Where the system's CA bundle usually is; the first that exists is passed as `-ca_file`. */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

export function systemCaBundle(platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') return null;
  return SYSTEM_CA_BUNDLES.find((path) => existsSync(path)) ?? null;
}

const MESSAGES: Record<RtmpFailureReason, string> = {
  key_rejected: 'The server closed the connection right after publish: the stream key was rejected. Copy the current key from the platform and try again.',
  rejected_after_publish:
    'The server accepted the stream and closed it again within seconds, twice in a row: the stream key may be wrong or expired, or the stream is not set up on the platform.',
  unreachable: 'Could not connect to the server. Check the server URL and your network.',
  tls_untrusted: "The server's TLS certificate could not be verified.",
  tls_failed: 'The secure (RTMPS) connection could not be set up.',
  timeout: 'The server did not start the stream in time.',
  connection_lost: 'The connection to the server was lost.',
  stalled: 'The connection stalled: nothing was sent for too long.',
  behind: 'The connection is too slow for the stream: it fell behind.',
  input_invalid: 'The program feed could not be read.',
  spawn_failed: 'ffmpeg could not be started.',
  ffmpeg_missing: 'ffmpeg was not found.',
  ffmpeg_refused: 'The program set as ffmpeg was refused by the ffmpeg check.',
  ffmpeg_failed: 'ffmpeg stopped with an error.',
  retries_exhausted: 'Reconnecting failed too many times.',
};

/** Reasons that a reconnect does not retry: the feed or ffmpeg itself is the problem. */
const NOT_RETRIED: ReadonlySet<RtmpFailureReason> = new Set(['input_invalid', 'spawn_failed', 'ffmpeg_missing', 'ffmpeg_refused']);

/** What ffmpeg's (masked) log says about a run that ended before publishing started. */
export function classifyExit(lines: readonly string[], tcpConnected: boolean): RtmpFailureReason {
  const text = lines.join('\n').toLowerCase();
  if (text.includes('certificate') && /(fail|not trusted|verif|expired|invalid|unknown|does not match)/.test(text)) return 'tls_untrusted';
  if (/\[tls @|gnutls|ssl_|tls handshake|handshake failed/.test(text) && /(error|fail)/.test(text)) return 'tls_failed';
  if (/connection refused|network is unreachable|no route to host|name or service not known|failed to resolve|temporary failure in name resolution|connection timed out|host is down/.test(text)) {
    return 'unreachable';
  }
  if (/pipe:0?: invalid data|invalid data found when processing input|error opening input|could not find codec parameters|moov atom not found/.test(text)) {
    return 'input_invalid';
  }
  if (tcpConnected && /input\/output error|end of file|broken pipe|connection reset/.test(text)) return 'key_rejected';
  return 'ffmpeg_failed';
}

interface Run {
  ffmpeg: FfmpegProcess;
  /** Takes the feed from the first piece, or (a run after the feed began) from a boundary piece and its init segment. */
  join: FeedJoin;
  tcpConnected: boolean;
  live: boolean;
  liveSince: number;
  firstFedAt: number | null;
  lastFedAt: number;
  lastAdvanceAt: number;
  lastTotalSize: number;
  /** Why we ended it ourselves (stall, behind, timeout, stop). */
  endedBy: RtmpFailureReason | 'stop' | null;
}

const LOG_LINES_KEPT = 60;

export class RtmpOutput extends OutputBase<RtmpOutputState, RtmpOutputHealth> {
  private readonly mask: (text: string) => string;
  private readonly policy: ReconnectPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly stallMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxQueueBytes: number;
  private readonly stopTimeoutMs: number;
  private readonly lateRejectWindowMs: number;
  private readonly lateRejectAttempts: number;
  private readonly progressPeriodMs: number;
  private readonly sendBufferBytes: number;
  private readonly target: string;

  private run: Run | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private probe: ServerProbe | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopping: Promise<RtmpOutputState> | null = null;
  /** True while reconnecting after a drop (retries allowed); false for the first connect. */
  private recovering = false;
  private retryAttempt = 0;
  /** Runs in a row that the server ended soon after they went live (see `lateRejectWindowMs`). */
  private shortRuns = 0;
  private attempts = 0;
  private reconnects = 0;
  private droppedBytes = 0;
  private lastError: RtmpFailureReason | null = null;
  private lastProgress: ProgressBlock | null = null;
  private feedStarted = false;
  /** Tells a resolved ffmpeg path that its connect attempt is still the current one. */
  private connectToken = 0;

  constructor(private readonly options: RtmpOutputOptions) {
    super({ state: 'off' });
    this.mask = keyMasker(options.streamKey);
    this.policy = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.stallMs = options.stallMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.maxQueueBytes = options.maxQueueBytes ?? 16 * 1024 * 1024;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 3_000;
    this.lateRejectWindowMs = options.lateRejectWindowMs ?? 5_000;
    this.lateRejectAttempts = Math.max(1, options.lateRejectAttempts ?? 2);
    this.progressPeriodMs = options.progressPeriodMs ?? 1_000;
    this.sendBufferBytes = options.sendBufferBytes ?? 512 * 1024;
    this.target = `${options.serverUrl.replace(/\/+$/, '')}/${maskKey(options.streamKey)}`;
  }

  /** Server URL + masked key. */
  get displayTarget(): string {
    return this.target;
  }

  /** The running ffmpeg's pid (tests, CPU measurements), or null. */
  processId(): number | null {
    return this.run?.ffmpeg.pid ?? null;
  }

  /** Starts publishing (from `off` or `failed`); no-op while connecting, live or reconnecting. */
  start(): void {
    const state = this.state().state;
    if (this.stopping || (state !== 'off' && state !== 'failed')) return;
    this.recovering = false;
    this.retryAttempt = 0;
    this.shortRuns = 0;
    this.attempts = 0;
    this.reconnects = 0;
    this.lastError = null;
    this.connect();
  }

  /**
   * Hands the output the next piece of the feed, as the fan-out cut it (never cut again here). Never
   * blocks, never throws. The bytes are queued as they are (not copied): do not change them afterwards.
   */
  write(piece: FeedPiece): void {
    this.feedStarted = true;
    const run = this.run;
    const state = this.state().state;
    if (state === 'off' || state === 'failed') return;
    if (!run || run.endedBy || state === 'reconnecting' || !run.join.pass(piece, (taken) => this.feed(run, taken.data))) {
      this.droppedBytes += piece.data.length;
    }
  }

  /** While waiting to reconnect: try now. Returns whether an attempt was started. */
  reconnectNow(): boolean {
    if (this.state().state !== 'reconnecting' || this.stopping) return false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopProbe();
    this.connect();
    return true;
  }

  /** Ends the stream (ffmpeg finishes and closes the connection; killed after `stopTimeoutMs`); resolves with `off`. */
  stop(): Promise<RtmpOutputState> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      this.connectToken += 1;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.stopProbe();
      const run = this.run;
      if (run) {
        run.endedBy = 'stop';
        await run.ffmpeg.end(this.stopTimeoutMs);
      }
      this.stopWatchdog();
      this.run = null;
      this.setState({ state: 'off' });
      return this.state();
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  health(): RtmpOutputHealth {
    const run = this.run;
    const progress = this.lastProgress;
    const state = this.state().state;
    const live = state === 'live' && run?.live;
    return {
      state,
      target: this.target,
      bitrateKbps: live && progress?.bitrateKbps ? progress.bitrateKbps : 0,
      fps: live && progress ? progress.fps : 0,
      frames: progress?.frame ?? 0,
      droppedFrames: progress?.dropFrames ?? 0,
      uptimeMs: live && run ? this.now() - run.liveSince : 0,
      reconnects: this.reconnects,
      attempts: this.attempts,
      bytesSent: progress?.totalSize ?? 0,
      queuedBytes: run ? run.ffmpeg.queuedBytes : 0,
      droppedBytes: this.droppedBytes,
      lastError: this.lastError,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private args(keyFifo: KeyFifo | null): string[] {
    const { serverUrl, streamKey, inputFormat, audioBitrateKbps = 160 } = this.options;
    const tls: string[] = [];
    if (/^rtmps:/i.test(serverUrl)) {
      const caFile = this.options.caFile ?? systemCaBundle();
      tls.push('-tls_verify', '1');
      if (caFile) tls.push('-ca_file', caFile);
    }
    return [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      // verbose: says when the TCP connection is up, which tells a refused key from a refused connection.
      '-loglevel', 'verbose',
      // Progress on stdout (the FLV goes to the network): portable, unlike an extra pipe on Windows.
      '-progress', 'pipe:1',
      '-stats_period', String(this.progressPeriodMs / 1000),
      ...(this.options.probe ? ['-probesize', String(this.options.probe.probesize), '-analyzeduration', String(this.options.probe.analyzeDurationUs)] : []),
      ...(inputFormat ? ['-f', inputFormat] : []),
      '-i', 'pipe:0',
      '-map', '0:v:0',
      '-map', '0:a:0?',
      '-c:v', 'copy',
      ...(this.options.audioCodec === 'copy' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', `${audioBitrateKbps}k`, '-ar', '48000', '-ac', '2']),
      '-f', 'flv',
      '-flvflags', 'no_duration_filesize',
      // A bounded socket buffer: a dead connection then stops ffmpeg within about a second of
      // stream instead of the many seconds an auto-tuned buffer absorbs (the stall check needs that).
      '-send_buffer_size', String(this.sendBufferBytes),
      ...tls,
      // The application and the key as the RTMP protocol's options, read from the FIFO; the URL then has no key.
      ...(keyFifo ? ['-fpre', keyFifo.path, serverUrl.replace(/\/+$/, '')] : [publishUrl(serverUrl, streamKey)]),
    ];
  }

  private connect(): void {
    this.attempts += 1;
    const attempt = this.recovering ? this.retryAttempt : 1;
    this.setState({ state: 'connecting', attempt });
    const token = ++this.connectToken;
    const stale = () => token !== this.connectToken || !!this.stopping || this.state().state !== 'connecting';
    void (async () => {
      let ffmpegPath = this.options.ffmpegPath;
      if (this.options.resolveFfmpeg) {
        try {
          ffmpegPath = await this.options.resolveFfmpeg();
        } catch (error) {
          if (stale()) return;
          const code = (error as { code?: unknown } | null)?.code;
          this.fail(code === 'media.ffmpeg_missing' ? 'ffmpeg_missing' : 'ffmpeg_refused');
          return;
        }
        if (stale()) return;
      }
      const keyFifo = await this.openKeyFifo();
      if (stale()) {
        keyFifo?.close();
        return;
      }
      this.spawnRun(ffmpegPath, keyFifo);
    })();
  }

  /** The FIFO ffmpeg reads the key from; null (the key goes in the URL) on Windows or without `mkfifo`. */
  private async openKeyFifo(): Promise<KeyFifo | null> {
    if (!keyFifoSupported()) return null;
    try {
      return await createKeyFifo(presetLines(this.options.serverUrl, this.options.streamKey));
    } catch {
      this.emit('log', 'could not make a FIFO for the stream key (mkfifo): it is passed on the command line');
      return null;
    }
  }

  private spawnRun(ffmpegPath: string, keyFifo: KeyFifo | null): void {
    const run: Run = {
      ffmpeg: null as unknown as FfmpegProcess,
      join: new FeedJoin(!this.feedStarted),
      tcpConnected: false,
      live: false,
      liveSince: 0,
      firstFedAt: null,
      lastFedAt: 0,
      lastAdvanceAt: this.now(),
      lastTotalSize: 0,
      endedBy: null,
    };
    try {
      run.ffmpeg = new FfmpegProcess({
        path: ffmpegPath,
        args: this.args(keyFifo),
        stdout: 'progress',
        maxQueueBytes: this.maxQueueBytes,
        linesKept: LOG_LINES_KEPT,
        // Every line is masked before it is kept, classified or logged.
        redact: this.mask,
        onLine: (line) => this.logLine(run, line),
        onProgress: (block) => this.onProgress(run, block),
      });
    } catch {
      // The error would carry the arguments (and with them the key): keep only the reason.
      keyFifo?.close();
      this.fail('spawn_failed');
      return;
    }
    this.run = run;
    void run.ffmpeg.exited.then((exit) => {
      keyFifo?.close();
      this.onExit(run, exit.spawnError ? 'spawn_failed' : null);
    });
    this.startWatchdog();
  }

  /** One masked stderr line of the run. */
  private logLine(run: Run, line: string): void {
    if (/successfully connected to/i.test(line)) run.tcpConnected = true;
    this.emit('log', line);
  }

  private onProgress(run: Run, block: ProgressBlock): void {
    if (run !== this.run || run.endedBy) return;
    this.lastProgress = block;
    const now = this.now();
    if (block.totalSize > run.lastTotalSize) {
      run.lastTotalSize = block.totalSize;
      run.lastAdvanceAt = now;
    }
    if (!run.live) {
      // ffmpeg opens the output (RTMP connect + publish accepted) before its first progress report.
      run.live = true;
      run.liveSince = now;
      run.lastAdvanceAt = now;
      if (this.recovering) this.reconnects += 1;
      this.recovering = false;
      this.retryAttempt = 0;
      this.setState({ state: 'live', since: now });
    }
    this.emit('health', this.health());
  }

  private feed(run: Run, data: Buffer): void {
    const result = run.ffmpeg.write(data);
    // `closed`: ffmpeg is on its way out, and its exit says why.
    if (result === 'closed') return;
    if (result === 'behind') {
      this.droppedBytes += data.length;
      this.endRun(run, 'behind');
      return;
    }
    const now = this.now();
    run.firstFedAt ??= now;
    run.lastFedAt = now;
  }

  /** We end a run ourselves (stall, behind, timeout): kill ffmpeg; the exit handler reconnects. */
  private endRun(run: Run, reason: RtmpFailureReason): void {
    if (run.endedBy) return;
    run.endedBy = reason;
    this.droppedBytes += run.ffmpeg.queuedBytes;
    void run.ffmpeg.kill();
  }

  private onExit(run: Run, forced: RtmpFailureReason | null): void {
    if (run !== this.run) return;
    this.run = null;
    if (run.endedBy === 'stop') return; // stop() finishes the story.
    this.stopWatchdog();
    const reason: RtmpFailureReason = forced ?? run.endedBy ?? (run.live ? 'connection_lost' : classifyExit(run.ffmpeg.lines(), run.tcpConnected));
    this.lastError = reason;
    const wasLive = run.live;
    // Ended by the server soon after it accepted the publish: counts towards a late rejection.
    const short = wasLive && forced === null && run.endedBy === null && this.now() - run.liveSince < this.lateRejectWindowMs;
    this.shortRuns = short ? this.shortRuns + 1 : 0;
    if (this.shortRuns >= this.lateRejectAttempts) {
      this.fail('rejected_after_publish');
      return;
    }
    if (!wasLive && !this.recovering) {
      // A first connect that fails is reported, never looped.
      this.fail(reason);
      return;
    }
    if (NOT_RETRIED.has(reason) || !this.policy.enabled) {
      this.fail(reason);
      return;
    }
    this.recovering = true;
    this.scheduleRetry(reason);
  }

  private scheduleRetry(lastError: RtmpFailureReason): void {
    this.retryAttempt += 1;
    if (this.retryAttempt > this.policy.maxRetries) {
      this.fail('retries_exhausted', lastError);
      return;
    }
    const delay = reconnectDelay(this.policy, this.retryAttempt, this.random);
    this.setState({ state: 'reconnecting', attempt: this.retryAttempt, nextTryInMs: delay, lastError });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.stopProbe();
      if (!this.stopping) this.connect();
    }, delay);
    this.startProbe();
  }

  /** Server back before the backoff is over: reconnect now (see ServerProbe). */
  private startProbe(): void {
    this.stopProbe();
    const every = this.options.serverProbeMs ?? 500;
    const address = serverAddress(this.options.serverUrl);
    if (every <= 0 || !address) return;
    this.probe = new ServerProbe(address, every, () => {
      this.probe = null;
      if (this.state().state === 'reconnecting' && this.retryTimer) {
        this.emit('log', 'server reachable again: reconnecting now');
        this.reconnectNow();
      }
    });
    this.probe.start();
  }

  private stopProbe(): void {
    this.probe?.stop();
    this.probe = null;
  }

  private fail(reason: RtmpFailureReason, cause?: RtmpFailureReason): void {
    this.recovering = false;
    this.lastError = cause ?? reason;
    const message = cause ? `${MESSAGES[reason]} Last error: ${MESSAGES[cause]}` : MESSAGES[reason];
    this.setState({ state: 'failed', reason, message: this.mask(message) });
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    const period = Math.max(50, Math.min(500, Math.floor(Math.min(this.stallMs, this.connectTimeoutMs) / 4)));
    this.watchdog = setInterval(() => this.check(), period);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private check(): void {
    const run = this.run;
    if (!run || run.endedBy) return;
    const now = this.now();
    if (!run.live) {
      if (run.firstFedAt !== null && now - run.firstFedAt > this.connectTimeoutMs) this.endRun(run, 'timeout');
      return;
    }
    const waiting = run.ffmpeg.queuedBytes > 0 || run.lastFedAt > run.lastAdvanceAt;
    if (waiting && now - run.lastAdvanceAt > this.stallMs) this.endRun(run, 'stalled');
  }
}
