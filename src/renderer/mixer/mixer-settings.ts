import { GAIN_DB_MAX, GAIN_DB_MIN, type MixerChannel, type MixerSettings } from '../../shared/scenes';

/** The mixer's inputs; `master` is their sum, what the program carries. */
export const INPUT_CHANNELS = ['mic', 'screen'] as const;
export type InputChannel = (typeof INPUT_CHANNELS)[number];
export const METER_NAMES = ['mic', 'screen', 'master'] as const;
export type MixerChannelName = (typeof METER_NAMES)[number];

/** The gain slider's step, in dB. */
export const GAIN_STEP_DB = 0.5;

export function clampGainDb(db: number): number {
  if (!Number.isFinite(db)) return 0;
  return Math.min(GAIN_DB_MAX, Math.max(GAIN_DB_MIN, Math.round(db / GAIN_STEP_DB) * GAIN_STEP_DB));
}

/** The settings with one channel changed (gain clamped to the mixer's range). */
export function withChannel(settings: MixerSettings, name: MixerChannelName, patch: Partial<MixerChannel>): MixerSettings {
  const next = { ...settings[name], ...patch };
  return { ...settings, [name]: { gainDb: clampGainDb(next.gainDb), muted: next.muted } };
}

/** Mute ↔ unmute one channel (the studio's mute button and Ctrl+Shift+M use `mic`). */
export function toggleMute(settings: MixerSettings, name: MixerChannelName): MixerSettings {
  return withChannel(settings, name, { muted: !settings[name].muted });
}
