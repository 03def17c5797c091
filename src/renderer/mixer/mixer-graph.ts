import type { MixerSettings } from '../../shared/scenes';
import { channelGain, type Level, levelOfSamples } from './db';
import { GuestStrips } from './guest-strips';
import { INPUT_CHANNELS, type InputChannel, type MixerChannelName } from './mixer-settings';

/** Gain changes ramp over this long (no clicks); a mute reaches exactly 0 at its end. */
const RAMP_S = 0.02;
/** Samples each meter reads per update (~43 ms at 48 kHz; updates come every ~50 ms). */
const METER_WINDOW = 2048;

interface Strip {
  gain: GainNode;
  analyser: AnalyserNode;
}

/**
 * The WebAudio mix: each input (microphone, screen audio) → its GainNode → the master GainNode →
 * one MediaStreamAudioDestinationNode, whose track is the program audio. It is never connected to
 * the speakers. Each meter reads an AnalyserNode right after its gain (after mute), the master's
 * after the master gain: what the program carries.
 */
export class MixerGraph {
  readonly context: AudioContext;
  /** The program audio: the same track for the graph's life, whatever the sources do. */
  readonly track: MediaStreamTrack;
  private readonly strips: Record<MixerChannelName, Strip>;
  private readonly sources: Record<InputChannel, { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null> = { mic: null, screen: null };
  private readonly samples = new Float32Array(METER_WINDOW);
  /** One channel per guest, and each guest's return mix. */
  readonly guests: GuestStrips;

  constructor(context: AudioContext = new AudioContext({ latencyHint: 'interactive' })) {
    this.context = context;
    const strip = (): Strip => {
      const gain = context.createGain();
      const analyser = context.createAnalyser();
      analyser.fftSize = METER_WINDOW;
      gain.connect(analyser);
      return { gain, analyser };
    };
    this.strips = { mic: strip(), screen: strip(), master: strip() };
    const destination = context.createMediaStreamDestination();
    for (const name of INPUT_CHANNELS) this.strips[name].gain.connect(this.strips.master.gain);
    this.strips.master.gain.connect(destination);
    this.track = destination.stream.getAudioTracks()[0]!;
    this.guests = new GuestStrips(context, [this.strips.mic.gain, this.strips.screen.gain], this.strips.master.gain);
  }

  /** Plugs a track into an input (or unplugs it with null); the program track stays the same. */
  setSource(name: InputChannel, track: MediaStreamTrack | null): void {
    const current = this.sources[name];
    if (current?.track === track) return;
    current?.node.disconnect();
    this.sources[name] = null;
    if (!track) return;
    const node = this.context.createMediaStreamSource(new MediaStream([track]));
    node.connect(this.strips[name].gain);
    this.sources[name] = { track, node };
  }

  hasSource(name: InputChannel): boolean {
    return this.sources[name] !== null;
  }

  /** Gains and mutes, ramped. */
  apply(settings: MixerSettings): void {
    const now = this.context.currentTime;
    for (const name of ['mic', 'screen', 'master'] as const) {
      const { gain } = this.strips[name];
      const target = channelGain(settings[name].gainDb, settings[name].muted);
      gain.gain.cancelScheduledValues(now);
      gain.gain.setValueAtTime(gain.gain.value, now);
      gain.gain.linearRampToValueAtTime(target, now + RAMP_S);
    }
  }

  /** RMS and peak of the last ~43 ms at each meter point. */
  levels(): Record<MixerChannelName, Level> {
    const read = (name: MixerChannelName) => {
      this.strips[name].analyser.getFloatTimeDomainData(this.samples);
      return levelOfSamples(this.samples);
    };
    return { mic: read('mic'), screen: read('screen'), master: read('master') };
  }

  /** Autoplay rules may start the context suspended; a user gesture wakes it. */
  resume(): void {
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
  }

  close(): void {
    for (const name of INPUT_CHANNELS) this.setSource(name, null);
    this.guests.close();
    this.track.stop();
    void this.context.close().catch(() => {});
  }
}
