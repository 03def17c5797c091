import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { PEAK_FALL_DB_PER_S, PEAK_HOLD_MS, SILENCE_DB } from '../../src/renderer/mixer/db';
import { MixerPanel } from '../../src/renderer/mixer/MixerPanel';
import { toggleMute, withChannel } from '../../src/renderer/mixer/mixer-settings';
import type { MeterStore } from '../../src/renderer/mixer/meter-store';
import { type Mixer, useMixer } from '../../src/renderer/mixer/use-mixer';
import { defaultScenesDoc, type MixerSettings } from '../../src/shared/scenes';
import { setupTestI18n } from './support/fake-onair';

const silent = { rmsDb: SILENCE_DB, peakDb: SILENCE_DB };

/** The real useMixer (happy-dom has no WebAudio, so no graph: the settings and meter plumbing only) with its panel. */
function Harness({ onMixer, onRender }: { onMixer: (mixer: Mixer) => void; onRender?: () => void }) {
  const [settings, setSettings] = useState<MixerSettings>(defaultScenesDoc().mixer);
  const mixer = useMixer({ mic: null, screen: null, settings, onChange: setSettings });
  onMixer(mixer);
  onRender?.();
  return <MixerPanel mixer={mixer} />;
}

function renderMixer(onRender?: () => void) {
  let latest: Mixer | null = null;
  render(<Harness onMixer={(mixer) => (latest = mixer)} onRender={onRender} />);
  return { mixer: () => latest!, meters: (): MeterStore => latest!.meters };
}

const meter = (name: string) => screen.getByRole('meter', { name });

afterEach(cleanup);

describe('MixerPanel', () => {
  it('shows a strip per channel with a dBFS meter (ticks −60…0), a gain slider and a mute button', async () => {
    await setupTestI18n('en');
    renderMixer();
    for (const name of ['Microphone', 'Screen audio', 'Master']) {
      expect(screen.getByRole('group', { name })).toBeTruthy();
      const level = meter(`${name} level`);
      expect(level.getAttribute('aria-valuemin')).toBe('-60');
      expect(level.getAttribute('aria-valuemax')).toBe('0');
      expect(level.getAttribute('aria-valuenow')).toBe('-60');
      expect(level.getAttribute('aria-valuetext')).toBe('silence');
      expect(screen.getByRole('slider', { name: `${name} gain` })).toBeTruthy();
      expect(screen.getByRole('button', { name: `Mute ${name}` }).getAttribute('aria-pressed')).toBe('false');
    }
    const ticks = [...screen.getByTestId('meter-mic').querySelectorAll('.level-meter-tick')].map((tick) => tick.textContent);
    expect(ticks).toEqual(['-60', '-40', '-20', '-6', '0']);
    // Without a source the inputs say so; the master never does.
    expect(screen.getByTestId('mixer-strip-mic').textContent).toContain('No source');
    expect(screen.getByTestId('mixer-strip-master').textContent).not.toContain('No source');
  });

  it('moves the meters with the readings, holds the peak 1.5 s, then lets it fall', async () => {
    await setupTestI18n('en');
    const { meters } = renderMixer();
    act(() => meters().push({ mic: { rmsDb: -24.2, peakDb: -12 }, screen: silent, master: { rmsDb: -24.2, peakDb: -12 } }, 1000));
    expect(meter('Microphone level').getAttribute('aria-valuenow')).toBe('-24.2');
    expect(meter('Microphone level').getAttribute('aria-valuetext')).toBe('−24.2 dBFS, peak −12.0 dBFS');
    expect(screen.getByTestId('meter-mic-peak').textContent).toBe('Peak −12.0');
    expect(meter('Screen audio level').getAttribute('aria-valuetext')).toBe('silence');
    // Quieter: the bar drops, the peak marker stays.
    act(() => meters().push({ mic: { rmsDb: -50, peakDb: -40 }, screen: silent, master: { rmsDb: -50, peakDb: -40 } }, 1000 + PEAK_HOLD_MS));
    expect(meter('Microphone level').getAttribute('aria-valuenow')).toBe('-50');
    expect(screen.getByTestId('meter-mic-peak').textContent).toBe('Peak −12.0');
    // Then it falls (20 dB/s).
    act(() => meters().push({ mic: { rmsDb: -50, peakDb: -40 }, screen: silent, master: { rmsDb: -50, peakDb: -40 } }, 1000 + PEAK_HOLD_MS + 500));
    expect(screen.getByTestId('meter-mic-peak').textContent).toBe(`Peak −${(12 + PEAK_FALL_DB_PER_S / 2).toFixed(1)}`);
    // A level above 0 dBFS is drawn full (and clipped in aria to the scale).
    act(() => meters().push({ mic: { rmsDb: 2, peakDb: 3 }, screen: silent, master: { rmsDb: 2, peakDb: 3 } }, 5000));
    expect(meter('Master level').getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByTestId('meter-master-peak').textContent).toBe('Peak +3.0');
  });

  it('repaints the meters without re-rendering the component that holds the mixer', async () => {
    await setupTestI18n('en');
    let renders = 0;
    const { meters } = renderMixer(() => renders++);
    const before = renders;
    for (let i = 0; i < 20; i++) {
      act(() => meters().push({ mic: { rmsDb: -30 + i, peakDb: -20 + i }, screen: silent, master: { rmsDb: -30 + i, peakDb: -20 + i } }, 1000 + i * 50));
    }
    expect(meter('Microphone level').getAttribute('aria-valuenow')).toBe('-11');
    expect(renders).toBe(before);
  });

  it('changes gain in dB steps within −60…+12 and mutes per channel through onChange', async () => {
    await setupTestI18n('en');
    const { mixer } = renderMixer();
    const slider = screen.getByRole('slider', { name: 'Microphone gain' }) as HTMLInputElement;
    expect(slider.min).toBe('-60');
    expect(slider.max).toBe('12');
    fireEvent.change(slider, { target: { value: '-12.3' } });
    expect(mixer().settings.mic).toEqual({ gainDb: -12.5, muted: false });
    expect(screen.getByTestId('mixer-strip-mic').textContent).toContain('−12.5 dB');
    fireEvent.doubleClick(slider);
    expect(mixer().settings.mic.gainDb).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Mute Master' }));
    expect(mixer().settings.master.muted).toBe(true);
    expect(screen.getByRole('button', { name: 'Mute Master' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Mute Master' }).textContent).toBe('Muted');
    // The studio's mute button and shortcut use the same control for the microphone.
    act(() => mixer().toggleMute('mic'));
    act(() => mixer().toggleMute('mic'));
    act(() => mixer().toggleMute('mic'));
    expect(mixer().settings.mic.muted).toBe(true);
    expect(mixer().settings.screen).toEqual({ gainDb: 0, muted: false });
  });

  it('keeps settings in range in the pure helpers', () => {
    const settings = defaultScenesDoc().mixer;
    expect(withChannel(settings, 'screen', { gainDb: 40 }).screen.gainDb).toBe(12);
    expect(withChannel(settings, 'screen', { gainDb: -80 }).screen.gainDb).toBe(-60);
    expect(withChannel(settings, 'screen', { gainDb: Number.NaN }).screen.gainDb).toBe(0);
    expect(toggleMute(settings, 'mic').mic.muted).toBe(true);
    expect(settings.mic.muted).toBe(false);
  });

  it('speaks Japanese', async () => {
    await setupTestI18n('ja');
    renderMixer();
    expect(screen.getByRole('heading', { name: 'オーディオミキサー' })).toBeTruthy();
    expect(meter('マイクのレベル').getAttribute('aria-valuetext')).toBe('無音');
    expect(screen.getByRole('button', { name: 'マスターをミュート' }).textContent).toBe('ミュート');
    expect(screen.getByRole('slider', { name: '画面の音声のゲイン' })).toBeTruthy();
  });
});
