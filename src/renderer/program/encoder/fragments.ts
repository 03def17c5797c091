/**
 * Cuts the muxer's fragmented-MP4 byte stream into what the program feed sends: the init
 * segment (ftyp + moov) once, then one `moof` + `mdat` pair per fragment, each as one piece.
 *
 * It also writes the video samples' sync flags. mediabunny begins a fragment only where every
 * track starts with a key packet (its isobmff muxer's `keyFrameQueuedEverywhere`), so to get one
 * fragment per video frame with a 2 s GOP, every video packet is handed to it as `key`; the
 * real key/delta of each video sample (in decode order, told by `videoSample`) is written back
 * into that fragment's `tfhd`/`trun` flags here, before a byte leaves. Sizes do not change.
 * The random-access box written at the end (`mfra`, which would list every frame as a sync
 * sample) is dropped: a stream has no use for it.
 */
import { latencyNow } from '../../../shared/latency';
import { ntpFromEpochMs } from '../../../shared/ntp-time';

export interface FeedPiece {
  data: Uint8Array<ArrayBuffer>;
  /** ftyp + moov. */
  init: boolean;
  /** A fragment whose video starts with a keyframe (or a fragment of a stream without video). */
  keyframe: boolean;
  /** When the fragment was cut (`latencyNow()`, epoch ms), for one with video samples. */
  madeAt?: number;
  /** Video samples in the fragment. */
  videoSamples?: number;
}

/** ISO/IEC 14496-12 sample flags: depends on nothing (sync) / depends on others, non-sync. */
export const SYNC_SAMPLE_FLAGS = 0x02000000;
export const NON_SYNC_SAMPLE_FLAGS = 0x01010000;
const NON_SYNC_BIT = 0x00010000;

const typeAt = (view: DataView, at: number) =>
  String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));

/** Children of the box [start, end) as { type, start (of the box), end }. */
function children(view: DataView, start: number, end: number): Array<{ type: string; start: number; end: number }> {
  const out: Array<{ type: string; start: number; end: number }> = [];
  for (let at = start; at + 8 <= end; ) {
    const size = view.getUint32(at);
    if (size < 8 || at + size > end) throw new Error(`Malformed MP4 box at ${at}`);
    out.push({ type: typeAt(view, at), start: at, end: at + size });
    at += size;
  }
  return out;
}

/** The track id of the `vide` track in a moov box (null when there is no video track). */
export function videoTrackIdOf(moov: Uint8Array): number | null {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  for (const trak of children(view, 8, moov.byteLength).filter((box) => box.type === 'trak')) {
    let id: number | null = null;
    let handler = '';
    for (const box of children(view, trak.start + 8, trak.end)) {
      if (box.type === 'tkhd') id = view.getUint8(box.start + 8) === 1 ? view.getUint32(box.start + 28) : view.getUint32(box.start + 20);
      if (box.type === 'mdia') {
        const hdlr = children(view, box.start + 8, box.end).find((child) => child.type === 'hdlr');
        if (hdlr) handler = String.fromCharCode(...four(moov, hdlr.start + 16));
      }
    }
    if (handler === 'vide' && id !== null) return id;
  }
  return null;
}

const four = (bytes: Uint8Array, at: number) => [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!];

/**
 * Writes `keys` (one per video sample of the fragment, in order) as the sync flags of the video
 * track's samples in `moof`, in place. Returns how many video samples the fragment holds.
 */
export function writeSyncFlags(moof: Uint8Array, videoTrackId: number, keys: (index: number) => boolean): number {
  const view = new DataView(moof.buffer, moof.byteOffset, moof.byteLength);
  let samples = 0;
  for (const traf of children(view, 8, moof.byteLength).filter((box) => box.type === 'traf')) {
    const boxes = children(view, traf.start + 8, traf.end);
    const tfhd = boxes.find((box) => box.type === 'tfhd');
    if (!tfhd || view.getUint32(tfhd.start + 12) !== videoTrackId) continue;
    const tfFlags = view.getUint32(tfhd.start + 8) & 0xffffff;
    let at = tfhd.start + 16;
    if (tfFlags & 0x01) at += 8;
    if (tfFlags & 0x02) at += 4;
    if (tfFlags & 0x08) at += 4;
    if (tfFlags & 0x10) at += 4;
    const defaultFlagsAt = tfFlags & 0x20 ? at : null;
    /** Samples whose flags are the tfhd default: they must agree. */
    let viaDefault: boolean | null = null;
    for (const trun of boxes.filter((box) => box.type === 'trun')) {
      const flags = view.getUint32(trun.start + 8) & 0xffffff;
      const count = view.getUint32(trun.start + 12);
      let cursor = trun.start + 16;
      if (flags & 0x001) cursor += 4;
      const firstFlagsAt = flags & 0x004 ? cursor : null;
      if (firstFlagsAt !== null) cursor += 4;
      const perSample = (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0) + (flags & 0x800 ? 4 : 0);
      const flagsOffset = (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0);
      for (let i = 0; i < count; i++) {
        const key = keys(samples);
        const value = key ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS;
        if (flags & 0x400) view.setUint32(cursor + i * perSample + flagsOffset, value);
        else if (i === 0 && firstFlagsAt !== null) view.setUint32(firstFlagsAt, value);
        else if (viaDefault === null || viaDefault === key) viaDefault = key;
        else throw new Error('Video samples of one fragment share default flags but differ in sync');
        samples += 1;
      }
    }
    if (viaDefault !== null) {
      if (defaultFlagsAt === null) throw new Error('Video fragment without default sample flags');
      view.setUint32(defaultFlagsAt, viaDefault ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
    }
  }
  return samples;
}

/**
 * A `prft` (ISO/IEC 14496-12 8.16.5, version 1, flags 0) for the fragment `moof`: its video
 * track's first sample (media time: the track fragment's `tfdt`) went into the encoder at
 * `inputAt` (epoch ms). It goes right before the `moof`; main reads it to know which moment of
 * the wall clock a file cut from the feed begins at (ffmpeg skips it when it reads the feed).
 */
export function producerReferenceTime(moof: Uint8Array, videoTrackId: number, inputAt: number): Uint8Array<ArrayBuffer> | null {
  const view = new DataView(moof.buffer, moof.byteOffset, moof.byteLength);
  let mediaTime: bigint | null = null;
  for (const traf of children(view, 8, moof.byteLength).filter((box) => box.type === 'traf')) {
    const boxes = children(view, traf.start + 8, traf.end);
    const tfhd = boxes.find((box) => box.type === 'tfhd');
    const tfdt = boxes.find((box) => box.type === 'tfdt');
    if (!tfhd || !tfdt || view.getUint32(tfhd.start + 12) !== videoTrackId) continue;
    mediaTime = view.getUint8(tfdt.start + 8) === 1 ? view.getBigUint64(tfdt.start + 12) : BigInt(view.getUint32(tfdt.start + 12));
  }
  if (mediaTime === null) return null;
  const box = new Uint8Array(32);
  const out = new DataView(box.buffer);
  out.setUint32(0, 32);
  box.set([0x70, 0x72, 0x66, 0x74], 4); // 'prft'
  out.setUint32(8, 0x01000000); // version 1, flags 0: the time the sample went into the encoder
  out.setUint32(12, videoTrackId);
  const [seconds, fraction] = ntpFromEpochMs(inputAt);
  out.setUint32(16, seconds);
  out.setUint32(20, fraction);
  out.setBigUint64(24, mediaTime);
  return box;
}

/** True when the sample flags say "not a sync sample". */
export const isNonSync = (flags: number) => (flags & NON_SYNC_BIT) !== 0;

/**
 * Takes the muxer's writes (in order: the muxer writes a fragmented MP4 monotonically) and
 * hands out complete pieces.
 */
export class FragmentCutter {
  private buffer = new Uint8Array(64 * 1024);
  private length = 0;
  private position = 0;
  private init: Uint8Array[] = [];
  private moof: Uint8Array | null = null;
  private moofKey = true;
  private videoTrackId: number | null = null;
  private readonly keys: boolean[] = [];
  /** When each video sample in `keys` was encoded (NaN: not known). */
  private readonly encodedAt: number[] = [];
  /** When each video sample in `keys` went into the encoder, on the wall clock (NaN: not known). */
  private readonly inputAt: number[] = [];
  private moofSamples: number[] = [];
  /** The held moof's producer reference time box (null: its first video sample's input time is not known). */
  private prft: Uint8Array | null = null;

  /** `onMuxed(ms)`: for each video sample, encoded → its fragment cut (the `mux` latency stage). */
  constructor(
    private readonly onPiece: (piece: FeedPiece) => void,
    private readonly onMuxed?: (ms: number) => void,
  ) {}

  /**
   * The next video sample handed to the muxer (decode order) is a keyframe, or not; `encodedAt`
   * and `inputAt` (when it went into the encoder: its fragment then says so in a `prft`) on
   * `latencyNow()`'s clock.
   */
  videoSample(key: boolean, encodedAt = Number.NaN, inputAt = Number.NaN): void {
    this.keys.push(key);
    this.encodedAt.push(encodedAt);
    this.inputAt.push(inputAt);
  }

  write(data: Uint8Array, position: number): void {
    if (position !== this.position) throw new Error(`The muxer wrote at ${position}, ${this.position} was expected`);
    this.position += data.byteLength;
    if (this.length + data.byteLength > this.buffer.byteLength) {
      const grown = new Uint8Array(Math.max(this.buffer.byteLength * 2, this.length + data.byteLength));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(data, this.length);
    this.length += data.byteLength;
    this.cut();
  }

  private cut(): void {
    let at = 0;
    while (this.length - at >= 8) {
      const view = new DataView(this.buffer.buffer, at, 8);
      const size32 = view.getUint32(0);
      if (size32 === 1) {
        // A 64-bit size (an mdat ≥ 4 GiB) cannot be a single frame.
        throw new Error('Unexpected 64-bit box in the program feed');
      }
      if (size32 < 8) throw new Error('Malformed box in the program feed');
      if (this.length - at < size32) break;
      const box = this.buffer.slice(at, at + size32);
      this.take(typeAt(new DataView(box.buffer), 0), box);
      at += size32;
    }
    if (at > 0) {
      this.buffer.copyWithin(0, at, this.length);
      this.length -= at;
    }
  }

  private take(type: string, box: Uint8Array<ArrayBuffer>): void {
    if (type === 'ftyp') {
      this.init.push(box);
    } else if (type === 'moov') {
      this.init.push(box);
      this.videoTrackId = videoTrackIdOf(box);
      this.onPiece({ data: concat(this.init), init: true, keyframe: false });
      this.init = [];
    } else if (type === 'moof') {
      const first = this.keys[0];
      const count = this.videoTrackId === null ? 0 : writeSyncFlags(box, this.videoTrackId, (index) => this.keys[index] ?? true);
      this.keys.splice(0, count);
      this.moofSamples = this.encodedAt.splice(0, count);
      const inputAt = this.inputAt.splice(0, count)[0];
      this.prft = count > 0 && inputAt !== undefined && Number.isFinite(inputAt) ? producerReferenceTime(box, this.videoTrackId!, inputAt) : null;
      this.moof = box;
      this.moofKey = count === 0 ? this.videoTrackId === null : first !== false;
    } else if (type === 'mdat') {
      if (!this.moof) throw new Error('mdat without moof in the program feed');
      const samples = this.moofSamples;
      const piece: FeedPiece = { data: concat(this.prft ? [this.prft, this.moof, box] : [this.moof, box]), init: false, keyframe: this.moofKey };
      if (samples.length > 0) {
        piece.madeAt = latencyNow();
        piece.videoSamples = samples.length;
        for (const at of samples) if (!Number.isNaN(at)) this.onMuxed?.(piece.madeAt - at);
      }
      this.moofSamples = [];
      this.prft = null;
      this.onPiece(piece);
      this.moof = null;
    } else if (type !== 'mfra') {
      // free/skip and the like: pass along.
      this.onPiece({ data: box, init: false, keyframe: false });
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
