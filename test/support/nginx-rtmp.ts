/**
 * A real RTMP ingest for tests: Debian's nginx with libnginx-mod-rtmp, run as the test's own
 * process (`daemon off; master_process off;`) with every path inside a temporary folder, on
 * free loopback ports. Beside it:
 * - an `on_publish` hook (a node http server here) that accepts only the keys the test knows
 *   (2xx) and refuses the rest (403), recording every call;
 * - `rtmp_stat all` as XML over http;
 * - an nginx `stream` TLS front for RTMPS with a certificate made at test time (a throw-away CA
 *   and a leaf for localhost/127.0.0.1), and a second TLS front with a self-signed certificate
 *   that no test CA vouches for (to prove verification refuses it).
 * `kill()` / `start()` simulate an ingest crash and restart on the same ports; `close()` ends
 * everything and removes the folder.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createConnection, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULE_DIR = '/usr/lib/nginx/modules';
const RTMP_MODULE = join(MODULE_DIR, 'ngx_rtmp_module.so');
const STREAM_MODULE = join(MODULE_DIR, 'ngx_stream_module.so');

/** Why nginx-rtmp cannot run here, or null when it can (the tests assert this is null). */
export function nginxRtmpMissing(): string | null {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
  if (!nginx) return 'nginx is not installed (apt install nginx libnginx-mod-rtmp libnginx-mod-stream)';
  if (!existsSync(RTMP_MODULE)) return `${RTMP_MODULE} is missing (apt install libnginx-mod-rtmp)`;
  if (!existsSync(STREAM_MODULE)) return `${STREAM_MODULE} is missing (apt install libnginx-mod-stream)`;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'openssl is not installed';
  }
  return null;
}

function nginxBinary(): string {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? 'nginx';
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface PublishCall {
  name: string;
  app: string;
  accepted: boolean;
  at: number;
}

export interface StatStream {
  name: string;
  publishing: boolean;
  bytesIn: number;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
}

export interface TestCertificates {
  /** The CA that signed the RTMPS front's certificate: give it to the output as its CA file. */
  caFile: string;
  leafCert: string;
  leafKey: string;
  /** A self-signed certificate for the same names, trusted by nobody. */
  untrustedCert: string;
  untrustedKey: string;
  /** Signed by the test CA, but for another name (other.example): the host name check must refuse it. */
  otherHostCert: string;
  otherHostKey: string;
}

/** A throw-away CA and a leaf certificate for localhost/127.0.0.1, plus an untrusted self-signed one (openssl CLI). */
export function makeCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=OnAir Studio test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=localhost');
  writeFileSync(file('leaf.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '',
  ].join('\n'));
  openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('leaf.crt'), '-days', '2', '-extfile', file('leaf.ext'));
  openssl('req', ...ec, '-keyout', file('other.key'), '-out', file('other.csr'), '-subj', '/CN=other.example');
  writeFileSync(file('other.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:other.example\n');
  openssl('x509', '-req', '-in', file('other.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('other.crt'), '-days', '2', '-extfile', file('other.ext'));
  openssl('req', '-x509', ...ec, '-keyout', file('self.key'), '-out', file('self.crt'), '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  rmSync(file('ca.key'));
  return {
    caFile: file('ca.crt'),
    leafCert: file('leaf.crt'),
    leafKey: file('leaf.key'),
    untrustedCert: file('self.crt'),
    untrustedKey: file('self.key'),
    otherHostCert: file('other.crt'),
    otherHostKey: file('other.key'),
  };
}

export interface NginxRtmp {
  readonly dir: string;
  readonly rtmpPort: number;
  /** TLS front with the test CA's certificate. */
  readonly rtmpsPort: number;
  /** TLS front with a self-signed certificate nobody trusts. */
  readonly untrustedRtmpsPort: number;
  /** TLS front with a test-CA certificate for another host name. */
  readonly otherHostRtmpsPort: number;
  readonly httpPort: number;
  readonly certificates: TestCertificates;
  /** Keys the on_publish hook accepts (mutable). */
  readonly keys: Set<string>;
  /** Every on_publish call, in order. */
  readonly publishCalls: PublishCall[];
  /** `rtmp://127.0.0.1:<port>/live` (add `/<key>`). */
  rtmpUrl(): string;
  /** `rtmps://<host>:<port>/live` through the trusted TLS front. */
  rtmpsUrl(host?: string): string;
  untrustedRtmpsUrl(host?: string): string;
  otherHostRtmpsUrl(host?: string): string;
  /** Raw `rtmp_stat all` XML. */
  statXml(): Promise<string>;
  streams(): Promise<StatStream[]>;
  running(): boolean;
  /** The nginx process id while it runs (to SIGSTOP it: a frozen ingest). */
  pid(): number | null;
  /** SIGKILL the nginx process (a crashed ingest): every connection drops at once. */
  kill(): Promise<void>;
  /** (Re)start nginx on the same ports; resolves when both RTMP and http answer. */
  start(): Promise<void>;
  /** Stop nginx and the hook, remove the folder. */
  close(): Promise<void>;
}

function num(xml: string, tag: string): number | null {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match ? Number(match[1]) : null;
}

function text(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match ? match[1]! : null;
}

export function parseStat(xml: string): StatStream[] {
  const streams: StatStream[] = [];
  for (const [, body] of xml.matchAll(/<stream>([\s\S]*?)<\/stream>/g)) {
    const inner = body!;
    const video = /<video>([\s\S]*?)<\/video>/.exec(inner)?.[1] ?? '';
    const audio = /<audio>([\s\S]*?)<\/audio>/.exec(inner)?.[1] ?? '';
    streams.push({
      name: text(inner, 'name') ?? '',
      publishing: /<publishing\/>/.test(inner.replace(/<client>[\s\S]*?<\/client>/g, '')),
      bytesIn: num(inner, 'bytes_in') ?? 0,
      width: num(video, 'width'),
      height: num(video, 'height'),
      videoCodec: text(video, 'codec'),
      audioCodec: text(audio, 'codec'),
    });
  }
  return streams;
}

export async function startNginxRtmp(options: { keys?: string[] } = {}): Promise<NginxRtmp> {
  const missing = nginxRtmpMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'onair-nginx-rtmp-'));
  const keys = new Set(options.keys ?? []);
  const publishCalls: PublishCall[] = [];

  // The on_publish hook: nginx POSTs form fields (call=publish, app, name=<key>, addr, …).
  const hook: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (piece: string) => (body += piece));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const name = form.get('name') ?? '';
      const accepted = keys.has(name);
      publishCalls.push({ name, app: form.get('app') ?? '', accepted, at: Date.now() });
      response.statusCode = accepted ? 200 : 403;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookAddress = hook.address();
  const hookPort = typeof hookAddress === 'object' && hookAddress ? hookAddress.port : 0;

  const [rtmpPort, rtmpsPort, untrustedRtmpsPort, otherHostRtmpsPort, httpPort] = [
    await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
  ] as const;
  let certificates: TestCertificates;
  try {
    certificates = makeCertificates(join(dir, 'certs'));
  } catch (error) {
    hook.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub), { recursive: true });
  const p = (name: string) => join(dir, name);
  const conf = `
load_module ${RTMP_MODULE};
load_module ${STREAM_MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('logs/error.log')} info;
events { worker_connections 256; }
rtmp {
  server {
    listen 127.0.0.1:${rtmpPort};
    chunk_size 4096;
    application live {
      live on;
      record off;
      idle_streams off;
      on_publish http://127.0.0.1:${hookPort}/publish;
    }
  }
}
stream {
  server {
    listen 127.0.0.1:${rtmpsPort} ssl;
    ssl_certificate ${certificates.leafCert};
    ssl_certificate_key ${certificates.leafKey};
    proxy_pass 127.0.0.1:${rtmpPort};
  }
  server {
    listen 127.0.0.1:${untrustedRtmpsPort} ssl;
    ssl_certificate ${certificates.untrustedCert};
    ssl_certificate_key ${certificates.untrustedKey};
    proxy_pass 127.0.0.1:${rtmpPort};
  }
  server {
    listen 127.0.0.1:${otherHostRtmpsPort} ssl;
    ssl_certificate ${certificates.otherHostCert};
    ssl_certificate_key ${certificates.otherHostKey};
    proxy_pass 127.0.0.1:${rtmpPort};
  }
}
http {
  access_log ${p('logs/access.log')};
  client_body_temp_path ${p('temp/client_body')};
  proxy_temp_path ${p('temp/proxy')};
  fastcgi_temp_path ${p('temp/fastcgi')};
  uwsgi_temp_path ${p('temp/uwsgi')};
  scgi_temp_path ${p('temp/scgi')};
  server {
    listen 127.0.0.1:${httpPort};
    location /stat { rtmp_stat all; }
  }
}
`;
  writeFileSync(p('nginx.conf'), conf);

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async (): Promise<void> => {
    if (child) return;
    output = '';
    // -e: Debian's build otherwise opens /var/log/nginx/error.log before reading the config.
    const proc = spawn(nginxBinary(), ['-p', dir, '-c', p('nginx.conf'), '-e', p('logs/error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === proc) child = null;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child !== proc) throw new Error(`nginx exited at start: ${output}${readLog()}`);
      if ((await canConnect(rtmpPort)) && (await canConnect(httpPort)) && (await canConnect(rtmpsPort))) return;
      if (Date.now() > deadline) throw new Error(`nginx did not listen within 10 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const readLog = () => {
    try {
      return readFileSync(p('logs/error.log'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  };

  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    child = null;
  };

  const statXml = async (): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/stat`, { signal: AbortSignal.timeout(3000) });
    return response.text();
  };

  try {
    await start();
  } catch (error) {
    // Leave nothing behind when the ingest cannot start.
    await stopWith('SIGKILL');
    hook.closeAllConnections();
    hook.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    dir,
    rtmpPort,
    rtmpsPort,
    untrustedRtmpsPort,
    otherHostRtmpsPort,
    httpPort,
    certificates,
    keys,
    publishCalls,
    rtmpUrl: () => `rtmp://127.0.0.1:${rtmpPort}/live`,
    rtmpsUrl: (host = 'localhost') => `rtmps://${host}:${rtmpsPort}/live`,
    untrustedRtmpsUrl: (host = 'localhost') => `rtmps://${host}:${untrustedRtmpsPort}/live`,
    otherHostRtmpsUrl: (host = 'localhost') => `rtmps://${host}:${otherHostRtmpsPort}/live`,
    statXml,
    streams: async () => parseStat(await statXml()),
    running: () => child !== null,
    pid: () => child?.pid ?? null,
    kill: () => stopWith('SIGKILL'),
    start,
    close: async () => {
      await stopWith('SIGTERM');
      const closed = new Promise<void>((resolve) => hook.close(() => resolve()));
      hook.closeAllConnections();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
