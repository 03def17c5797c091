import type { MixerChannel, MixerSettings } from '../../shared/scenes';
import { GuestMeterStore } from './guest-meter-store';
import { MeterStore } from './meter-store';
import { MixerGraph } from './mixer-graph';
import type { InputChannel } from './mixer-settings';

/** Meter updates per second (read on animation frames, at most this often). */
export const METER_UPDATES_PER_S = 20;

/**
 * Owns the mixer's graph while the studio shows it: started and stopped by `useMixer`, it keeps the
 * wanted sources and settings and applies them to the graph, reads the meters on animation frames
 * into its MeterStore, and tells subscribers when the program track appears or goes.
 */
export class MixerEngine {
  readonly meters = new MeterStore();
  readonly guestMeters = new GuestMeterStore();
  private readonly wantedGuests = new Map<string, { track: MediaStreamTrack; channel: MixerChannel }>();
  private graph: MixerGraph | null = null;
  private readonly wanted: Record<InputChannel, MediaStreamTrack | null> = { mic: null, screen: null };
  private settings: MixerSettings | null = null;
  private readonly listeners = new Set<() => void>();
  private stopLoop: (() => void) | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The program audio track, or null while stopped (or without WebAudio). */
  readonly getTrack = (): MediaStreamTrack | null => this.graph?.track ?? null;

  start(): void {
    if (this.graph || typeof AudioContext === 'undefined') return;
    const graph = new MixerGraph();
    this.graph = graph;
    for (const name of ['mic', 'screen'] as const) graph.setSource(name, this.wanted[name]);
    if (this.settings) graph.apply(this.settings);
    for (const [id, { track, channel }] of this.wantedGuests) {
      graph.guests.set(id, track);
      graph.guests.apply(id, channel);
    }
    const wake = () => graph.resume();
    wake();
    window.addEventListener('pointerdown', wake);
    window.addEventListener('keydown', wake);
    let frame = 0;
    let last = 0;
    const tick = (time: number) => {
      frame = requestAnimationFrame(tick);
      if (time - last < 1000 / METER_UPDATES_PER_S) return;
      last = time;
      this.meters.push(graph.levels(), time);
      if (this.wantedGuests.size > 0 || Object.keys(this.guestMeters.get()).length > 0) this.guestMeters.push(graph.guests.levels());
    };
    frame = requestAnimationFrame(tick);
    this.stopLoop = () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('pointerdown', wake);
      window.removeEventListener('keydown', wake);
    };
    this.notify();
  }

  stop(): void {
    if (!this.graph) return;
    this.stopLoop?.();
    this.stopLoop = null;
    this.graph.close();
    this.graph = null;
    this.notify();
  }

  setSource(name: InputChannel, track: MediaStreamTrack | null): void {
    this.wanted[name] = track;
    this.graph?.setSource(name, track);
  }

  /** A guest's channel (null: gone); the program track stays the same. */
  setGuest(id: string, track: MediaStreamTrack | null, channel: MixerChannel): void {
    if (track) this.wantedGuests.set(id, { track, channel });
    else this.wantedGuests.delete(id);
    this.graph?.guests.set(id, track);
    if (track) this.graph?.guests.apply(id, channel);
    this.notify();
  }

  /** What the guest hears: the program's audio without their own voice. */
  returnTrack(id: string): MediaStreamTrack | null {
    return this.graph?.guests.returnTrack(id) ?? null;
  }

  apply(settings: MixerSettings): void {
    this.settings = settings;
    this.graph?.apply(settings);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
