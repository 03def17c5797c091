import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { MixerChannel, MixerSettings } from '../../shared/scenes';
import type { GuestMeterStore } from './guest-meter-store';
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
  /** Guests' channels: plug a guest's audio in (null: out) with its gain and mute; their meters; their return mix. */
  guests: {
    set: (id: string, track: MediaStreamTrack | null, channel: MixerChannel) => void;
    returnTrack: (id: string) => MediaStreamTrack | null;
    meters: GuestMeterStore;
  };
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
  const guests = useMemo(
    () => ({
      set: (id: string, guestTrack: MediaStreamTrack | null, channel: MixerChannel) => engine.setGuest(id, guestTrack, channel),
      returnTrack: (id: string) => engine.returnTrack(id),
      meters: engine.guestMeters,
    }),
    // A new program track (the mixer restarted) means new return tracks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [engine, track],
  );

  return {
    track,
    meters: engine.meters,
    settings,
    inputs: { mic: Boolean(track && mic), screen: Boolean(track && screen) },
    setGain,
    setMuted,
    toggleMute: toggle,
    guests,
  };
}
