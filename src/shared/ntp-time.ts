/**
 * NTP timestamps (seconds since 1900 and a 32-bit fraction), as the `prft` box of a fragmented MP4
 * carries them, to and from epoch milliseconds. The renderer writes them, main reads them.
 */

/** Seconds from 1900 (NTP's epoch) to 1970 (the Unix epoch). */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

/** `epochMs` as NTP [seconds, fraction of a second × 2³²]. */
export function ntpFromEpochMs(epochMs: number): [number, number] {
  const seconds = Math.floor(epochMs / 1000);
  const fraction = Math.min(0xffffffff, Math.round(((epochMs - seconds * 1000) / 1000) * 2 ** 32));
  return [seconds + NTP_UNIX_OFFSET_SECONDS, fraction];
}

/** An NTP [seconds, fraction] as epoch ms. */
export function epochMsFromNtp(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_OFFSET_SECONDS + fraction / 2 ** 32) * 1000;
}
