import { type Level, nextPeakHold, NO_PEAK, type PeakHold, SILENCE_DB } from './db';
import { METER_NAMES, type MixerChannelName } from './mixer-settings';

export interface MeterReading {
  rmsDb: number;
  peakDb: number;
  /** The peak-hold marker (held 1.5 s, then falling). */
  holdDb: number;
}

export type MeterSnapshot = Readonly<Record<MixerChannelName, MeterReading>>;

const SILENT: MeterReading = { rmsDb: SILENCE_DB, peakDb: SILENCE_DB, holdDb: SILENCE_DB };
/** Changes smaller than this are not worth a repaint. */
const EPSILON_DB = 0.1;

const same = (a: MeterReading, b: MeterReading) =>
  Math.abs(a.rmsDb - b.rmsDb) < EPSILON_DB && Math.abs(a.peakDb - b.peakDb) < EPSILON_DB && Math.abs(a.holdDb - b.holdDb) < EPSILON_DB;

/**
 * The meters' readings, outside React state: meter components subscribe
 * (`useSyncExternalStore`), so ~20 updates a second repaint the meters and nothing else.
 */
export class MeterStore {
  private snapshot: MeterSnapshot = { mic: SILENT, screen: SILENT, master: SILENT };
  private holds: Record<MixerChannelName, PeakHold> = { mic: NO_PEAK, screen: NO_PEAK, master: NO_PEAK };
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = (): MeterSnapshot => this.snapshot;

  /** One reading of every meter at `now` (ms). */
  push(levels: Record<MixerChannelName, Level>, now: number): void {
    let changed = false;
    const next = { ...this.snapshot };
    for (const name of METER_NAMES) {
      this.holds[name] = nextPeakHold(this.holds[name], levels[name].peakDb, now);
      const reading = { ...levels[name], holdDb: this.holds[name].db };
      if (!same(reading, this.snapshot[name])) {
        next[name] = reading;
        changed = true;
      }
    }
    if (!changed) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
