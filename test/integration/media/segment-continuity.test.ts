import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { segmentArgs } from '../../../src/main/core/media/hls/segment-args';
import { FFMPEG, makeFeed } from './support';

interface TsPacket {
  pid: number;
  /** A PES (or section) starts in this packet. */
  start: boolean;
  continuity: number;
  hasPayload: boolean;
  randomAccess: boolean;
}

/** The 188-byte transport packets of one segment file. */
function tsPackets(file: Buffer): TsPacket[] {
  expect(file.length % 188).toBe(0);
  const packets: TsPacket[] = [];
  for (let offset = 0; offset < file.length; offset += 188) {
    expect(file[offset]).toBe(0x47);
    const control = (file[offset + 3]! >> 4) & 3;
    const adaptation = (control & 2) !== 0 && file[offset + 4]! > 0 ? file[offset + 5]! : 0;
    packets.push({
      pid: ((file[offset + 1]! & 0x1f) << 8) | file[offset + 2]!,
      start: (file[offset + 1]! & 0x40) !== 0,
      continuity: file[offset + 3]! & 0x0f,
      hasPayload: (control & 1) !== 0,
      randomAccess: (adaptation & 0x40) !== 0,
    });
  }
  return packets;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the packager's ffmpeg command on a MediaRecorder-like MP4 feed; the segment files, in order. */
async function packageFeed(seconds: number): Promise<Buffer[]> {
  const dir = mkdtempSync(join(tmpdir(), 'onair-segments-'));
  dirs.push(dir);
  const args = segmentArgs({ mimeType: 'video/mp4;codecs=avc1.42E01F,opus', segmentSeconds: 0.25, startNumber: 0, pattern: join(dir, 's%05d.ts') });
  const child = spawn(FFMPEG!.path, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data) => (stderr += String(data)));
  child.stdin.end(makeFeed('mp4', seconds));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, stderr).toBe(0);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => readFileSync(join(dir, name)));
}

describe('MPEG-TS segments for the Twilio player (ffmpeg segment muxer with the packager’s arguments)', () => {
  it('each segment starts with PAT, PMT and a video keyframe, and continuity counters run on across segments', async () => {
    expect(FFMPEG, 'ffmpeg must be installed for the media tests').not.toBeNull();
    const segments = (await packageFeed(3)).map(tsPackets);
    expect(segments.length).toBeGreaterThanOrEqual(5);

    const pmtPid = 0x1000; // ffmpeg's default PMT PID
    const last = new Map<number, number>();
    const jumps: string[] = [];
    segments.forEach((packets, index) => {
      // A player may join at any segment: tables first, then a keyframe on the video PID.
      const firstPes = packets.findIndex((p) => p.start && p.pid !== 0 && p.pid !== pmtPid && p.pid !== 0x11);
      const pids = packets.slice(0, firstPes).map((p) => p.pid);
      expect(pids, `segment ${index}`).toContain(0);
      expect(pids, `segment ${index}`).toContain(pmtPid);
      expect(packets[firstPes]!.randomAccess, `segment ${index} starts on a keyframe`).toBe(true);
      // The IVS demuxer treats a continuity-counter jump as lost data, also between segments.
      for (const packet of packets) {
        if (!packet.hasPayload) continue;
        const before = last.get(packet.pid);
        if (before !== undefined && packet.continuity !== ((before + 1) & 0x0f)) jumps.push(`segment ${index} pid ${packet.pid}: ${before} → ${packet.continuity}`);
        last.set(packet.pid, packet.continuity);
      }
    });
    expect(jumps).toEqual([]);
  }, 60_000);
});
