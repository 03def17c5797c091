import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { GAIN_DB_MAX, GAIN_DB_MIN } from '../../shared/scenes';
import { formatDb } from './db';
import { LevelMeter } from './LevelMeter';
import { GAIN_STEP_DB, type MixerChannelName } from './mixer-settings';
import type { Mixer } from './use-mixer';

function ChannelStrip({ mixer, name }: { mixer: Mixer; name: MixerChannelName }) {
  const { t } = useTranslation();
  const sliderId = useId();
  const label = t(`mixer.channels.${name}`);
  const channel = mixer.settings[name];
  const connected = name === 'master' || mixer.inputs[name];
  return (
    <div className={`mixer-strip mixer-strip-${name}${channel.muted ? ' muted' : ''}`} data-testid={`mixer-strip-${name}`} role="group" aria-label={label}>
      <div className="mixer-strip-head">
        <span className="mixer-strip-name">{label}</span>
        {!connected && <span className="mixer-strip-note">{t('mixer.noSource')}</span>}
      </div>
      <LevelMeter meters={mixer.meters} name={name} label={label} />
      <div className="mixer-strip-controls">
        <input
          id={sliderId}
          aria-label={t('mixer.gain', { channel: label })}
          type="range"
          min={GAIN_DB_MIN}
          max={GAIN_DB_MAX}
          step={GAIN_STEP_DB}
          value={channel.gainDb}
          aria-valuetext={t('mixer.gainValue', { db: formatDb(channel.gainDb) })}
          onChange={(event) => mixer.setGain(name, Number(event.currentTarget.value))}
          onDoubleClick={() => mixer.setGain(name, 0)}
        />
        <output htmlFor={sliderId} className="mixer-gain-value">
          {t('mixer.gainValue', { db: formatDb(channel.gainDb) })}
        </output>
        <button
          type="button"
          className={channel.muted ? 'mute on' : 'mute'}
          aria-pressed={channel.muted}
          aria-label={t('mixer.muteLabel', { channel: label })}
          onClick={() => mixer.toggleMute(name)}
        >
          {channel.muted ? t('mixer.muted') : t('mixer.mute')}
        </button>
      </div>
    </div>
  );
}

/** The mixer: microphone, screen audio and the master (what the program carries), each with meter, gain and mute. */
export function MixerPanel({ mixer }: { mixer: Mixer }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="mixer-panel" aria-labelledby={headingId} data-testid="mixer-panel">
      <h2 id={headingId}>{t('mixer.heading')}</h2>
      <p className="mixer-help">{t('mixer.help')}</p>
      <ChannelStrip mixer={mixer} name="mic" />
      <ChannelStrip mixer={mixer} name="screen" />
      <ChannelStrip mixer={mixer} name="master" />
    </section>
  );
}
