import { describe, expect, it } from 'vitest';
import {
  classifyExit,
  DEFAULT_RECONNECT,
  FeedFanout,
  FeedFramer,
  keyMasker,
  maskKey,
  ProgressParser,
  type ProgressBlock,
  publishUrl,
  reconnectDelay,
} from '../../../src/main/core/media/rtmp/index';

function box(type: string, bodyLength: number, fill = 0): Buffer {
  const b = Buffer.alloc(8 + bodyLength, fill);
  b.writeUInt32BE(8 + bodyLength, 0);
  b.write(type, 4, 'latin1');
  return b;
}

/** ftyp + moov, then three fragments (moof + mdat). */
const init = Buffer.concat([box('ftyp', 16, 1), box('moov', 300, 2)]);
const fragments = [1, 2, 3].map((n) => Buffer.concat([box('moof', 40, 10 + n), box('mdat', 1000 * n, 20 + n)]));
const stream = Buffer.concat([init, ...fragments]);

function split(buffer: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  let i = 0;
  while (offset < buffer.length) {
    const size = sizes[i++ % sizes.length]!;
    out.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  return out;
}

describe('feed framing', () => {
  it('finds fragment starts and the init segment in fMP4, however the bytes are cut', () => {
    for (const sizes of [[stream.length], [1], [3, 7], [5, 300, 11], [4096]]) {
      const framer = new FeedFramer();
      const pieces = split(stream, sizes).flatMap((chunk) => framer.push(chunk));
      expect(framer.format).toBe('mp4');
      expect(framer.init?.equals(init)).toBe(true);
      expect(Buffer.concat(pieces.map((p) => p.data)).equals(stream)).toBe(true);
      // Every boundary piece begins with a moof; all three fragment starts are marked.
      const starts = pieces.filter((p) => p.boundary);
      for (const piece of starts) expect(piece.data.toString('latin1', 4, 8)).toBe('moof');
      let offset = 0;
      const boundaryOffsets: number[] = [];
      for (const piece of pieces) {
        if (piece.boundary) boundaryOffsets.push(offset);
        offset += piece.data.length;
      }
      const expected = [init.length, init.length + fragments[0]!.length, init.length + fragments[0]!.length + fragments[1]!.length];
      expect(boundaryOffsets).toEqual(expected);
    }
  });

  it('treats styp/sidx + moof as one fragment start, and reads 64-bit box sizes', () => {
    const large = Buffer.alloc(16 + 20);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(36), 8);
    const s = Buffer.concat([init, box('styp', 8), box('sidx', 24), box('moof', 16), large, box('moof', 16), box('mdat', 4)]);
    const framer = new FeedFramer();
    const pieces = split(s, [9]).flatMap((chunk) => framer.push(chunk));
    const starts = pieces.filter((p) => p.boundary).map((p) => p.data.toString('latin1', 4, 8));
    expect(starts).toEqual(['styp', 'moof']);
  });

  it('aligns MPEG-TS restarts to 188-byte packets', () => {
    const ts = Buffer.alloc(188 * 4, 0xff);
    for (let i = 0; i < 4; i++) ts[i * 188] = 0x47;
    const framer = new FeedFramer();
    const pieces = split(ts, [100, 200]).flatMap((chunk) => framer.push(chunk));
    expect(framer.format).toBe('mpegts');
    let offset = 0;
    for (const piece of pieces) {
      if (piece.boundary) {
        expect(offset % 188).toBe(0);
        expect(piece.data[0]).toBe(0x47);
      }
      offset += piece.data.length;
    }
    expect(pieces.filter((p) => p.boundary).length).toBeGreaterThanOrEqual(3);
  });

  it('fans out: a sink added mid-stream gets the init segment, then whole fragments', () => {
    const fanout = new FeedFanout();
    const early: Buffer[] = [];
    const late: Buffer[] = [];
    fanout.add({ write: (p) => early.push(Buffer.from(p.data)) });
    const chunks = split(stream, [50]);
    const cut = Math.ceil((init.length + fragments[0]!.length + 10) / 50);
    chunks.slice(0, cut).forEach((c) => fanout.write(c));
    fanout.add({ write: (p) => late.push(Buffer.from(p.data)) });
    fanout.add({ write: () => { throw new Error('a broken sink'); } });
    chunks.slice(cut).forEach((c) => fanout.write(c));
    expect(Buffer.concat(early).equals(stream)).toBe(true);
    expect(Buffer.concat(late).equals(Buffer.concat([init, fragments[2]!]))).toBe(true);
  });
});

describe('key masking, progress, backoff, exit classification', () => {
  it('masks the key in any text, raw or URL-encoded', () => {
    const key = 'live_abc/def+ghi=jkl_9876';
    const mask = keyMasker(key);
    const url = publishUrl('rtmp://h/app/', key);
    expect(url).toBe(`rtmp://h/app/${key}`);
    expect(mask(`Output #0, flv, to '${url}':`)).toBe(`Output #0, flv, to 'rtmp://h/app/${maskKey(key)}':`);
    expect(mask(`x ${encodeURIComponent(key)} y`)).not.toContain('def');
    expect(maskKey(key)).toBe('••••9876');
    expect(maskKey('short')).toBe('••••');
  });

  it('parses ffmpeg -progress blocks', () => {
    const blocks: ProgressBlock[] = [];
    const parser = new ProgressParser((b) => blocks.push(b));
    parser.push('frame=22\nfps=29.5\nbitrate=1549.9kbits/s\ntotal_size=13');
    parser.push('4000\nout_time_us=700000\ndrop_frames=1\nspeed=1.02x\nprogress=continue\nframe=30\nbitrate=N/A\nprogress=end\n');
    expect(blocks[0]).toMatchObject({ frame: 22, fps: 29.5, bitrateKbps: 1549.9, totalSize: 134000, outTimeUs: 700000, dropFrames: 1, speed: 1.02, end: false });
    expect(blocks[1]).toMatchObject({ frame: 30, bitrateKbps: null, end: true });
  });

  it('backs off like OBS by default: 2 s, ×1.5, capped; jitter within bounds', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => reconnectDelay(DEFAULT_RECONNECT, n, mid))).toEqual([2000, 3000, 4500, 6750]);
    expect(reconnectDelay(DEFAULT_RECONNECT, 40, mid)).toBe(15 * 60_000);
    expect(reconnectDelay(DEFAULT_RECONNECT, 1, () => 0)).toBe(1600);
    expect(reconnectDelay(DEFAULT_RECONNECT, 1, () => 0.999999)).toBe(2400);
    expect(DEFAULT_RECONNECT.maxRetries).toBe(25);
  });

  it('tells a rejected key from a refused connection and an untrusted certificate', () => {
    const eio = ['rtmp://127.0.0.1:1935/live/••••: Input/output error'];
    expect(classifyExit(['[tcp @ 0x1] Successfully connected to 127.0.0.1 port 1935', ...eio], true)).toBe('key_rejected');
    expect(classifyExit(eio, false)).toBe('ffmpeg_failed');
    expect(classifyExit(['rtmp://127.0.0.1:1/live/••••: Connection refused'], false)).toBe('unreachable');
    expect(classifyExit(['[tls @ 0x1] Peer certificate failed verification', 'rtmps://localhost/live/••••: Input/output error'], true)).toBe('tls_untrusted');
    expect(classifyExit(["[tls @ 0x1] The certificate's owner does not match hostname localhost", 'x: Input/output error'], true)).toBe('tls_untrusted');
    expect(classifyExit(['pipe:0: Invalid data found when processing input'], false)).toBe('input_invalid');
  });
});
