import type { MixerChannel } from '../../shared/scenes';
import { channelGain, type Level, levelOfSamples, SILENT_LEVEL } from './db';

const RAMP_S = 0.02;
const METER_WINDOW = 2048;

interface GuestStrip {
  track: MediaStreamTrack;
  source: MediaStreamAudioSourceNode;
  gain: GainNode;
  analyser: AnalyserNode;
  /** What this guest hears: the host's inputs and the other guests, never themselves (mix-minus). */
  back: MediaStreamAudioDestinationNode;
}

/**
 * One mixer channel per guest (gain, mute, meter) into the program's master, and for each guest
 * a return mix of everything else the program carries — the host's inputs and the other guests —
 * without the guest's own voice, so nobody hears themselves with a delay.
 */
export class GuestStrips {
  private readonly strips = new Map<string, GuestStrip>();
  private readonly samples = new Float32Array(METER_WINDOW);

  constructor(
    private readonly context: AudioContext,
    /** The host's inputs after their faders (microphone, screen audio). */
    private readonly hostInputs: AudioNode[],
    private readonly master: AudioNode,
  ) {}

  set(id: string, track: MediaStreamTrack | null): void {
    const current = this.strips.get(id);
    if (current?.track === track) return;
    if (current) this.remove(id, current);
    if (!track) return;
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    const gain = this.context.createGain();
    const analyser = this.context.createAnalyser();
    analyser.fftSize = METER_WINDOW;
    const back = this.context.createMediaStreamDestination();
    source.connect(gain);
    gain.connect(analyser);
    gain.connect(this.master);
    for (const input of this.hostInputs) input.connect(back);
    for (const other of this.strips.values()) {
      other.gain.connect(back);
      gain.connect(other.back);
    }
    this.strips.set(id, { track, source, gain, analyser, back });
  }

  apply(id: string, channel: MixerChannel): void {
    const strip = this.strips.get(id);
    if (!strip) return;
    const now = this.context.currentTime;
    strip.gain.gain.cancelScheduledValues(now);
    strip.gain.gain.setValueAtTime(strip.gain.gain.value, now);
    strip.gain.gain.linearRampToValueAtTime(channelGain(channel.gainDb, channel.muted), now + RAMP_S);
  }

  /** The guest's return audio (mix-minus), or null for a guest without a channel. */
  returnTrack(id: string): MediaStreamTrack | null {
    return this.strips.get(id)?.back.stream.getAudioTracks()[0] ?? null;
  }

  levels(): Record<string, Level> {
    const levels: Record<string, Level> = {};
    for (const [id, strip] of this.strips) {
      strip.analyser.getFloatTimeDomainData(this.samples);
      levels[id] = strip ? levelOfSamples(this.samples) : SILENT_LEVEL;
    }
    return levels;
  }

  ids(): string[] {
    return [...this.strips.keys()];
  }

  close(): void {
    for (const [id, strip] of this.strips) this.remove(id, strip);
  }

  private remove(id: string, strip: GuestStrip): void {
    this.strips.delete(id);
    strip.source.disconnect();
    strip.gain.disconnect();
    for (const input of this.hostInputs) input.disconnect(strip.back);
    for (const other of this.strips.values()) other.gain.disconnect(strip.back);
    for (const track of strip.back.stream.getTracks()) track.stop();
  }
}
