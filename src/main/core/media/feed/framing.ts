import type { FeedFormat, FeedPiece } from './feed-piece';
import { epochMsFromNtp } from '../../../../shared/ntp-time';
import { isWebm, WebmFramer } from './webm-framing';

/**
 * The program feed is a byte stream (fragmented MP4 or MPEG-TS; WebM: webm-framing.ts). A new
 * ffmpeg — a reconnect — cannot start in the middle of it: it needs the MP4 init segment (ftyp + moov) and then bytes
 * from the start of a fragment (or of a TS packet). The framer follows the stream's structure
 * as bytes pass and cuts each write into pieces that say where such a start is, and it keeps
 * the init segment.
 *
 * A start is where the video begins with a keyframe: with a 2 s GOP and one fragment per frame
 * (the WebCodecs program encoder) most fragments begin with a delta frame, and a sink joining
 * there would get 2 s of undecodable video (or rely on ffmpeg dropping it). So when the init
 * segment names a video track, a fragment counts as a start only when that track's first sample
 * in its `moof` is a sync sample (sample flags from `trun`, else `tfhd`, else `trex`); the
 * framer holds the fragment's first boxes until its `moof` is complete to tell. A fragment
 * without video, or a `moof` that cannot be read, counts as before (audio-only or unknown
 * feeds: every fragment start).
 */

export type { FeedFormat, FeedPiece } from './feed-piece';

const TS_PACKET = 188;
/** Top-level boxes that begin a media fragment. */
const FRAGMENT_START = new Set(['styp', 'sidx', 'prft', 'emsg', 'moof']);
/** Boxes that may precede `moof` within the same fragment. */
const FRAGMENT_PREFIX = new Set(['styp', 'sidx', 'prft', 'emsg']);
const MP4_FIRST = new Set(['ftyp', 'styp', 'moov', 'moof', 'free', 'skip']);
/** An init segment larger than this is not a program feed; give up parsing. */
const MAX_INIT_BYTES = 4 * 1024 * 1024;
/** A moof larger than this is not read for sync flags (the fragment then counts as a start). */
const MAX_MOOF_BYTES = 1024 * 1024;
const NON_SYNC_SAMPLE = 0x00010000;

export function detectFormat(head: Buffer): FeedFormat {
  if (isWebm(head)) return 'webm';
  if (head.length >= 8 && MP4_FIRST.has(head.toString('latin1', 4, 8))) return 'mp4';
  if (head.length > 0 && head[0] === 0x47) return 'mpegts';
  return 'raw';
}

export class FeedFramer {
  private formatValue: FeedFormat | null;
  /** WebM (MediaRecorder's fallback): init = everything before the first Cluster, a start at each Cluster. */
  private readonly webm = new WebmFramer();
  private initParts: Buffer[] = [];
  private initBytes = 0;
  private initValue: Buffer | null = null;
  // MP4 box walk.
  private header = Buffer.alloc(16);
  private headerLength = 0;
  private headerNeeded = 8;
  private remaining = 0;
  private infinite = false;
  private previousType = '';
  private head = Buffer.alloc(0);
  // MPEG-TS packet position.
  private tsOffset = 0;
  /** From the init segment: the video track and each track's default sample flags (`trex`). */
  private video: { trackId: number; defaults: Map<number, number> } | null = null;
  /** A fragment's first boxes, held until its moof is complete (null: not holding). */
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  private moofAt = -1;
  private inMoof = false;

  constructor(format?: FeedFormat) {
    this.formatValue = format ?? null;
  }

  get format(): FeedFormat | null {
    return this.formatValue;
  }

  /** The MP4 init segment (every box before the first fragment), once complete; null for TS/raw. */
  get init(): Buffer | null {
    return this.formatValue === 'webm' ? this.webm.init : this.initValue;
  }

  /** Cuts the next bytes into pieces; each boundary piece carries the init segment a reader starting there needs. */
  push(input: Buffer): FeedPiece[] {
    const pieces = this.cut(input);
    for (const piece of pieces) if (piece.boundary) piece.init = this.init;
    return pieces;
  }

  private cut(input: Buffer): FeedPiece[] {
    let bytes = input;
    if (bytes.length === 0) return [];
    if (this.formatValue === null) {
      // The format is told by the first 8 bytes: hold a shorter start until they are there.
      bytes = this.head.length > 0 ? Buffer.concat([this.head, bytes]) : bytes;
      if (bytes.length < 8) {
        this.head = Buffer.from(bytes);
        return [];
      }
      this.head = Buffer.alloc(0);
      this.formatValue = detectFormat(bytes);
    }
    if (this.formatValue === 'mp4') return this.pushMp4(bytes);
    if (this.formatValue === 'mpegts') return this.pushTs(bytes);
    if (this.formatValue === 'webm') return this.webm.push(bytes);
    return [{ data: bytes, boundary: true }];
  }

  private pushTs(bytes: Buffer): FeedPiece[] {
    const intoPacket = this.tsOffset;
    this.tsOffset = (this.tsOffset + bytes.length) % TS_PACKET;
    if (intoPacket === 0) return [{ data: bytes, boundary: true }];
    const toNext = TS_PACKET - intoPacket;
    if (bytes.length <= toNext) return [{ data: bytes, boundary: false }];
    return [
      { data: bytes.subarray(0, toNext), boundary: false },
      { data: bytes.subarray(toNext), boundary: true },
    ];
  }

  private pushMp4(bytes: Buffer): FeedPiece[] {
    const pieces: FeedPiece[] = [];
    let current: Buffer[] = [];
    let currentBoundary = false;
    let currentSamples: number | undefined;
    let currentInputAt: number | undefined;
    const flush = () => {
      if (current.length > 0) {
        const piece: FeedPiece = { data: current.length === 1 ? current[0]! : Buffer.concat(current), boundary: currentBoundary };
        if (currentSamples !== undefined) piece.videoSamples = currentSamples;
        if (currentInputAt !== undefined) piece.inputAt = currentInputAt;
        pieces.push(piece);
      }
      current = [];
      currentSamples = undefined;
      currentInputAt = undefined;
    };
    const keep = (data: Buffer) => {
      if (this.held) {
        this.held.push(data);
        this.heldBytes += data.length;
      } else current.push(data);
      if (this.initValue === null && this.formatValue === 'mp4') this.addInit(data);
    };
    /** The held fragment start goes out, as a start or not (with its video sample count and input time once its moof is read). */
    const release = (boundary: boolean, videoSamples?: number, inputAt?: number) => {
      const held = this.held;
      if (!held) return;
      this.held = null;
      this.inMoof = false;
      flush();
      current = held;
      currentBoundary = boundary;
      currentSamples = videoSamples;
      currentInputAt = inputAt;
      flush();
      currentBoundary = false;
      this.heldBytes = 0;
    };

    let offset = 0;
    while (offset < bytes.length) {
      if (this.formatValue !== 'mp4') {
        // Gave up on the structure: pass the rest through.
        release(true);
        current.push(bytes.subarray(offset));
        break;
      }
      if (this.infinite || this.remaining > 0) {
        const take = this.infinite ? bytes.length - offset : Math.min(this.remaining, bytes.length - offset);
        keep(bytes.subarray(offset, offset + take));
        if (!this.infinite) this.remaining -= take;
        offset += take;
        if (this.held && this.inMoof && (this.remaining === 0 || this.heldBytes > MAX_MOOF_BYTES)) {
          if (this.remaining === 0) release(...this.readMoof());
          else release(true);
        }
        continue;
      }
      // Reading a box header (8 bytes, or 16 with a 64-bit size).
      const take = Math.min(this.headerNeeded - this.headerLength, bytes.length - offset);
      bytes.copy(this.header, this.headerLength, offset, offset + take);
      this.headerLength += take;
      offset += take;
      if (this.headerLength < this.headerNeeded) continue;
      const size32 = this.header.readUInt32BE(0);
      if (size32 === 1 && this.headerNeeded === 8) {
        this.headerNeeded = 16;
        continue;
      }
      const type = this.header.toString('latin1', 4, 8);
      const headerBytes = Buffer.from(this.header.subarray(0, this.headerLength));
      let size: number;
      if (size32 === 1) size = Number(this.header.readBigUInt64BE(8));
      else size = size32;
      this.headerLength = 0;
      this.headerNeeded = 8;
      if (size32 !== 0 && size < headerBytes.length) {
        // Not a box: stop following the structure.
        this.formatValue = 'raw';
        current.push(headerBytes);
        continue;
      }
      const boundary = FRAGMENT_START.has(type) && !FRAGMENT_PREFIX.has(this.previousType);
      this.previousType = type;
      // Held prefix boxes (styp, sidx…) not followed by a moof: a start as before.
      if (this.held && !boundary && type !== 'moof' && !FRAGMENT_PREFIX.has(type)) release(true);
      if (boundary) {
        release(true);
        if (this.initValue === null) this.finishInit();
        flush();
        if (this.video) {
          this.held = [];
          this.heldBytes = 0;
        } else currentBoundary = true;
      }
      if (this.held && type === 'moof') {
        this.moofAt = this.heldBytes;
        this.inMoof = true;
      }
      keep(headerBytes);
      if (size32 === 0) this.infinite = true;
      else this.remaining = size - headerBytes.length;
      if (this.held && this.inMoof && this.remaining === 0) release(...this.readMoof());
    }
    flush();
    return pieces;
  }

  private addInit(data: Buffer): void {
    this.initParts.push(Buffer.from(data));
    this.initBytes += data.length;
    if (this.initBytes > MAX_INIT_BYTES) {
      this.formatValue = 'raw';
      this.initParts = [];
    }
  }

  private finishInit(): void {
    this.initValue = Buffer.concat(this.initParts);
    this.initParts = [];
    this.video = videoOfInit(this.initValue);
  }

  /**
   * Whether the held fragment's video begins with a sync sample (an unreadable moof counts as a
   * start), how many video samples it carries (for the latency stages; unknown when unreadable),
   * and when its first video frame went into the encoder (a `prft` before the moof; unknown without).
   */
  private readMoof(): [boolean, number | undefined, number | undefined] {
    if (!this.held || !this.video) return [true, undefined, undefined];
    const held = Buffer.concat(this.held);
    const moof = held.subarray(this.moofAt);
    try {
      const flags = firstVideoSampleFlags(moof, this.video.trackId, this.video.defaults);
      const inputAt = producerTimeIn(held.subarray(0, this.moofAt), this.video.trackId);
      return [flags === null ? false : (flags & NON_SYNC_SAMPLE) === 0, videoSampleCount(moof, this.video.trackId), inputAt];
    } catch {
      return [true, undefined, undefined];
    }
  }
}

/** The wall-clock time (epoch ms) of the video track's `prft` among a fragment's prefix boxes; undefined without one. */
export function producerTimeIn(prefix: Buffer, videoTrackId: number): number | undefined {
  const prft = boxesIn(prefix, 0, prefix.length).find((box) => box.type === 'prft' && box.end - box.body >= 16);
  if (!prft || prefix.readUInt32BE(prft.body + 4) !== videoTrackId) return undefined;
  return epochMsFromNtp(prefix.readUInt32BE(prft.body + 8), prefix.readUInt32BE(prft.body + 12));
}

interface Box {
  type: string;
  /** Where the body begins and the box ends. */
  body: number;
  end: number;
}

function boxesIn(data: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    const size = data.readUInt32BE(at);
    if (size < 8 || at + size > end) throw new Error('not a box');
    out.push({ type: data.toString('latin1', at + 4, at + 8), body: at + 8, end: at + size });
    at += size;
  }
  return out;
}

/** The init segment's video track and the tracks' `trex` default sample flags; null without a readable video track. */
export function videoOfInit(init: Buffer): { trackId: number; defaults: Map<number, number> } | null {
  try {
    const moov = boxesIn(init, 0, init.length).find((box) => box.type === 'moov');
    if (!moov) return null;
    let trackId: number | null = null;
    const defaults = new Map<number, number>();
    for (const box of boxesIn(init, moov.body, moov.end)) {
      if (box.type === 'trak') {
        let id: number | null = null;
        let handler = '';
        for (const child of boxesIn(init, box.body, box.end)) {
          if (child.type === 'tkhd') id = init.readUInt32BE(child.body + (init[child.body] === 1 ? 20 : 12));
          if (child.type === 'mdia') {
            const hdlr = boxesIn(init, child.body, child.end).find((entry) => entry.type === 'hdlr');
            if (hdlr) handler = init.toString('latin1', hdlr.body + 8, hdlr.body + 12);
          }
        }
        if (handler === 'vide' && id !== null && trackId === null) trackId = id;
      }
      if (box.type === 'mvex') {
        for (const trex of boxesIn(init, box.body, box.end).filter((entry) => entry.type === 'trex')) {
          defaults.set(init.readUInt32BE(trex.body + 4), init.readUInt32BE(trex.body + 20));
        }
      }
    }
    return trackId === null ? null : { trackId, defaults };
  } catch {
    return null;
  }
}

/** The sample flags of the video track's first sample in `moof`; null when the fragment has no video sample. */
export function firstVideoSampleFlags(moof: Buffer, trackId: number, trexDefaults: Map<number, number>): number | null {
  for (const traf of boxesIn(moof, 8, moof.length).filter((box) => box.type === 'traf')) {
    const children = boxesIn(moof, traf.body, traf.end);
    const tfhd = children.find((box) => box.type === 'tfhd');
    if (!tfhd || moof.readUInt32BE(tfhd.body + 4) !== trackId) continue;
    const tfFlags = moof.readUInt32BE(tfhd.body) & 0xffffff;
    let at = tfhd.body + 8;
    if (tfFlags & 0x01) at += 8;
    if (tfFlags & 0x02) at += 4;
    if (tfFlags & 0x08) at += 4;
    if (tfFlags & 0x10) at += 4;
    const defaults = tfFlags & 0x20 ? moof.readUInt32BE(at) : (trexDefaults.get(trackId) ?? 0);
    for (const trun of children.filter((box) => box.type === 'trun')) {
      const flags = moof.readUInt32BE(trun.body) & 0xffffff;
      if (moof.readUInt32BE(trun.body + 4) === 0) continue;
      let cursor = trun.body + 8;
      if (flags & 0x001) cursor += 4;
      if (flags & 0x004) return moof.readUInt32BE(cursor);
      if (flags & 0x400) return moof.readUInt32BE(cursor + (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0));
      return defaults;
    }
  }
  return null;
}

/** The number of samples the video track (`trackId`) has in `moof` (the sum of its `trun` sample counts). */
export function videoSampleCount(moof: Buffer, trackId: number): number {
  let samples = 0;
  for (const traf of boxesIn(moof, 8, moof.length).filter((box) => box.type === 'traf')) {
    const children = boxesIn(moof, traf.body, traf.end);
    const tfhd = children.find((box) => box.type === 'tfhd');
    if (!tfhd || moof.readUInt32BE(tfhd.body + 4) !== trackId) continue;
    for (const trun of children.filter((box) => box.type === 'trun')) samples += moof.readUInt32BE(trun.body + 4);
  }
  return samples;
}
