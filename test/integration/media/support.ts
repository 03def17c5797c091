import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import type { FoundFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import type { LocalCloudMediaOptions } from '../../../src/main/core/local-cloud/types';
import { startTempCloud } from '../local-cloud/support/cloud';
import { scratchDir } from '../../support/scratch';
import type { StudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import type { MediaStatus } from '../../../src/shared/media';
import { afterEach } from 'vitest';
import { APP_ORIGIN } from '../support/studio-fixture';

export const FFMPEG = findFfmpeg();

/**
 * A program feed like Chromium's MediaRecorder makes: fragmented MP4 (H.264 + Opus, a fragment
 * per keyframe every 0.5 s) or WebM (VP8 + Opus), from ffmpeg's testsrc and a sine tone.
 */
export function makeFeed(kind: 'mp4' | 'mp4-aac' | 'webm', seconds: number): Buffer {
  const dir = scratchDir('feed');
  const file = join(dir, `feed.${kind === 'webm' ? 'webm' : 'mp4'}`);
  const video =
    kind !== 'webm'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '15', '-movflags', '+frag_keyframe+empty_moov+default_base_moof']
      : ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '15', '-b:v', '500k'];
  execFileSync(FFMPEG!.path, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), ...video, ...(kind === 'mp4-aac' ? ['-c:a', 'aac', '-b:a', '128k'] : ['-c:a', 'libopus', '-b:a', '64k']), file,
  ]);
  return readFileSync(file);
}

/** MP4 top-level boxes grouped the way MediaRecorder hands them out: init (ftyp+moov), then moof+mdat pairs. */
export function mp4Chunks(feed: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  let offset = 0;
  while (offset < feed.length) {
    const size = feed.readUInt32BE(offset);
    const type = feed.toString('latin1', offset + 4, offset + 8);
    if (type === 'moof' && offset > start) {
      chunks.push(feed.subarray(start, offset));
      start = offset;
    }
    offset += size;
  }
  chunks.push(feed.subarray(start));
  return chunks;
}

/** Fixed-size pieces (WebM has no fragment boxes; the feed is a byte stream anyway). */
export function pieces(feed: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < feed.length; offset += size) out.push(feed.subarray(offset, offset + size));
  return out;
}

/**
 * A stand-in for ffmpeg that never reads its input: the ingest queue must fill and refuse. It
 * answers `-version` like ffmpeg, since nothing else is started with the program feed.
 */
export function stuckFfmpeg(): FoundFfmpeg {
  const dir = scratchDir('stuck');
  const path = join(dir, 'ffmpeg');
  writeFileSync(path, '#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version stand-in"; exit 0; fi\nexec sleep 30\n');
  chmodSync(path, 0o755);
  return { path, source: 'settings' };
}

/** A local cloud with its HLS output in `<dataDir>/hls`; its close() removes the data folder. */
export async function startMediaCloud(media: LocalCloudMediaOptions = {}): Promise<{ cloud: LocalCloud; hlsRoot: string }> {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const { cloud, dataDir } = await startTempCloud({ now: () => now++, media: { retainMs: 300, ...media } });
  return { cloud, hlsRoot: media.hlsRoot ?? join(dataDir, 'hls') };
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Process ids that are still alive. */
export function alive(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/** A studio core as the renderer sees it: `call` unwraps an envelope (throwing with its code), `events` collects media.changed. */
export function mediaClient(core: StudioCore): { call: <T>(channel: string, payload?: unknown) => Promise<T>; events: MediaStatus[] } {
  const events: MediaStatus[] = [];
  core.events.connect((event, payload) => {
    if (event === 'media.changed') events.push(payload as MediaStatus);
  });
  const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
    const envelope = (await core.dispatch(channel, payload, { url: APP_ORIGIN })) as Envelope<T>;
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value;
  };
  return { call, events };
}

/**
 * The studios and local clouds a test file opens, closed after each test (the studio first, then
 * its cloud): `const closeAfterEach = useClosedAfterEach();` at the top, `closeAfterEach(cloud, core)`
 * where they are made.
 */
export function useClosedAfterEach(): (cloud: LocalCloud, core: StudioCore) => void {
  const open: Array<{ cloud: LocalCloud; core: StudioCore }> = [];
  afterEach(async () => {
    for (const { cloud, core } of open.splice(0)) {
      await core.close();
      await cloud.close();
    }
  });
  return (cloud, core) => void open.push({ cloud, core });
}
