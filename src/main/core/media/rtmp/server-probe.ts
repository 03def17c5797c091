import { connect } from 'node:net';

/** host and port an `rtmp://` / `rtmps://` server URL connects to (1935 / 443 when none is given). */
export function serverAddress(serverUrl: string): { host: string; port: number } | null {
  try {
    const url = new URL(serverUrl);
    const port = url.port ? Number(url.port) : url.protocol === 'rtmps:' ? 443 : url.protocol === 'rtmp:' ? 1935 : NaN;
    if (!url.hostname || !Number.isInteger(port)) return null;
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return null;
  }
}

/**
 * While a dropped destination waits for its next retry: a plain TCP connect to its server every
 * `everyMs` (closed at once, nothing sent). When the server was unreachable and answers again —
 * the network or the ingest is back — `onBack` fires once, so the output reconnects at once
 * instead of sleeping out a backoff that may have grown to many seconds. A server that always
 * answers (the drop was something else) never fires it: the backoff stands.
 */
export class ServerProbe {
  private timer: NodeJS.Timeout | null = null;
  private wasDown = false;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly everyMs: number,
    private readonly onBack: () => void,
    private readonly timeoutMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.busy || this.stopped) return;
    this.busy = true;
    const socket = connect({ host: this.address.host, port: this.address.port });
    const done = (reachable: boolean) => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      this.busy = false;
      if (this.stopped) return;
      if (!reachable) this.wasDown = true;
      else if (this.wasDown) {
        this.stop();
        this.onBack();
      }
    };
    socket.setTimeout(this.timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  }
}
