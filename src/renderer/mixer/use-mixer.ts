import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { MixerSettings } from '../../shared/scenes';
import type { MeterStore } from './meter-store';
import { MixerEngine } from './mixer-engine';
import { type InputChannel, type MixerChannelName, toggleMute, withChannel } from './mixer-settings';

export interface MixerOptions {
  mic: MediaStreamTrack | null;
  /** The shared screen's or tab's audio track, where the platform gives one. */
  screen: MediaStreamTrack | null;
  settings: MixerSettings;
  onChange: (settings: MixerSettings) => void;
}

export interface Mixer {
  /** The program audio (one MediaStreamAudioDestinationNode track, stable while sources change); null until it exists. */
  track: MediaStreamTrack | null;
  meters: MeterStore;
  settings: MixerSettings;
  /** Which inputs have a track plugged in. */
  inputs: Record<InputChannel, boolean>;
  setGain: (name: MixerChannelName, gainDb: number) => void;
  setMuted: (name: MixerChannelName, muted: boolean) => void;
  toggleMute: (name: MixerChannelName) => void;
}

/**
 * The studio's audio mixer on WebAudio: microphone and screen audio, each with gain and mute, into
 * a master whose output track is the program audio. The meters live in a MeterStore, so their
 * updates never re-render the component that holds the mixer.
 */
export function useMixer({ mic, screen, settings, onChange }: MixerOptions): Mixer {
  const [engine] = useState(() => new MixerEngine());
  useEffect(() => {
    engine.start();
    return () => engine.stop();
  }, [engine]);
  const track = useSyncExternalStore(engine.subscribe, engine.getTrack);

  useEffect(() => engine.setSource('mic', mic), [engine, mic]);
  useEffect(() => engine.setSource('screen', screen), [engine, screen]);
  useEffect(() => engine.apply(settings), [engine, settings]);

  // The newest settings and callback, so the controls stay the same functions.
  const latest = useRef({ settings, onChange });
  useEffect(() => {
    latest.current = { settings, onChange };
  });
  const change = useCallback((next: (current: MixerSettings) => MixerSettings) => {
    const updated = next(latest.current.settings);
    // A second change before the next render builds on this one.
    latest.current = { ...latest.current, settings: updated };
    latest.current.onChange(updated);
  }, []);
  const setGain = useCallback((name: MixerChannelName, gainDb: number) => change((current) => withChannel(current, name, { gainDb })), [change]);
  const setMuted = useCallback((name: MixerChannelName, muted: boolean) => change((current) => withChannel(current, name, { muted })), [change]);
  const toggle = useCallback((name: MixerChannelName) => change((current) => toggleMute(current, name)), [change]);

  return {
    track,
    meters: engine.meters,
    settings,
    inputs: { mic: Boolean(track && mic), screen: Boolean(track && screen) },
    setGain,
    setMuted,
    toggleMute: toggle,
  };
}
