import {
  type DestinationFailureReason,
  type DestinationHealth,
  type DestinationRuntime,
  type DestinationsSnapshot,
  IDLE_DESTINATION_HEALTH,
} from '../../../shared/destinations';
import { StudioError } from '../../../shared/errors';
import type { ProgramFeed, ProgramFeedSink } from '../media/feed/program-feed';
import type { RtmpOutputHealth, RtmpOutputOptions, RtmpOutputState } from '../media/rtmp/index';
import { RtmpOutput } from '../media/rtmp/index';
import type { DestinationChange, DestinationService, StoredDestination } from './destination-service';

/** What the runner needs to make one destination's output; tests and the audio stage shape it. */
export type OutputFactory = (options: RtmpOutputOptions) => RtmpOutput;

/** Where the destinations' outputs read the program feed: the feed itself, or a shared audio stage in front of it. */
export interface DestinationFeed {
  add(sink: ProgramFeedSink): void;
  remove(sink: ProgramFeedSink): void;
  /** Options every output gets for this feed (input format, audio copy, …). */
  outputOptions(): Partial<RtmpOutputOptions>;
  /** Resolves once nothing of its own runs any more (after the last output left). */
  idle?(): Promise<void>;
}

export interface DestinationRunnerOptions {
  service: DestinationService;
  feed: ProgramFeed;
  /** Where outputs attach; default: the program feed itself (each output transcodes its audio). */
  outputsFeed?: DestinationFeed;
  /**
   * The ffmpeg to spawn, checked (`ffmpegChecker.check`) right before every spawn. Throws a
   * StudioError (`media.ffmpeg_missing`, `ffmpeg.*`) when there is none fit to use.
   */
  resolveFfmpeg: () => Promise<string>;
  /** Test-only: the CA bundle RTMPS servers are verified against (default: the system bundle). */
  caFile?: string | null;
  /** Extra RtmpOutput options (tests: shorter backoff, stall). */
  outputOptions?: Partial<RtmpOutputOptions>;
  createOutput?: OutputFactory;
  onChange: (snapshot: DestinationsSnapshot) => void;
  log?: (line: string) => void;
  now?: () => number;
}

interface Running {
  destination: StoredDestination;
  output: RtmpOutput | null;
  sink: ProgramFeedSink | null;
  /** Bumped on every (re)start so a late async step of an older start does nothing. */
  generation: number;
  /** Options for this start only (Reconnect now after a late rejection tries once). */
  once: Partial<RtmpOutputOptions>;
}

const OFF = (at: number): DestinationRuntime => ({ state: 'off', attempt: null, nextTryInMs: null, reason: null, at, health: { ...IDLE_DESTINATION_HEALTH } });

/**
 * Runs one RtmpOutput per enabled destination while live (from Go live to Stop), each on its
 * own: one failing, reconnecting or being edited never touches another, the preview or a
 * recording. Reports state and health per destination as `destinations.changed` snapshots.
 */
export class DestinationRunner {
  private live = false;
  private readonly running = new Map<string, Running>();
  private readonly runtime = new Map<string, DestinationRuntime>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private emitTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private generation = 0;
  /** Reconnects of outputs replaced during this live session (a restart is one more), per destination. */
  private readonly reconnectBase = new Map<string, number>();

  constructor(private readonly options: DestinationRunnerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    options.service.subscribe((change) => void this.onConfig(change));
  }

  isLive(): boolean {
    return this.live;
  }

  hasEnabled(): boolean {
    return this.options.service.stored().some((destination) => destination.enabled);
  }

  snapshot(): DestinationsSnapshot {
    const destinations = this.options.service.list();
    const at = this.now();
    return {
      live: this.live,
      destinations,
      runtime: Object.fromEntries(destinations.map((destination) => [destination.id, this.runtime.get(destination.id) ?? OFF(at)])),
    };
  }

  runtimeOf(id: string): DestinationRuntime {
    if (!this.options.service.find(id)) throw new StudioError('destination.not_found', 'There is no destination with this id.');
    return this.runtime.get(id) ?? OFF(this.now());
  }

  /** Go live: every enabled destination starts; the program feed is wanted until `stop()`. */
  async start(): Promise<void> {
    if (this.live) return;
    this.live = true;
    this.reconnectBase.clear();
    for (const destination of this.options.service.stored()) if (destination.enabled) this.startOne(destination);
    this.emitSoon();
  }

  /** Stop: every destination ends (ffmpeg finishes the stream, or is killed after a bound). */
  async stop(): Promise<void> {
    if (!this.live && this.running.size === 0) {
      // A change still waiting to be announced goes out before Stop (or quit) answers, never after:
      // a late announcement read the settings store of a studio already closed (and re-created its folder).
      if (this.emitTimer) this.emitNow();
      return;
    }
    this.live = false;
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
    this.updateNeed();
    // Stop (and quit) end the shared audio stage's ffmpeg too before they answer.
    await this.options.outputsFeed?.idle?.();
    this.emitNow();
  }

  /**
   * Quit: Stop, then nothing more is announced — an output's or the stage's late event after the
   * studio closed would read the settings store of a closed studio (and re-create its folder).
   */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
  }

  /** Reconnect now: skips the wait while reconnecting; a failed (or off) destination is started again. */
  async reconnect(id: string): Promise<DestinationRuntime> {
    const destination = this.options.service.find(id);
    if (!destination) throw new StudioError('destination.not_found', 'There is no destination with this id.');
    if (!this.live || !destination.enabled) return this.runtimeOf(id);
    const running = this.running.get(id);
    const state = running?.output?.state().state;
    if (running?.output && state === 'reconnecting') {
      running.output.reconnectNow();
    } else if (state !== 'connecting' && state !== 'live') {
      // After a late rejection, Reconnect now tries once: one more short run fails again at once.
      const lateRejected = this.runtime.get(id)?.reason === 'rejected_after_publish';
      await this.stopOne(id);
      this.startOne(destination, lateRejected ? { lateRejectAttempts: 1 } : {});
    }
    return this.runtimeOf(id);
  }

  private async onConfig(change: DestinationChange): Promise<void> {
    if (change.kind === 'removed') {
      await this.stopOne(change.id);
      this.runtime.delete(change.id);
    } else if (this.live) {
      const { destination } = change;
      const running = this.running.get(destination.id);
      if (!destination.enabled) await this.stopOne(destination.id);
      else if (!running) this.startOne(destination);
      else if (change.kind === 'updated' && change.targetChanged) {
        await this.stopOne(destination.id);
        this.startOne(destination);
      } else running.destination = destination;
    }
    // Stops for a restart keep the feed; only the last destination turned off or removed releases it.
    this.updateNeed();
    this.emitSoon();
  }

  private startOne(destination: StoredDestination, once: Partial<RtmpOutputOptions> = {}): void {
    const generation = ++this.generation;
    const entry: Running = { destination, output: null, sink: null, generation, once };
    this.running.set(destination.id, entry);
    this.updateNeed();
    this.setRuntime(destination.id, { state: 'connecting', attempt: 1, nextTryInMs: null, reason: null });
    void this.launch(entry).catch((error: unknown) => {
      this.log(`destination ${destination.id}: could not start (${error instanceof StudioError ? error.code : 'error'})`);
      if (this.running.get(destination.id)?.generation === generation) this.setRuntime(destination.id, failed('spawn_failed'));
    });
  }

  private async launch(entry: Running): Promise<void> {
    const { destination } = entry;
    const current = () => this.running.get(destination.id) === entry;
    let streamKey: string | null;
    try {
      streamKey = await this.options.service.streamKey(destination.id);
    } catch {
      if (current()) this.setRuntime(destination.id, failed('key_unreadable'));
      return;
    }
    if (!current()) return;
    if (!streamKey) {
      this.setRuntime(destination.id, failed('key_missing'));
      return;
    }
    const feed = this.options.outputsFeed ?? { add: (s: ProgramFeedSink) => this.options.feed.add(s), remove: (s: ProgramFeedSink) => this.options.feed.remove(s), outputOptions: () => ({}) };
    const create = this.options.createOutput ?? ((options: RtmpOutputOptions) => new RtmpOutput(options));
    const output = create({
      ...this.options.outputOptions,
      ...feed.outputOptions(),
      ...entry.once,
      ffmpegPath: '',
      resolveFfmpeg: this.options.resolveFfmpeg,
      serverUrl: destination.serverUrl,
      streamKey,
      caFile: this.options.caFile ?? null,
    });
    entry.output = output;
    output.on('state', (state) => {
      if (!current()) return;
      const next = fromState(state);
      // A failure says which attempt failed (the first connect of a wrong key: attempt 1).
      if (next.state === 'failed') next.attempt = Math.max(1, output.health().attempts);
      this.setRuntime(destination.id, next);
    });
    output.on('health', (health) => {
      if (current()) this.setHealth(destination.id, health);
    });
    // Lines are masked by the output; a destination is named by id, never by its target.
    output.on('log', (line) => this.log(`destination ${destination.id}: ${line}`));
    const sink: ProgramFeedSink = {
      write: (bytes) => output.write(bytes),
      // A new ingest (new init segment): this output starts over so ffmpeg sees one well-formed stream.
      feedStarted: () => {
        if (!current() || !this.live) return;
        const state = output.state().state;
        if (state === 'off' || state === 'failed') return;
        void this.restart(destination.id, entry);
      },
    };
    entry.sink = sink;
    output.start();
    feed.add(sink);
  }

  private async restart(id: string, entry: Running): Promise<void> {
    const output = entry.output;
    if (!output || output.health().bytesSent === 0) return;
    await this.stopOne(id, true);
    if (this.live) {
      const destination = this.options.service.find(id);
      if (destination?.enabled) this.startOne(destination);
    }
  }

  /** Ends one output; `restart`: a new one follows at once (a new feed), which counts as a reconnect. */
  private async stopOne(id: string, restart = false): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    const feed = this.options.outputsFeed ?? this.options.feed;
    if (entry.sink) feed.remove(entry.sink);
    if (entry.output) {
      const health = entry.output.health();
      const streamed = health.bytesSent > 0 ? 1 : 0;
      this.reconnectBase.set(id, (this.reconnectBase.get(id) ?? 0) + health.reconnects + (restart ? streamed : 0));
      if (restart) this.setRuntime(id, { state: 'reconnecting', attempt: 1, nextTryInMs: 0, reason: 'connection_lost' });
      await entry.output.stop();
      entry.output.removeAllListeners();
    }
    if (!restart) this.setRuntime(id, { state: 'off', attempt: null, nextTryInMs: null, reason: null });
  }

  /** The program feed is wanted while live with at least one destination to feed. */
  private updateNeed(): void {
    if (this.live && this.running.size > 0) this.options.feed.need('destinations');
    else this.options.feed.release('destinations');
  }

  private setRuntime(id: string, next: Omit<DestinationRuntime, 'at' | 'health'>): void {
    const previous = this.runtime.get(id);
    const health = next.state === 'off' ? { ...IDLE_DESTINATION_HEALTH, reconnects: previous?.health.reconnects ?? 0 } : (previous?.health ?? { ...IDLE_DESTINATION_HEALTH });
    this.runtime.set(id, { ...next, at: this.now(), health });
    if (next.state === 'failed') this.log(`destination ${id}: failed (${next.reason})`);
    this.emitSoon();
  }

  private setHealth(id: string, health: RtmpOutputHealth): void {
    const previous = this.runtime.get(id);
    if (!previous) return;
    this.runtime.set(id, { ...previous, health: toHealth(health, this.reconnectBase.get(id) ?? 0) });
    this.emitSoon();
  }

  /** Coalesces bursts (several outputs' health each second) into one event. */
  private emitSoon(): void {
    if (this.emitTimer || this.closed) return;
    this.emitTimer = setTimeout(() => this.emitNow(), 50);
    this.emitTimer.unref();
  }

  private emitNow(): void {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    try {
      this.options.onChange(this.snapshot());
    } catch (error) {
      this.log(`destinations: could not announce a change (${error instanceof Error ? error.name : 'error'})`);
    }
  }
}

function failed(reason: DestinationFailureReason): Omit<DestinationRuntime, 'at' | 'health'> {
  return { state: 'failed', attempt: null, nextTryInMs: null, reason };
}

function fromState(state: RtmpOutputState): Omit<DestinationRuntime, 'at' | 'health'> {
  switch (state.state) {
    case 'off':
      return { state: 'off', attempt: null, nextTryInMs: null, reason: null };
    case 'connecting':
      return { state: 'connecting', attempt: state.attempt, nextTryInMs: null, reason: null };
    case 'live':
      return { state: 'live', attempt: null, nextTryInMs: null, reason: null };
    case 'reconnecting':
      return { state: 'reconnecting', attempt: state.attempt, nextTryInMs: Math.round(state.nextTryInMs), reason: state.lastError };
    case 'failed':
      return { state: 'failed', attempt: null, nextTryInMs: null, reason: state.reason };
  }
}

function toHealth(health: RtmpOutputHealth, earlierReconnects: number): DestinationHealth {
  const nonNegative = (value: number) => (Number.isFinite(value) && value > 0 ? value : 0);
  return {
    bitrateKbps: nonNegative(health.bitrateKbps),
    fps: nonNegative(health.fps),
    droppedFrames: Math.round(nonNegative(health.droppedFrames)),
    uptimeMs: Math.round(nonNegative(health.uptimeMs)),
    reconnects: earlierReconnects + health.reconnects,
  };
}
