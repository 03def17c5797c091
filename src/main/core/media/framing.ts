/**
 * The program feed is a byte stream (fragmented MP4 or MPEG-TS). A new ffmpeg — a reconnect —
 * cannot start in the middle of it: it needs the MP4 init segment (ftyp + moov) and then bytes
 * from the start of a fragment (or of a TS packet). The framer follows the stream's structure
 * as bytes pass and cuts each write into pieces that say where such a start is, and it keeps
 * the init segment. With `-c:v copy` ffmpeg itself drops video up to the first keyframe it sees
 * (it does not copy initial non-keyframes), so a fragment start is enough.
 */

export type FeedFormat = 'mp4' | 'mpegts' | 'raw';

export interface FeedPiece {
  data: Buffer;
  /** True when `data` begins where a fresh ffmpeg (after the init segment) may start reading. */
  boundary: boolean;
}

const TS_PACKET = 188;
/** Top-level boxes that begin a media fragment. */
const FRAGMENT_START = new Set(['styp', 'sidx', 'prft', 'emsg', 'moof']);
/** Boxes that may precede `moof` within the same fragment. */
const FRAGMENT_PREFIX = new Set(['styp', 'sidx', 'prft', 'emsg']);
const MP4_FIRST = new Set(['ftyp', 'styp', 'moov', 'moof', 'free', 'skip']);
/** An init segment larger than this is not a program feed; give up parsing. */
const MAX_INIT_BYTES = 4 * 1024 * 1024;

export function detectFormat(head: Buffer): FeedFormat {
  if (head.length >= 8 && MP4_FIRST.has(head.toString('latin1', 4, 8))) return 'mp4';
  if (head.length > 0 && head[0] === 0x47) return 'mpegts';
  return 'raw';
}

export class FeedFramer {
  private formatValue: FeedFormat | null;
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

  constructor(format?: FeedFormat) {
    this.formatValue = format ?? null;
  }

  get format(): FeedFormat | null {
    return this.formatValue;
  }

  /** The MP4 init segment (every box before the first fragment), once complete; null for TS/raw. */
  get init(): Buffer | null {
    return this.initValue;
  }

  push(input: Buffer): FeedPiece[] {
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
    const flush = () => {
      if (current.length > 0) pieces.push({ data: current.length === 1 ? current[0]! : Buffer.concat(current), boundary: currentBoundary });
      current = [];
    };
    const keep = (data: Buffer) => {
      current.push(data);
      if (this.initValue === null && this.formatValue === 'mp4') this.addInit(data);
    };

    let offset = 0;
    while (offset < bytes.length) {
      if (this.formatValue !== 'mp4') {
        // Gave up on the structure: pass the rest through.
        current.push(bytes.subarray(offset));
        break;
      }
      if (this.infinite || this.remaining > 0) {
        const take = this.infinite ? bytes.length - offset : Math.min(this.remaining, bytes.length - offset);
        keep(bytes.subarray(offset, offset + take));
        if (!this.infinite) this.remaining -= take;
        offset += take;
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
      if (boundary) {
        if (this.initValue === null) this.finishInit();
        flush();
        currentBoundary = true;
      }
      keep(headerBytes);
      if (size32 === 0) this.infinite = true;
      else this.remaining = size - headerBytes.length;
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
  }
}
