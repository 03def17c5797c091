import { GUEST_WIRE_MAX_BYTES, type GuestWireIn, guestWireInSchema } from '../../../shared/guests';

export type WireVerdict = { ok: true; message: GuestWireIn } | { ok: false; reason: 'oversize' | 'binary' | 'malformed' | 'replayed' | 'order' };

/**
 * One guest connection's incoming messages: text JSON only, at most GUEST_WIRE_MAX_BYTES, the
 * shape of `guestWireInSchema`, `hello` first and only once, then `seq` rising by exactly one
 * (a replayed, skipped or reordered message is refused, and the connection with it).
 */
export class GuestWireReader {
  private lastSeq = 0;

  read(data: Buffer | string, isBinary: boolean): WireVerdict {
    if (isBinary) return { ok: false, reason: 'binary' };
    const text = typeof data === 'string' ? data : data.toString('utf8');
    if (Buffer.byteLength(text) > GUEST_WIRE_MAX_BYTES) return { ok: false, reason: 'oversize' };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const parsed = guestWireInSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    const message = parsed.data;
    if (message.seq <= this.lastSeq) return { ok: false, reason: 'replayed' };
    if (message.seq !== this.lastSeq + 1) return { ok: false, reason: 'order' };
    this.lastSeq = message.seq;
    return { ok: true, message };
  }

  joined(): boolean {
    return this.lastSeq >= 1;
  }
}
