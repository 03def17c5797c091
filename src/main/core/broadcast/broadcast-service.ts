import { type BroadcastStatus, type BroadcastStep, type CleanupReport, IDLE_BROADCAST } from '../../../shared/broadcast';
import { type PlaybackToken } from '../../../shared/twilio';
import { StudioError } from '../../../shared/errors';
import type { KeyValueStore } from '../settings/ports';
import type { SettingsService } from '../settings/settings-service';
import type { Connection, Connections } from '../twilio/connection';
import { createMediaProcessor, createPlaybackGrant, createPlayerStreamer, fetchMediaProcessor, fetchPlayerStreamer, isEnded } from '../twilio/media';
import { ensureRoom } from '../twilio/rooms';
import { playbackToken } from '../twilio/tokens';
import { BroadcastRecordStore } from './broadcast-record';
import { endResource, listActive, type ResourceKind } from './end-resources';
import { ResourceLedger } from './resource-ledger';

/** PlaybackGrant `Ttl`: Twilio's maximum. */
export const PLAYBACK_TTL_SECONDS = 60;
const REFRESH_AFTER_MS = 5_000;

export interface BroadcastServiceOptions {
  connections: Connections;
  settings: SettingsService;
  /** The studio page's origin, allowed to fetch the stream (`AccessControlAllowOrigin`). */
  appOrigin: string;
  /** Where the ledger of created resources is kept (the studio's settings store). */
  ledgerStore: KeyValueStore;
  onChange?: (status: BroadcastStatus) => void;
  log?: (line: string) => void;
  now?: () => number;
}

const IDLE = IDLE_BROADCAST;

/**
 * The broadcast, with one owner: every operation runs after the previous one has
 * settled, a second start joins the first, and a stop during a start waits for it
 * and then ends what it made. A start that fails ends whatever it had created.
 */
export class BroadcastService {
  private current: BroadcastStatus = IDLE;
  private chain: Promise<unknown> = Promise.resolve();
  /** A start or stop asked for while one is already pending joins it. */
  private readonly pending = new Map<'start' | 'stop', Promise<BroadcastStatus>>();
  private detection: Promise<BroadcastStatus> | null = null;
  private refreshedAt = 0;
  /** Resources this studio created and has not seen ended: the fallback when the record is gone. */
  private readonly created: ResourceLedger;

  constructor(private readonly options: BroadcastServiceOptions) {
    this.created = new ResourceLedger(options.ledgerStore);
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  status(): BroadcastStatus {
    return this.current;
  }

  /** Once per studio run: a record or active resources left behind make the state `orphaned`. */
  detect(): Promise<BroadcastStatus> {
    this.detection ??= this.exclusive(async () => {
      if (this.current.state !== 'idle') return this.current;
      try {
        const connection = await this.options.connections.current();
        const { record, exists } = await this.records(connection).read();
        const active = await listActive(connection.twilio);
        if (exists || active.length > 0) {
          this.set({
            ...IDLE,
            state: 'orphaned',
            roomSid: record?.roomSid ?? null,
            playerStreamerSid: record?.playerStreamerSid ?? active.find((r) => r.kind === 'PlayerStreamer')?.sid ?? null,
            mediaProcessorSid: record?.mediaProcessorSid ?? active.find((r) => r.kind === 'MediaProcessor')?.sid ?? null,
            startedAt: record?.startedAt ?? null,
          });
        }
      } catch (error) {
        this.log(`orphan check skipped: ${codeOf(error)}`);
      }
      return this.current;
    });
    return this.detection;
  }

  start(): Promise<BroadcastStatus> {
    return this.joinOrRun('start', () => this.doStart());
  }

  stop(): Promise<BroadcastStatus> {
    return this.joinOrRun('stop', () => this.doStop());
  }

  /** Attaches to the broadcast in `streaming_info` when both of its resources are still running. */
  resume(): Promise<BroadcastStatus> {
    return this.exclusive(async () => {
      if (this.current.state === 'live') return this.current;
      const connection = await this.options.connections.current();
      const attached = await this.attach(connection);
      if (!attached) {
        throw new StudioError('broadcast.not_live', 'There is no running broadcast to resume. Use “End it” to clean up what is left.');
      }
      return attached;
    });
  }

  /** Ends every active MediaProcessor and PlayerStreamer and deletes the record. */
  cleanup(): Promise<CleanupReport> {
    return this.exclusive(async () => {
      const connection = await this.options.connections.current();
      const ended: CleanupReport['ended'] = [];
      const active = await listActive(connection.twilio);
      for (const kind of ['MediaProcessor', 'PlayerStreamer'] as const) {
        for (const resource of active.filter((r) => r.kind === kind)) {
          await endResource(connection.twilio, kind, resource.sid);
          this.created.remove(resource.sid);
          ended.push(resource);
        }
      }
      for (const { kind, sid } of this.created.entries(connection.target.accountSid)) {
        await endResource(connection.twilio, kind, sid);
        this.created.remove(sid);
      }
      const deletedRecord = await this.records(connection).remove();
      this.set(IDLE);
      return { ended, deletedRecord };
    });
  }

  /** Remote statuses, at most every few seconds; ends the broadcast cleanly if the cloud ended it. */
  refresh(): Promise<BroadcastStatus> {
    if (this.current.state !== 'live' || this.now - this.refreshedAt < REFRESH_AFTER_MS) return Promise.resolve(this.current);
    return this.exclusive(async () => {
      const { playerStreamerSid, mediaProcessorSid } = this.current;
      if (this.current.state !== 'live' || !playerStreamerSid || !mediaProcessorSid) return this.current;
      const connection = await this.options.connections.current();
      const [streamer, processor] = await Promise.all([
        fetchPlayerStreamer(connection.twilio, playerStreamerSid),
        fetchMediaProcessor(connection.twilio, mediaProcessorSid),
      ]);
      this.refreshedAt = this.now;
      if (isEnded(processor.status) || isEnded(streamer.status)) {
        const reason = processor.ended_reason ?? streamer.ended_reason ?? 'ended';
        await this.endAll(connection);
        this.set({
          ...IDLE,
          state: 'failed',
          error: { code: 'broadcast.not_live', message: `The cloud ended the broadcast (${reason}).` },
        });
        return this.current;
      }
      this.set({ ...this.current, remote: { playerStreamer: streamer.status, mediaProcessor: processor.status } });
      return this.current;
    });
  }

  /**
   * A viewer token for the preview player: a PlaybackGrant (TTL 60 s) wrapped in an AccessToken.
   * `viewer` (the network viewer page): its own identity, and where its player fetches the HLS
   * (the grant's `playbackUrl` rewritten before the token is signed). The grant's allowed origin
   * stays the studio's: the latest grant sets it, and the preview player must keep its access.
   */
  async playbackToken(viewer?: { identity: string; playbackUrl: (url: string) => string }): Promise<PlaybackToken> {
    const { state, playerStreamerSid } = this.current;
    if (state !== 'live' || !playerStreamerSid) {
      throw new StudioError('broadcast.not_live', 'There is no live broadcast to play.');
    }
    const connection = await this.options.connections.current();
    const grant = await createPlaybackGrant(connection.twilio, playerStreamerSid, {
      ttlSeconds: PLAYBACK_TTL_SECONDS,
      allowOrigin: this.options.appOrigin,
    });
    const granted = viewer ? { ...grant.grant, playbackUrl: viewer.playbackUrl(grant.grant.playbackUrl) } : grant.grant;
    return playbackToken(connection.target, granted, viewer?.identity ?? 'preview-player', PLAYBACK_TTL_SECONDS);
  }

  private async doStart(): Promise<BroadcastStatus> {
    if (this.current.state === 'live') return this.current;
    let step: BroadcastStep = 'room';
    const made: Array<{ kind: ResourceKind; sid: string }> = [];
    let connection: Connection | null = null;
    try {
      connection = await this.options.connections.current();
      if (this.current.state === 'orphaned') {
        const attached = await this.attach(connection);
        if (attached) return attached;
        await this.endAll(connection);
      }
      const settings = this.options.settings.read();
      this.set({ ...IDLE, state: 'starting', step });
      const room = await ensureRoom(connection.twilio, settings.roomName, settings.roomType);
      this.set({ ...this.current, step: (step = 'streamer'), roomSid: room.sid });

      const streamer = await createPlayerStreamer(connection.twilio, { maxDurationSeconds: settings.maxDurationSeconds });
      made.push({ kind: 'PlayerStreamer', sid: streamer.sid });
      this.created.add(connection.target.accountSid, 'PlayerStreamer', streamer.sid);
      this.set({
        ...this.current,
        step: (step = 'processor'),
        playerStreamerSid: streamer.sid,
        remote: { ...this.current.remote, playerStreamer: streamer.status },
      });

      const processor = await createMediaProcessor(connection.twilio, {
        extension: settings.extension,
        context: { room: { name: room.sid }, outputs: [streamer.sid], identity: settings.identity, resolution: '1280x720' },
        maxDurationSeconds: settings.maxDurationSeconds,
      });
      made.push({ kind: 'MediaProcessor', sid: processor.sid });
      this.created.add(connection.target.accountSid, 'MediaProcessor', processor.sid);
      this.set({
        ...this.current,
        step: (step = 'record'),
        mediaProcessorSid: processor.sid,
        remote: { ...this.current.remote, mediaProcessor: processor.status },
      });

      const startedAt = new Date(this.now).toISOString();
      await this.records(connection).write({ roomSid: room.sid, playerStreamerSid: streamer.sid, mediaProcessorSid: processor.sid, startedAt });
      this.refreshedAt = this.now;
      this.set({ ...this.current, state: 'live', step: null, startedAt });
      return this.current;
    } catch (error) {
      if (connection) await this.rollback(connection, made);
      const failure = withStep(error, step);
      this.set({ ...IDLE, state: 'failed', error: { code: failure.code, message: failure.message, step } });
      throw failure;
    }
  }

  private async doStop(): Promise<BroadcastStatus> {
    const before = this.current;
    const connection = await this.options.connections.current();
    this.set({ ...this.current, state: 'stopping', step: null });
    try {
      await this.endAll(connection);
      this.set(IDLE);
      return this.current;
    } catch (error) {
      const failure = error instanceof StudioError ? error : new StudioError('internal', 'Stopping failed.');
      this.set({ ...before, state: before.state === 'live' ? 'live' : 'failed', error: { code: failure.code, message: failure.message } });
      throw failure;
    }
  }

  /** Ends what the record names, what the state names and what this studio made; then deletes the record. */
  private async endAll(connection: Connection): Promise<void> {
    const records = this.records(connection);
    const { record } = await records.read();
    const targets = new Map<string, ResourceKind>(this.created.entries(connection.target.accountSid).map(({ kind, sid }) => [sid, kind]));
    const add = (sid: string | null | undefined, kind: ResourceKind) => sid && targets.set(sid, kind);
    add(record?.mediaProcessorSid, 'MediaProcessor');
    add(record?.playerStreamerSid, 'PlayerStreamer');
    add(this.current.mediaProcessorSid, 'MediaProcessor');
    add(this.current.playerStreamerSid, 'PlayerStreamer');
    // Processors first: they feed the streamers.
    const ordered = [...targets].sort(([, a], [, b]) => (a === b ? 0 : a === 'MediaProcessor' ? -1 : 1));
    for (const [sid, kind] of ordered) {
      await endResource(connection.twilio, kind, sid);
      this.created.remove(sid);
    }
    await records.remove();
  }

  private async attach(connection: Connection): Promise<BroadcastStatus | null> {
    const { record } = await this.records(connection).read();
    if (!record) return null;
    try {
      const [streamer, processor] = await Promise.all([
        fetchPlayerStreamer(connection.twilio, record.playerStreamerSid),
        fetchMediaProcessor(connection.twilio, record.mediaProcessorSid),
      ]);
      if (isEnded(streamer.status) || isEnded(processor.status)) return null;
      this.created.add(connection.target.accountSid, 'PlayerStreamer', streamer.sid);
      this.created.add(connection.target.accountSid, 'MediaProcessor', processor.sid);
      this.refreshedAt = this.now;
      this.set({
        ...IDLE,
        state: 'live',
        roomSid: record.roomSid,
        playerStreamerSid: streamer.sid,
        mediaProcessorSid: processor.sid,
        startedAt: record.startedAt ?? processor.date_created,
        remote: { playerStreamer: streamer.status, mediaProcessor: processor.status },
      });
      return this.current;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'twilio.not_found') return null;
      throw error;
    }
  }

  private async rollback(connection: Connection, made: Array<{ kind: ResourceKind; sid: string }>): Promise<void> {
    for (const { kind, sid } of [...made].reverse()) {
      try {
        await endResource(connection.twilio, kind, sid);
        this.created.remove(sid);
      } catch (error) {
        // Left in `created`: the next stop or clean-up ends it.
        this.log(`rollback could not end ${kind} ${sid}: ${codeOf(error)}`);
      }
    }
  }

  private records(connection: Connection): BroadcastRecordStore {
    return new BroadcastRecordStore(connection.twilio, connection.syncServiceSid);
  }

  private joinOrRun(kind: 'start' | 'stop', operation: () => Promise<BroadcastStatus>): Promise<BroadcastStatus> {
    const existing = this.pending.get(kind);
    if (existing) return existing;
    const run = this.exclusive(operation);
    this.pending.set(kind, run);
    void run
      .finally(() => {
        if (this.pending.get(kind) === run) this.pending.delete(kind);
      })
      .catch(() => {});
    return run;
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(operation, operation);
    this.chain = result.catch(() => {});
    return result;
  }

  private set(next: BroadcastStatus): void {
    this.current = next;
    this.options.onChange?.(next);
  }

  private log(line: string): void {
    this.options.log?.(`broadcast: ${line}`);
  }
}

function codeOf(error: unknown): string {
  return error instanceof StudioError ? error.code : error instanceof Error ? error.name : 'unknown';
}

function withStep(error: unknown, step: BroadcastStep): StudioError {
  if (error instanceof StudioError) return new StudioError(error.code, error.message, { ...error.details, step });
  return new StudioError('broadcast.start_failed', `Going live failed at the ${step} step.`, { step });
}
