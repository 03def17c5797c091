import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedFanout, FeedFramer } from '../../../src/main/core/media/rtmp/index';
import { scratchDir } from '../../support/scratch';
import { FFMPEG, FFPROBE } from './support';

/** An EBML element: ID bytes, a size (8-byte vint; null = unknown size), then the body. */
function element(id: number[], body: Buffer, unknownSize = false): Buffer {
  const size = Buffer.alloc(8);
  if (unknownSize) size.fill(0xff, 0, 8);
  else size.writeBigUInt64BE(BigInt(body.length));
  size[0] = unknownSize ? 0x01 : 0x01 | size[0]!;
  return Buffer.concat([Buffer.from(id), size, body]);
}

const ebmlHeader = element([0x1a, 0x45, 0xdf, 0xa3], Buffer.from([0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d])); // DocType "webm"
const info = element([0x15, 0x49, 0xa9, 0x66], Buffer.alloc(20, 1));
const tracks = element([0x16, 0x54, 0xae, 0x6b], Buffer.alloc(60, 2));
/** A live Cluster (unknown size): Timestamp + two SimpleBlocks whose data happens to contain a Cluster ID. */
const cluster = (n: number) =>
  Buffer.concat([
    Buffer.from([0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    element([0xe7], Buffer.from([n])),
    element([0xa3], Buffer.concat([Buffer.from([0x81, 0x00, 0x00, 0x80]), Buffer.from([0x1f, 0x43, 0xb6, 0x75]), Buffer.alloc(500 * n, n)])),
    element([0xa3], Buffer.alloc(300, n + 1)),
  ]);
const head = Buffer.concat([ebmlHeader, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), info, tracks]);
const clusters = [1, 2, 3].map(cluster);
const stream = Buffer.concat([head, ...clusters]);

function split(buffer: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0, i = 0; offset < buffer.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    out.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  return out;
}

describe('WebM feed framing (MediaRecorder fallback)', () => {
  it('keeps everything before the first Cluster as the init and marks each Cluster start, however the bytes are cut', () => {
    for (const sizes of [[stream.length], [1], [3, 7], [5, 300, 11], [4096]]) {
      const framer = new FeedFramer();
      const pieces = split(stream, sizes).flatMap((chunk) => framer.push(chunk));
      expect(framer.format).toBe('webm');
      expect(framer.init?.equals(head), String(sizes)).toBe(true);
      expect(Buffer.concat(pieces.map((p) => p.data)).equals(stream)).toBe(true);
      const starts: number[] = [];
      let offset = 0;
      for (const piece of pieces) {
        if (piece.boundary) starts.push(offset);
        offset += piece.data.length;
      }
      // The Cluster ID inside a block's data is not taken for a Cluster.
      expect(starts, String(sizes)).toEqual([head.length, head.length + clusters[0]!.length, head.length + clusters[0]!.length + clusters[1]!.length]);
    }
  });

  it('a sink added mid-stream to a real VP8/Opus WebM gets the header and whole Clusters: ffprobe reads both streams', () => {
    const webm = execFileSync(FFMPEG, [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '4', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-g', '30',
      '-c:a', 'libopus', '-f', 'webm', '-cluster_time_limit', '100', 'pipe:1',
    ], { maxBuffer: 64 * 1024 * 1024 });
    const fanout = new FeedFanout();
    const early: Buffer[] = [];
    const late: Buffer[] = [];
    fanout.add({ write: (piece) => early.push(Buffer.from(piece.data)) });
    const chunks = split(webm, [4096]);
    chunks.forEach((chunk, index) => {
      if (index === Math.floor(chunks.length / 2)) fanout.add({ write: (piece) => late.push(Buffer.from(piece.data)) });
      fanout.write(chunk);
    });
    expect(Buffer.concat(early).equals(webm)).toBe(true);
    const joined = Buffer.concat(late);
    expect(joined.length).toBeLessThan(webm.length);
    const file = join(scratchDir('webm-join'), 'joined.webm');
    writeFileSync(file, joined);
    const probed = JSON.parse(
      execFileSync(FFPROBE, ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_name,nb_read_packets', '-of', 'json', file], { encoding: 'utf8' }),
    ) as { streams: Array<{ codec_name: string; nb_read_packets: string }> };
    const byCodec = Object.fromEntries(probed.streams.map((s) => [s.codec_name, Number(s.nb_read_packets)]));
    // About the second half of 4 s: ~60 video frames and ~100 Opus packets of 20 ms.
    expect(byCodec.vp8).toBeGreaterThan(30);
    expect(byCodec.opus).toBeGreaterThan(50);
    // Encoding 4 s of VP8 takes ~1 s alone and many times that with the CPU saturated.
  }, 120_000);
});
