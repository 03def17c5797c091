import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDb, METER_CEILING_DB, METER_FLOOR_DB, METER_TICKS_DB, meterFraction } from './db';
import type { MeterStore } from './meter-store';
import type { MixerChannelName } from './mixer-settings';

const percent = (db: number) => `${(meterFraction(db) * 100).toFixed(1)}%`;

/**
 * One channel's meter: the RMS bar, the peak-hold marker and the numeric peak, on a −60…0 dBFS
 * scale with ticks. Subscribes to the MeterStore itself, so only this meter repaints.
 */
export function LevelMeter({ meters, name, label }: { meters: MeterStore; name: MixerChannelName; label: string }) {
  const { t } = useTranslation();
  const reading = useSyncExternalStore(meters.subscribe, () => meters.get()[name]);
  const now = Math.round(Math.min(METER_CEILING_DB, Math.max(METER_FLOOR_DB, reading.rmsDb)) * 10) / 10;
  const silent = reading.peakDb <= METER_FLOOR_DB;
  return (
    <div className="level-meter" data-testid={`meter-${name}`} data-peak-db={reading.peakDb.toFixed(1)} data-hold-db={reading.holdDb.toFixed(1)}>
      <div
        className="level-meter-scale"
        role="meter"
        aria-label={t('mixer.meter', { channel: label })}
        aria-valuemin={METER_FLOOR_DB}
        aria-valuemax={METER_CEILING_DB}
        aria-valuenow={now}
        aria-valuetext={silent ? t('mixer.silence') : t('mixer.valueText', { rms: formatDb(reading.rmsDb), peak: formatDb(reading.peakDb) })}
      >
        <div className={reading.peakDb > -1 ? 'level-meter-bar over' : 'level-meter-bar'} style={{ width: percent(reading.rmsDb) }} />
        <div className="level-meter-peak" style={{ left: percent(reading.holdDb) }} aria-hidden="true" />
        {METER_TICKS_DB.map((db) => (
          <span key={db} className="level-meter-tick" style={{ left: percent(db) }} aria-hidden="true">
            <span>{db}</span>
          </span>
        ))}
      </div>
      <span className="level-meter-value" data-testid={`meter-${name}-peak`}>
        {t('mixer.peak', { db: formatDb(reading.holdDb) })}
      </span>
    </div>
  );
}
