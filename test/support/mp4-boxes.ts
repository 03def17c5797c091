/** A tiny fragmented-MP4-shaped stream for the feed's framer: top-level boxes of filler bytes. */
export function box(type: string, body = 8): Buffer {
  const out = Buffer.alloc(8 + body, 0x11);
  out.writeUInt32BE(8 + body, 0);
  out.write(type, 4, 'latin1');
  return out;
}

/** ftyp + moov (no track: every fragment start is a boundary). */
export const TINY_INIT = Buffer.concat([box('ftyp'), box('moov', 24)]);

/** One moof + mdat fragment; `n` makes each one's bytes differ. */
export const tinyFragment = (n: number): Buffer => Buffer.concat([box('moof', 8 + n), box('mdat', 32)]);
