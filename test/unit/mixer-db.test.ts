import { describe, expect, it } from 'vitest';
import {
  channelGain,
  dbToLinear,
  formatDb,
  levelOfSamples,
  linearToDb,
  meterFraction,
  nextPeakHold,
  NO_PEAK,
  PEAK_FALL_DB_PER_S,
  PEAK_HOLD_MS,
  SILENCE_DB,
} from '../../src/renderer/mixer/db';

const sine = (amplitude: number, length = 4800, period = 48) => Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * i) / period));

describe('mixer dB math', () => {
  it('turns gain in dB into a linear factor and back', () => {
    expect(dbToLinear(0)).toBe(1);
    expect(dbToLinear(-6)).toBeCloseTo(0.501, 3);
    expect(dbToLinear(-20)).toBeCloseTo(0.1, 10);
    expect(dbToLinear(12)).toBeCloseTo(3.981, 3);
    for (const db of [-60, -37.5, -6, 0, 5.5, 12]) expect(linearToDb(dbToLinear(db))).toBeCloseTo(db, 9);
    expect(linearToDb(0)).toBe(SILENCE_DB);
    expect(linearToDb(-1)).toBe(SILENCE_DB);
    expect(linearToDb(1e-9)).toBe(SILENCE_DB);
  });

  it('mutes to exactly zero and otherwise applies the gain', () => {
    expect(channelGain(6, true)).toBe(0);
    expect(channelGain(-20, false)).toBeCloseTo(0.1, 10);
  });

  it('measures RMS and peak of a block in dBFS', () => {
    const full = levelOfSamples(sine(1));
    expect(full.peakDb).toBeCloseTo(0, 2);
    expect(full.rmsDb).toBeCloseTo(-3.01, 1);
    const quiet = levelOfSamples(sine(0.1));
    expect(quiet.peakDb).toBeCloseTo(-20, 1);
    expect(quiet.rmsDb).toBeCloseTo(-23.01, 1);
    // One click in silence: the peak sees it, the RMS barely.
    const click = new Float32Array(2048);
    click[100] = 0.5;
    expect(levelOfSamples(click).peakDb).toBeCloseTo(-6.02, 2);
    expect(levelOfSamples(click).rmsDb).toBeLessThan(-38);
    expect(levelOfSamples(new Float32Array(512))).toEqual({ rmsDb: SILENCE_DB, peakDb: SILENCE_DB });
    expect(levelOfSamples([])).toEqual({ rmsDb: SILENCE_DB, peakDb: SILENCE_DB });
  });

  it('holds a peak for 1.5 s, then lets it fall, and jumps up to a higher one at once', () => {
    let hold = nextPeakHold(NO_PEAK, -6, 1000);
    expect(hold).toEqual({ db: -6, at: 1000 });
    hold = nextPeakHold(hold, -30, 1000 + PEAK_HOLD_MS);
    expect(hold.db).toBe(-6);
    const oneSecondLater = nextPeakHold(hold, -30, 1000 + PEAK_HOLD_MS + 1000);
    expect(oneSecondLater.db).toBeCloseTo(-6 - PEAK_FALL_DB_PER_S, 9);
    // Never below what is playing now.
    expect(nextPeakHold(hold, -30, 1000 + PEAK_HOLD_MS + 60_000).db).toBe(-30);
    expect(nextPeakHold(hold, SILENCE_DB, 1000 + PEAK_HOLD_MS + 60_000).db).toBe(SILENCE_DB);
    expect(nextPeakHold(oneSecondLater, -3, 5000)).toEqual({ db: -3, at: 5000 });
  });

  it('places levels on the −60…0 dBFS meter and prints them', () => {
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(-90)).toBe(0);
    expect(meterFraction(-30)).toBe(0.5);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(4)).toBe(1);
    expect(formatDb(-12.34)).toBe('−12.3');
    expect(formatDb(3)).toBe('+3.0');
    expect(formatDb(-0.01)).toBe('0.0');
    expect(formatDb(SILENCE_DB)).toBe('−∞');
  });
});
