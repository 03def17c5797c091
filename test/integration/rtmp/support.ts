import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import { FeedFanout, type RtmpOutput, type RtmpOutputState } from '../../../src/main/core/media/rtmp/index';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { expect } from 'vitest';

const found = findFfmpeg();
if (!found) throw new Error('ffmpeg must be installed for the RTMP tests');
export const FFMPEG = found.path;
export const FFPROBE = join(dirname(found.path), 'ffprobe');

export const streamKey = (label: string) => `live_${label}_${randomBytes(12).toString('hex')}`;

/**
 * A live program feed like the studio's: ffmpeg's testsrc2 + a sine tone in real time, H.264
 * (2 s GOP, as platforms want) with Opus audio in fragmented MP4, or H.264/AAC in MPEG-TS,
 * on stdout, fanned out to every output (an output added later starts at the init segment).
 */
export interface FeedSource {
  readonly proc: ChildProcess;
  readonly fanout: FeedFanout;
  bytes: number;
  stop(): Promise<void>;
}

/**
 * `mp4`: H.264 with a keyframe every 2 s (as the WebCodecs encoder makes it); `mp4-short-gop`: one
 * every 8 frames (~267 ms, as MediaRecorder makes it for the preview); `webm`: VP8 (MediaRecorder's fallback).
 */
export function startFeed(kind: 'mp4' | 'mp4-aac' | 'mp4-short-gop' | 'mpegts' | 'webm', size = '640x360'): FeedSource {
  const gop = kind === 'mp4-short-gop' ? '8' : '60';
  const container =
    kind === 'mp4' || kind === 'mp4-short-gop' || kind === 'mp4-aac'
      ? [...(kind === 'mp4-aac' ? ['-c:a', 'aac', '-b:a', '128k'] : ['-c:a', 'libopus', '-b:a', '64k']), '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000']
      : kind === 'webm'
        ? ['-c:a', 'libopus', '-b:a', '64k', '-f', 'webm', '-cluster_time_limit', '100']
        : ['-c:a', 'aac', '-b:a', '96k', '-f', 'mpegts'];
  // WebM: MediaRecorder's fallback (VP8, keyframes far apart, as Chrome makes them).
  const video =
    kind === 'webm'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1200k', '-g', '150', '-pix_fmt', 'yuv420p']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
        '-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-b:v', '1200k', '-maxrate', '1200k', '-bufsize', '600k'];
  const proc = spawn(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    ...video,
    ...container,
    'pipe:1',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  return feedSourceOf(proc);
}

/** A real nginx-rtmp that knows `keys`, and a generated H.264/Opus fMP4 feed already flowing: what the output tests start from. */
export async function startIngestAndFeed(keys: string[]): Promise<{ nginx: NginxRtmp; feed: FeedSource }> {
  expect(nginxRtmpMissing()).toBeNull();
  const nginx = await startNginxRtmp({ keys });
  const feed = startFeed('mp4');
  await waitFor(() => feed.bytes > 0, 'the feed to start', 15_000);
  return { nginx, feed };
}

/** A feed read from an ffmpeg's stdout, fanned out to every output. */
export function feedSourceOf(proc: ChildProcess): FeedSource {
  const source: FeedSource = {
    proc,
    fanout: new FeedFanout(),
    bytes: 0,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
      proc.kill('SIGKILL');
      await closed;
    },
  };
  proc.stdout!.on('data', (chunk: Buffer) => {
    source.bytes += chunk.length;
    source.fanout.write(chunk);
  });
  proc.stderr!.resume();
  return source;
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves with the first state (current or next) that matches. */
export function waitForState(output: RtmpOutput, match: (state: RtmpOutputState) => boolean, what: string, timeoutMs = 20_000): Promise<RtmpOutputState> {
  const now = output.state();
  if (match(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      output.off('state', listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; state is ${JSON.stringify(output.state())}`));
    }, timeoutMs);
    const listener = (state: RtmpOutputState) => {
      if (!match(state)) return;
      clearTimeout(timer);
      output.off('state', listener);
      resolve(state);
    };
    output.on('state', listener);
  });
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  avg_frame_rate?: string;
}

/** Runs ffprobe (with an I/O timeout given by the caller's args and a hard time limit) and resolves with its stdout. */
function ffprobe(args: string[], limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(FFPROBE, ['-v', 'error', '-rw_timeout', '8000000', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
    proc.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`ffprobe exited ${code}: ${err.trim()}`));
      else resolve(out);
    });
  });
}

/** The video packets' presentation times (s) in the first `seconds` of a pulled stream, and which are keyframes. */
export async function videoPackets(url: string, seconds: number, limitMs = 30_000): Promise<Array<{ time: number; key: boolean }>> {
  const out = await ffprobe(['-select_streams', 'v:0', '-read_intervals', `%+${seconds}`, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', url], limitMs);
  return out
    .split('\n')
    .map((line) => line.trim().split(','))
    .filter(([time, flags]) => time && flags !== undefined)
    .map(([time, flags]) => ({ time: Number(time), key: flags!.startsWith('K') }));
}

/** ffprobe a pulled RTMP stream, with an I/O timeout and a hard time limit. */
export async function probe(url: string, limitMs = 20_000): Promise<ProbedStream[]> {
  const out = await ffprobe(['-show_entries', 'stream=codec_type,codec_name,width,height,sample_rate,avg_frame_rate', '-of', 'json', url], limitMs);
  return (JSON.parse(out) as { streams: ProbedStream[] }).streams;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** utime + stime of a process in clock ticks (Linux /proc). */
export function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * A platform that takes the publish and closes the connection a moment later (what some do with
 * a wrong key or a stream that is not set up): a TCP front to a real nginx-rtmp that closes a
 * client's connection `closeAfterMs` after nginx's on_publish hook accepted `key` on it. With
 * `closeAfterMs` null it only passes bytes through. `connections` counts client connections.
 */
export interface ClosingFront {
  readonly port: number;
  /** `rtmp://127.0.0.1:<port>/live`. */
  url(): string;
  closeAfterMs: number | null;
  /** Connections that sent bytes (publish attempts). */
  connections: number;
  close(): Promise<void>;
}

export async function startClosingFront(nginx: NginxRtmp, key: string, closeAfterMs: number | null): Promise<ClosingFront> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((client) => {
    // A publish attempt starts the RTMP handshake; a bare TCP connect (the outputs' server probe) sends nothing.
    client.once('data', () => (front.connections += 1));
    const upstream = createConnection({ host: '127.0.0.1', port: nginx.rtmpPort });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    const acceptedBefore = nginx.publishCalls.filter((call) => call.name === key && call.accepted).length;
    const watch = setInterval(() => {
      if (client.destroyed) return void clearInterval(watch);
      if (nginx.publishCalls.filter((call) => call.name === key && call.accepted).length === acceptedBefore) return;
      clearInterval(watch);
      timers.delete(watch);
      const after = front.closeAfterMs;
      if (after === null) return;
      const timer = setTimeout(end, after);
      timers.add(timer);
    }, 20);
    timers.add(watch);
    client.once('close', () => {
      sockets.delete(client);
      sockets.delete(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const front: ClosingFront = {
    port,
    url: () => `rtmp://127.0.0.1:${port}/live`,
    closeAfterMs,
    connections: 0,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return front;
}
