/**
 * RTMP outputs against a real ingest: Debian's nginx-rtmp started by the test on loopback, with
 * an on_publish hook that knows the keys, its stat XML and an nginx TLS front for RTMPS. A live
 * generated feed (H.264 2 s GOP + Opus in fragmented MP4) is fanned out to the outputs' write().
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpOutput, type RtmpOutputOptions, type RtmpOutputState } from '../../../src/main/core/media/rtmp/index';
import { freePort, type NginxRtmp } from '../../support/nginx-rtmp';
import { alive, cpuTicks, type FeedSource, FFMPEG, probe, startFeed, startIngestAndFeed, streamKey, waitFor, waitForState } from './support';

const GOOD = streamKey('good');
const SECOND = streamKey('second');
const TLS_KEY = streamKey('tls');
const TS_KEY = streamKey('mpegts');
const WRONG = streamKey('wrong');
const PROBED = streamKey('probed');
const KEYS = [GOOD, SECOND, TLS_KEY, TS_KEY, WRONG, PROBED];

/** Small, fast backoff for tests; the defaults are OBS's (2 s, ×1.5, 25 retries, 15 min cap). */
const FAST = { firstDelayMs: 300, factor: 1.5, jitter: 0.2, maxDelayMs: 1_000, maxRetries: 30 };

let nginx: NginxRtmp;
let feed: FeedSource;
const outputs: RtmpOutput[] = [];
const pids = new Set<number>();
/** Everything any output let out: state events, health objects, log lines, messages. */
const emitted: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'onair-rtmp-test-'));

function output(options: Omit<RtmpOutputOptions, 'ffmpegPath'> & { ffmpegPath?: string }, source: FeedSource = feed): RtmpOutput {
  // serverProbeMs 0: these outputs show the backoff itself; `probed` below shows the probe cutting it short.
  const out = new RtmpOutput({ ffmpegPath: FFMPEG, reconnect: FAST, stallMs: 3_000, connectTimeoutMs: 6_000, progressPeriodMs: 500, serverProbeMs: 0, ...options });
  const seen = () => {
    const pid = out.processId();
    if (pid) pids.add(pid);
  };
  out.on('state', (state) => {
    emitted.push(JSON.stringify(state));
    seen();
  });
  out.on('health', (health) => {
    emitted.push(JSON.stringify(health));
    seen();
  });
  out.on('log', (line) => {
    emitted.push(line);
    seen();
  });
  outputs.push(out);
  source.fanout.add(out);
  return out;
}

const isLive = (s: RtmpOutputState) => s.state === 'live';
const publishing = async (key: string) => (await nginx.streams()).find((s) => s.name === key && s.publishing) ?? null;

beforeAll(async () => {
  ({ nginx, feed } = await startIngestAndFeed([GOOD, SECOND, TLS_KEY, TS_KEY, PROBED]));
}, 30_000);

afterAll(async () => {
  await Promise.all(outputs.map((out) => out.stop()));
  await feed?.stop();
  await nginx?.close();
  rmSync(scratch, { recursive: true, force: true });
}, 30_000);

describe('RTMP outputs against nginx-rtmp', () => {
  let good: RtmpOutput;
  let second: RtmpOutput;
  let tls: RtmpOutput;

  it('publishes one feed to two destinations at once (RTMP and RTMPS, certificate verified); both pull as H.264 + AAC 48 kHz', async () => {
    good = output({ serverUrl: nginx.rtmpUrl(), streamKey: GOOD });
    tls = output({ serverUrl: nginx.rtmpsUrl('localhost'), streamKey: TLS_KEY, caFile: nginx.certificates.caFile, reconnect: { ...FAST, firstDelayMs: 20_000, maxDelayMs: 20_000 } });
    good.start();
    tls.start();
    await waitForState(good, isLive, 'rtmp output live');
    await waitForState(tls, isLive, 'rtmps output live');

    const both = await waitFor(async () => {
      const streams = await nginx.streams();
      const a = streams.find((s) => s.name === GOOD && s.publishing && s.width);
      const b = streams.find((s) => s.name === TLS_KEY && s.publishing && s.width);
      return a && b ? [a, b] : null;
    }, 'both streams publishing with metadata in the stat XML');
    for (const stream of both) {
      expect(stream).toMatchObject({ videoCodec: 'H264', audioCodec: 'AAC', width: 640, height: 360 });
    }

    const [pulledA, pulledB] = await Promise.all([probe(`${nginx.rtmpUrl()}/${GOOD}`), probe(`${nginx.rtmpUrl()}/${TLS_KEY}`)]);
    for (const pulled of [pulledA, pulledB]) {
      const video = pulled.find((s) => s.codec_type === 'video');
      const audio = pulled.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    }

    const health = await waitFor(() => {
      const h = good.health();
      return h.frames > 30 && h.bitrateKbps > 0 && h.fps > 0 && h.uptimeMs > 0 ? h : null;
    }, 'health with frames, bitrate and fps');
    expect(health).toMatchObject({ state: 'live', attempts: 1, reconnects: 0, lastError: null });
    expect(health.target).toBe(`${nginx.rtmpUrl()}/••••${GOOD.slice(-4)}`);
  }, 60_000);

  it('publishes an MPEG-TS feed (H.264/AAC) as well', async () => {
    const tsFeed = startFeed('mpegts', '320x180');
    try {
      const ts = output({ serverUrl: nginx.rtmpUrl(), streamKey: TS_KEY, inputFormat: 'mpegts' }, tsFeed);
      ts.start();
      await waitForState(ts, isLive, 'the MPEG-TS output live');
      const pulled = await probe(`${nginx.rtmpUrl()}/${TS_KEY}`);
      expect(pulled.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
      expect(pulled.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
      await ts.stop();
      expect(ts.state()).toEqual({ state: 'off' });
    } finally {
      await tsFeed.stop();
    }
  }, 40_000);

  it('a wrong key fails as key_rejected after one attempt, while the good destination keeps streaming', async () => {
    const wrong = output({ serverUrl: nginx.rtmpUrl(), streamKey: WRONG });
    const before = (await publishing(GOOD))!.bytesIn;
    wrong.start();
    const failed = await waitForState(wrong, (s) => s.state === 'failed', 'the wrong key to fail');
    expect(failed).toMatchObject({ state: 'failed', reason: 'key_rejected' });
    expect((failed as { message: string }).message).toMatch(/stream key was rejected/);
    // Long enough for several retries of the fast policy, had it retried.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(wrong.state().state).toBe('failed');
    expect(wrong.health().attempts).toBe(1);
    expect(nginx.publishCalls.filter((call) => call.name === WRONG)).toHaveLength(1);
    expect(wrong.processId()).toBeNull();

    expect(good.state().state).toBe('live');
    await waitFor(async () => ((await publishing(GOOD))?.bytesIn ?? 0) > before, 'the good stream to keep growing');
  }, 30_000);

  it('a first connect to a closed port fails as unreachable, not looped; a certificate nobody vouches for, or one for another host, is refused', async () => {
    const port = await freePort();
    const refused = output({ serverUrl: `rtmp://127.0.0.1:${port}/live`, streamKey: SECOND });
    const untrusted = output({ serverUrl: nginx.untrustedRtmpsUrl('localhost'), streamKey: SECOND, caFile: nginx.certificates.caFile });
    const otherHost = output({ serverUrl: nginx.otherHostRtmpsUrl('localhost'), streamKey: SECOND, caFile: nginx.certificates.caFile });
    refused.start();
    untrusted.start();
    otherHost.start();
    expect(await waitForState(refused, (s) => s.state === 'failed', 'refused to fail')).toMatchObject({ reason: 'unreachable' });
    expect(await waitForState(untrusted, (s) => s.state === 'failed', 'untrusted to fail')).toMatchObject({ reason: 'tls_untrusted' });
    expect(await waitForState(otherHost, (s) => s.state === 'failed', 'other host to fail')).toMatchObject({ reason: 'tls_untrusted' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const out of [refused, untrusted, otherHost]) expect(out.health().attempts).toBe(1);

    const missing = output({ ffmpegPath: join(scratch, 'no-such-ffmpeg'), serverUrl: nginx.rtmpUrl(), streamKey: SECOND });
    missing.start();
    expect(await waitForState(missing, (s) => s.state === 'failed', 'a missing ffmpeg to fail')).toMatchObject({ reason: 'spawn_failed' });
    // The TLS front never let the untrusted connection reach the ingest.
    expect(nginx.publishCalls.filter((call) => call.name === SECOND)).toHaveLength(0);
  }, 30_000);

  it('an ingest killed and restarted: outputs go reconnecting, then live again on their own (or at once with reconnectNow)', async () => {
    second = output({ serverUrl: nginx.rtmpUrl(), streamKey: SECOND });
    second.start();
    await waitForState(second, isLive, 'second output live');

    // One retry allowed, soon: it gives up while the ingest is down.
    const limited = output({ serverUrl: nginx.rtmpUrl(), streamKey: TS_KEY, reconnect: { ...FAST, firstDelayMs: 50, jitter: 0, maxRetries: 1 } });
    limited.start();
    await waitForState(limited, isLive, 'limited output live');
    // A 20 s backoff, but the default server probe: it reconnects as soon as the ingest answers again.
    const probed = output({ serverUrl: nginx.rtmpUrl(), streamKey: PROBED, reconnect: { ...FAST, firstDelayMs: 20_000, maxDelayMs: 20_000 }, serverProbeMs: 500 });
    probed.start();
    await waitForState(probed, isLive, 'probed output live');

    const sawReconnecting = waitForState(good, (s) => s.state === 'reconnecting', 'good to reconnect');
    const tlsWaiting = waitForState(tls, (s) => s.state === 'reconnecting', 'tls to reconnect');
    await nginx.kill();
    const reconnecting = await sawReconnecting;
    expect(reconnecting).toMatchObject({ state: 'reconnecting', attempt: 1, lastError: 'connection_lost' });
    expect((reconnecting as { nextTryInMs: number }).nextTryInMs).toBeGreaterThanOrEqual(240);
    expect((reconnecting as { nextTryInMs: number }).nextTryInMs).toBeLessThanOrEqual(360);
    await tlsWaiting;
    // Down for a while: retries fail (connection refused) and back off.
    await waitForState(good, (s) => s.state === 'reconnecting' && s.attempt >= 2, 'a second retry while the ingest is down');
    const gaveUp = await waitForState(limited, (s) => s.state === 'failed', 'the limited output to give up');
    expect(gaveUp).toMatchObject({ state: 'failed', reason: 'retries_exhausted' });
    expect((gaveUp as { message: string }).message).toMatch(/Last error: Could not connect/);
    expect(limited.health()).toMatchObject({ attempts: 2, lastError: 'unreachable' });

    await nginx.start();
    const back = Date.now();
    const probedBack = waitFor(() => publishing(PROBED), 'probed publishing again', 15_000, 50).then(() => Date.now() - back);
    await Promise.all([
      waitFor(() => publishing(GOOD), 'good publishing again', 20_000, 50),
      waitFor(() => publishing(SECOND), 'second publishing again', 20_000, 50),
    ]);
    const reconnectMs = Date.now() - back;
    console.info(`[rtmp] ingest back → publishing again (2 outputs, backoff 300 ms ×1.5 ≤ 1 s): ${reconnectMs} ms`);
    const probedMs = await probedBack;
    console.info(`[rtmp] ingest back → publishing again (20 s backoff, server probe every 500 ms): ${probedMs} ms`);
    // Well inside its 20 s wait; the same wait without the probe (tls, below) is still waiting.
    expect(probedMs).toBeLessThan(10_000);
    // The ingest lists the publisher a moment before the output has seen its first progress and
    // calls itself live (and counts the reconnect): on a busy machine that moment is long.
    await waitForState(probed, isLive, 'probed live again');
    expect(probed.health().reconnects).toBe(1);
    await probed.stop();
    await waitForState(good, isLive, 'good live again');
    expect(good.health().reconnects).toBe(1);
    expect(good.health().attempts).toBeGreaterThanOrEqual(3);

    // tls waits 20 s before its next try; reconnectNow skips the wait.
    expect(tls.state()).toMatchObject({ state: 'reconnecting', attempt: 1 });
    const nowAt = Date.now();
    expect(tls.reconnectNow()).toBe(true);
    await waitFor(() => publishing(TLS_KEY), 'tls publishing again after reconnectNow', 15_000, 50);
    console.info(`[rtmp] reconnectNow → publishing again (RTMPS): ${Date.now() - nowAt} ms`);
    await waitForState(tls, isLive, 'tls live again');
    expect(tls.reconnectNow()).toBe(false);
  }, 60_000);

  it('a stalled connection (ingest frozen) counts as dropped and recovers when the ingest answers again', async () => {
    const pid = nginx.pid()!;
    const stalled = waitForState(second, (s) => s.state === 'reconnecting' && s.lastError === 'stalled', 'a stall to be detected', 30_000);
    const frozenAt = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await stalled;
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    console.info(`[rtmp] ingest frozen → stall detected: ${Date.now() - frozenAt} ms (stallMs 3000)`);
    await waitForState(second, isLive, 'second live after the stall', 30_000);
    await waitFor(() => publishing(SECOND), 'second publishing after the stall');
    // The frozen ingest stalled the others too: good reconnects on its own, tls (20 s backoff) now.
    await waitForState(good, isLive, 'good live after the stall', 30_000);
    if (tls.state().state === 'reconnecting') tls.reconnectNow();
    await waitForState(tls, isLive, 'tls live after the stall', 30_000);
    await waitFor(async () => (await publishing(GOOD)) && (await publishing(TLS_KEY)), 'all publishing after the stall');
  }, 60_000);

  it('an output whose ffmpeg stops reading falls behind and is dropped without growing memory; the others are untouched', async () => {
    const stuck = join(scratch, 'stuck-ffmpeg');
    writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(stuck, 0o755);
    const slow = output({ ffmpegPath: stuck, serverUrl: nginx.rtmpUrl(), streamKey: SECOND, maxQueueBytes: 256 * 1024, connectTimeoutMs: 30_000 });
    const before = (await publishing(GOOD))!.bytesIn;
    slow.start();
    let maxQueued = 0;
    const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, slow.health().queuedBytes)), 20);
    try {
      expect(await waitForState(slow, (s) => s.state === 'failed', 'the stuck output to fall behind', 20_000)).toMatchObject({ reason: 'behind' });
    } finally {
      clearInterval(sampler);
    }
    expect(maxQueued).toBeLessThanOrEqual(256 * 1024 + 256 * 1024);
    expect(slow.health().queuedBytes).toBe(0);
    expect(slow.health().droppedBytes).toBeGreaterThan(0);
    expect(good.state().state).toBe('live');
    await waitFor(async () => ((await publishing(GOOD))?.bytesIn ?? 0) > before, 'the good stream to keep growing');
  }, 30_000);

  it('costs little CPU per output (video copied); stop ends every ffmpeg and the ingest sees no publisher', async () => {
    const livePids = [good, second, tls].map((out) => out.processId()!);
    const start = livePids.map((pid) => cpuTicks(pid) ?? 0);
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const seconds = (Date.now() - t0) / 1000;
    const shares = livePids.map((pid, i) => ((cpuTicks(pid) ?? 0) - start[i]!) / 100 / seconds);
    console.info(`[rtmp] CPU per output (share of one core over ${seconds.toFixed(1)} s): ${shares.map((s) => `${(s * 100).toFixed(1)} %`).join(', ')}`);

    await Promise.all(outputs.map((out) => out.stop()));
    for (const out of outputs) {
      expect(out.state()).toEqual({ state: 'off' });
      expect(out.processId()).toBeNull();
    }
    expect(pids.size).toBeGreaterThanOrEqual(6);
    for (const pid of pids) expect(alive(pid), `ffmpeg ${pid} still running`).toBe(false);
    await waitFor(async () => (await nginx.streams()).every((s) => !s.publishing), 'no publisher left on the ingest');
  }, 30_000);

  it('never lets a stream key out: no state event, health object or log line contains one', () => {
    expect(emitted.length).toBeGreaterThan(100);
    // ffmpeg prints the output URL in its log: it names the server only (the key comes from a FIFO, key-fifo.ts).
    expect(emitted.some((line) => line.includes('Output #0') && line.includes(`'${nginx.rtmpUrl()}'`))).toBe(true);
    for (const key of KEYS) {
      const leaks = emitted.filter((line) => line.includes(key));
      expect(leaks, `key ${key.slice(0, 10)}… leaked`).toEqual([]);
    }
  });
});
