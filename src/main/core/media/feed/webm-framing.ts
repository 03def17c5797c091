/**
 * The WebM side of the feed framer (MediaRecorder's VP8/Opus fallback): follows the EBML
 * structure as bytes pass, keeps everything before the first Cluster (EBML header, Segment
 * header, Info, Tracks) as the init, and says where each Cluster starts, so a sink that joins
 * mid-stream (the destinations' stage, a recording) gets the init and then whole Clusters.
 * Live WebM has a Segment and Clusters of unknown size: an unknown-size Cluster ends where a
 * Segment-level element begins. A Cluster need not begin with a video keyframe: a joiner's
 * decoder skips delta frames up to the next one.
 */
import type { FeedPiece } from './feed-piece';

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
/** Elements that live directly in the Segment: one of them ends an unknown-size Cluster. */
const SEGMENT_CHILDREN = new Set([0x114d9b74, 0x1549a966, 0x1654ae6b, 0x1c53bb6b, 0x1254c367, 0x1043a770, 0x1941a469, CLUSTER, EBML]);
const MAX_INIT_BYTES = 4 * 1024 * 1024;
const UNKNOWN = -1;

export class WebmFramer {
  private initParts: Buffer[] = [];
  private initBytes = 0;
  private initValue: Buffer | null = null;
  /** Bytes of an element header cut by the end of the last push; read again with the next. */
  private carry: Buffer = Buffer.alloc(0);
  private skip = 0;
  private inSegment = false;
  /** Inside an unknown-size Segment child (a live Cluster). */
  private inOpenChild = false;
  /** Gave up on the structure: every byte passes as a start. */
  private raw = false;

  get init(): Buffer | null {
    return this.initValue;
  }

  get failed(): boolean {
    return this.raw;
  }

  push(input: Buffer): FeedPiece[] {
    if (this.raw) return [{ data: input, boundary: true }];
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, input]) : input;
    this.carry = Buffer.alloc(0);
    const pieces: FeedPiece[] = [];
    let pieceStart = 0;
    let boundary = false;
    const cut = (at: number, nextBoundary: boolean) => {
      if (at > pieceStart) {
        const data = bytes.subarray(pieceStart, at);
        pieces.push({ data, boundary });
        if (this.initValue === null) this.addInit(data);
      }
      pieceStart = at;
      boundary = nextBoundary;
    };
    let offset = 0;
    while (offset < bytes.length && !this.raw) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, bytes.length - offset);
        this.skip -= take;
        offset += take;
        continue;
      }
      const header = readHeader(bytes, offset);
      if (header === null) {
        // The header goes on in the next push: hold its bytes until then.
        cut(offset, boundary);
        this.carry = Buffer.from(bytes.subarray(offset));
        return pieces;
      }
      if (header === 'invalid') {
        this.raw = true;
        break;
      }
      const start = offset;
      offset += header.length;
      if (!this.inSegment) {
        if (header.id === SEGMENT) this.inSegment = true;
        else if (header.size === UNKNOWN) this.raw = true;
        else this.skip = header.size;
        continue;
      }
      if (this.inOpenChild && !SEGMENT_CHILDREN.has(header.id)) {
        // A Cluster's child (Timestamp, SimpleBlock, BlockGroup…): always sized.
        if (header.size === UNKNOWN) this.raw = true;
        else this.skip = header.size;
        continue;
      }
      this.inOpenChild = false;
      if (header.id === EBML) {
        // A new stream after a sized Segment ended: follow it from the top again.
        this.inSegment = false;
        this.skip = header.size === UNKNOWN ? 0 : header.size;
        continue;
      }
      if (header.id === CLUSTER) {
        cut(start, true);
        if (this.initValue === null) this.finishInit();
      }
      if (header.size === UNKNOWN) this.inOpenChild = true;
      else this.skip = header.size;
    }
    if (this.raw) {
      // Whatever was not cut yet passes as it is, and so does everything after.
      this.initParts = [];
      cut(bytes.length, true);
      return pieces;
    }
    cut(bytes.length, boundary);
    return pieces;
  }

  private addInit(data: Buffer): void {
    this.initParts.push(Buffer.from(data));
    this.initBytes += data.length;
    if (this.initBytes > MAX_INIT_BYTES) {
      this.raw = true;
      this.initParts = [];
    }
  }

  private finishInit(): void {
    this.initValue = Buffer.concat(this.initParts);
    this.initParts = [];
  }
}

/** True when the bytes start like WebM/Matroska (the EBML magic). */
export function isWebm(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32BE(0) === EBML;
}

/** An element header at `at`: its ID (marker bits kept), payload size (UNKNOWN: all ones) and length; null when cut short. */
function readHeader(bytes: Buffer, at: number): { id: number; size: number; length: number } | null | 'invalid' {
  if (at >= bytes.length) return null;
  const idLength = vintLength(bytes[at]!);
  if (idLength === 0 || idLength > 4) return 'invalid';
  if (at + idLength >= bytes.length) return null;
  let id = 0;
  for (let i = 0; i < idLength; i += 1) id = id * 256 + bytes[at + i]!;
  const sizeAt = at + idLength;
  const sizeLength = vintLength(bytes[sizeAt]!);
  if (sizeLength === 0) return 'invalid';
  if (sizeAt + sizeLength > bytes.length) return null;
  let size = bytes[sizeAt]! & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i += 1) {
    const byte = bytes[sizeAt + i]!;
    allOnes &&= byte === 0xff;
    size = size * 256 + byte;
  }
  return { id, size: allOnes ? UNKNOWN : size, length: idLength + sizeLength };
}

/** The length of a variable-size integer from its first byte (leading zero bits + 1); 0 when invalid. */
function vintLength(first: number): number {
  for (let length = 1; length <= 8; length += 1) if (first & (0x100 >> length)) return length;
  return 0;
}
