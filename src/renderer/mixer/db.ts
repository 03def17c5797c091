/**
 * The mixer's dB arithmetic, free of WebAudio and React: gain in dB ↔ linear, a block of samples →
 * RMS and peak in dBFS, and the peak-hold marker (held, then falling).
 */

/** What the meters draw: −60 dBFS (bottom) to 0 dBFS (top). */
export const METER_FLOOR_DB = -60;
export const METER_CEILING_DB = 0;
/** Below this a level counts as silence (digital zero gives −∞). */
export const SILENCE_DB = -100;
/** The tick marks of every meter, in dBFS. */
export const METER_TICKS_DB = [-60, -40, -20, -6, 0] as const;
/** How long the peak marker stays put before it falls. */
export const PEAK_HOLD_MS = 1500;
/** How fast it falls after that. */
export const PEAK_FALL_DB_PER_S = 20;

export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}

/** Amplitude → dB, with silence as SILENCE_DB rather than −∞. */
export function linearToDb(linear: number): number {
  if (!(linear > 0)) return SILENCE_DB;
  return Math.max(SILENCE_DB, 20 * Math.log10(linear));
}

/** A channel's effective linear gain: muted is exactly 0. */
export function channelGain(gainDb: number, muted: boolean): number {
  return muted ? 0 : dbToLinear(gainDb);
}

export interface Level {
  rmsDb: number;
  peakDb: number;
}

export const SILENT_LEVEL: Level = { rmsDb: SILENCE_DB, peakDb: SILENCE_DB };

/** RMS and sample peak of one block, in dBFS (a full-scale sine: RMS −3 dBFS, peak 0 dBFS). */
export function levelOfSamples(samples: ArrayLike<number>): Level {
  if (samples.length === 0) return SILENT_LEVEL;
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    sum += sample * sample;
    const magnitude = Math.abs(sample);
    if (magnitude > peak) peak = magnitude;
  }
  return { rmsDb: linearToDb(Math.sqrt(sum / samples.length)), peakDb: linearToDb(peak) };
}

export interface PeakHold {
  /** Where the marker is, in dBFS. */
  db: number;
  /** When it last rose (ms, any monotonic clock). */
  at: number;
}

export const NO_PEAK: PeakHold = { db: SILENCE_DB, at: 0 };

/**
 * The peak marker after a new reading at `now`: a higher peak moves it up at once; otherwise it
 * stays for PEAK_HOLD_MS, then falls at PEAK_FALL_DB_PER_S, never below the current peak.
 */
export function nextPeakHold(hold: PeakHold, peakDb: number, now: number): PeakHold {
  if (peakDb >= hold.db) return { db: peakDb, at: now };
  const held = now - hold.at;
  if (held <= PEAK_HOLD_MS) return hold;
  const fallen = hold.db - ((held - PEAK_HOLD_MS) / 1000) * PEAK_FALL_DB_PER_S;
  return { db: Math.max(peakDb, fallen, SILENCE_DB), at: hold.at };
}

/** Where a level sits on the meter, 0 (floor) … 1 (0 dBFS). */
export function meterFraction(db: number): number {
  return Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / (METER_CEILING_DB - METER_FLOOR_DB)));
}

/** `−12.5`, `+3.0`, `0.0`; silence (or below the meter) as `−∞`. */
export function formatDb(db: number): string {
  if (db <= SILENCE_DB) return '−∞';
  const fixed = Math.abs(db).toFixed(1);
  if (fixed === '0.0') return '0.0';
  return `${db < 0 ? '−' : '+'}${fixed}`;
}
