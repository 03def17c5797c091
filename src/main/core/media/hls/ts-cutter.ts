/** Size of an MPEG-TS packet. */
export const TS_PACKET = 188;

/**
 * Cuts a growing MPEG-TS byte stream (ffmpeg writing a segment) into pieces that end on a
 * complete PES packet. ffmpeg's MPEG-TS muxer writes each PES (one video access unit, or a run of
 * audio frames) and each PAT/PMT in one piece, so everything before the latest packet with
 * `payload_unit_start_indicator` is complete; the PES that starts there may still be growing and
 * is held back until a later one starts or the stream is known to be whole (`end`).
 */
export class WholePesCutter {
  private pending: Buffer = Buffer.alloc(0);
  /** Whole packets of `pending` already looked at. */
  private scanned = 0;
  /** Index (in packets, inside `pending`) of the latest packet that starts a PES or section. */
  private lastStart = 0;

  /** Takes the next bytes; returns the bytes that are now known to be whole PES packets (maybe none). */
  push(bytes: Uint8Array): Buffer {
    this.pending = this.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.pending, bytes]);
    const packets = Math.floor(this.pending.length / TS_PACKET);
    for (let index = this.scanned; index < packets; index += 1) {
      const offset = index * TS_PACKET;
      if (this.pending[offset] === 0x47 && (this.pending[offset + 1]! & 0x40) !== 0) this.lastStart = index;
    }
    this.scanned = packets;
    if (this.lastStart === 0) return Buffer.alloc(0);
    const ready = this.pending.subarray(0, this.lastStart * TS_PACKET);
    this.pending = this.pending.subarray(this.lastStart * TS_PACKET);
    this.scanned -= this.lastStart;
    this.lastStart = 0;
    return Buffer.from(ready);
  }

  /** The stream is whole: the rest, as whole packets (a trailing partial packet is never sent). */
  end(): Buffer {
    const whole = Math.floor(this.pending.length / TS_PACKET) * TS_PACKET;
    const rest = Buffer.from(this.pending.subarray(0, whole));
    this.pending = Buffer.alloc(0);
    this.scanned = 0;
    this.lastStart = 0;
    return rest;
  }

  /** Bytes held back so far. */
  get held(): number {
    return this.pending.length;
  }
}
