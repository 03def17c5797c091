import type { CloudClock } from './clock';
import { invalidParameter, notFound, TwilioCode, TwilioError } from './errors';
import { type CloudLimits, DEFAULT_LIMITS, DOCUMENT_MAX_BYTES, DOCUMENT_UNIQUE_NAME_MAX, ROOM_UNIQUE_NAME_MAX } from './limits';
import { MediaCollection } from './media-collection';
import type { CloudData, DocumentRecord, GrantRecord, ProcessorRecord, RoomRecord, RoomStatus, StreamerRecord } from './model';
import { isSid, newSid, randomToken, SID_PREFIX } from './sids';
import type { CloudStore } from './store';

export type RoomInput = Omit<RoomRecord, 'sid' | 'status' | 'dateCreated' | 'dateUpdated' | 'endTime' | 'uniqueName'> & {
  uniqueName?: string;
};
export type StreamerInput = Pick<StreamerRecord, 'video' | 'maxDuration' | 'statusCallback' | 'statusCallbackMethod'>;
export type ProcessorInput = Pick<
  ProcessorRecord,
  'extension' | 'extensionContext' | 'extensionEnvironment' | 'maxDuration' | 'statusCallback' | 'statusCallbackMethod'
>;

/**
 * The local cloud's resources and their rules (uniqueness, status transitions, expiry by the
 * clock, quotas and retention: `limits.ts`). Methods mutate in memory and throw TwilioError;
 * callers `save()` after a change.
 */
export class CloudState {
  readonly streamers: MediaCollection<StreamerRecord>;
  readonly processors: MediaCollection<ProcessorRecord>;

  readonly limits: Readonly<CloudLimits>;

  constructor(
    private readonly data: CloudData,
    private readonly store: CloudStore,
    readonly clock: CloudClock,
    limits: Partial<CloudLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    const keepEnded = this.limits.endedMediaKept;
    this.streamers = new MediaCollection(
      data.playerStreamers,
      { prefix: SID_PREFIX.playerStreamer, label: 'PlayerStreamer', activeStatuses: ['created', 'started'], quota: this.limits.activePlayerStreamers, quotaCode: TwilioCode.playerStreamerQuota, keepEnded },
      clock,
    );
    this.processors = new MediaCollection(
      data.mediaProcessors,
      { prefix: SID_PREFIX.mediaProcessor, label: 'MediaProcessor', activeStatuses: ['started'], quota: this.limits.activeMediaProcessors, quotaCode: TwilioCode.mediaProcessorQuota, keepEnded },
      clock,
    );
  }

  get credentials(): CloudData['credentials'] {
    return this.data.credentials;
  }

  /**
   * Records that the state changed. It reaches the disk within the store's coalescing window
   * (with every other change made by then), so this resolves at once; `flush()` writes now.
   */
  save(): Promise<void> {
    this.store.schedule(this.data);
    return Promise.resolve();
  }

  /** Writes what is pending now (on close). */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Applies every expiry that is due on the clock. Returns true when something changed. */
  sweep(): boolean {
    const now = this.clock.now();
    const before = this.data.documents.length;
    this.data.documents = this.data.documents.filter((d) => d.dateExpires === null || d.dateExpires > now);
    const processorsEnded = this.processors.expire(now);
    const streamersEnded = this.streamers.expire(now);
    return this.data.documents.length !== before || processorsEnded || streamersEnded;
  }

  // ---- Video Rooms ----

  createRoom(input: RoomInput): RoomRecord {
    if (input.uniqueName !== undefined && input.uniqueName.length > ROOM_UNIQUE_NAME_MAX) {
      throw new TwilioError(400, TwilioCode.roomNameTooLong, `UniqueName is longer than ${ROOM_UNIQUE_NAME_MAX} characters`);
    }
    if (input.uniqueName !== undefined && this.inProgressRoom(input.uniqueName)) {
      throw new TwilioError(400, TwilioCode.roomExists, `Room exists: ${input.uniqueName}`);
    }
    if (this.data.rooms.filter((r) => r.status === 'in-progress').length >= this.limits.inProgressRooms) {
      throw new TwilioError(400, TwilioCode.roomQuota, `The concurrent Rooms quota (${this.limits.inProgressRooms} in progress) was exceeded`);
    }
    const now = this.clock.now();
    const sid = newSid(SID_PREFIX.room);
    const room: RoomRecord = { ...input, sid, uniqueName: input.uniqueName ?? sid, status: 'in-progress', dateCreated: now, dateUpdated: now, endTime: null };
    this.data.rooms.push(room);
    this.forgetOldRooms();
    return room;
  }

  /** Past `roomsKept`, the oldest rooms that are no longer in progress are forgotten. */
  private forgetOldRooms(): void {
    let excess = this.data.rooms.length - this.limits.roomsKept;
    if (excess <= 0) return;
    this.data.rooms = this.data.rooms.filter((r) => r.status === 'in-progress' || excess-- <= 0);
  }

  /** By sid (any status), or by unique name among in-progress rooms, as Twilio resolves it. */
  findRoom(sidOrName: string): RoomRecord {
    const room = isSid(SID_PREFIX.room, sidOrName)
      ? this.data.rooms.find((r) => r.sid === sidOrName)
      : this.inProgressRoom(sidOrName);
    if (!room) throw notFound(`Room ${sidOrName}`);
    return room;
  }

  listRooms(filter: { status?: RoomStatus; uniqueName?: string; createdAfter?: number; createdBefore?: number }): RoomRecord[] {
    return [...this.data.rooms].reverse().filter(
      (r) =>
        (filter.status === undefined || r.status === filter.status) &&
        (filter.uniqueName === undefined || r.uniqueName === filter.uniqueName) &&
        (filter.createdAfter === undefined || r.dateCreated > filter.createdAfter) &&
        (filter.createdBefore === undefined || r.dateCreated < filter.createdBefore),
    );
  }

  completeRoom(sidOrName: string): RoomRecord {
    const room = this.findRoom(sidOrName);
    if (room.status !== 'in-progress') throw new TwilioError(400, TwilioCode.roomCompleted, `Room ${room.sid} is already ${room.status}`);
    const now = this.clock.now();
    Object.assign(room, { status: 'completed', endTime: now, dateUpdated: now });
    return room;
  }

  private inProgressRoom(uniqueName: string): RoomRecord | undefined {
    return this.data.rooms.find((r) => r.status === 'in-progress' && r.uniqueName === uniqueName);
  }

  // ---- Sync Documents ----

  createDocument(input: { uniqueName?: string; data?: string; ttl?: number }): DocumentRecord {
    if (input.uniqueName !== undefined) {
      if (input.uniqueName.length > DOCUMENT_UNIQUE_NAME_MAX || isSid(SID_PREFIX.document, input.uniqueName)) {
        throw new TwilioError(400, TwilioCode.invalidUniqueName, `UniqueName must have at most ${DOCUMENT_UNIQUE_NAME_MAX} characters and not look like a Document sid`);
      }
      if (this.data.documents.some((d) => d.uniqueName === input.uniqueName)) {
        throw new TwilioError(409, TwilioCode.uniqueNameExists, `Unique name already exists: ${input.uniqueName}`);
      }
    }
    if (this.data.documents.length >= this.limits.documents) {
      throw invalidParameter(`The local cloud keeps at most ${this.limits.documents} Sync Documents; delete one first`);
    }
    const now = this.clock.now();
    const doc: DocumentRecord = {
      sid: newSid(SID_PREFIX.document),
      uniqueName: input.uniqueName ?? null,
      data: parseDocumentData(input.data ?? '{}'),
      revision: 0,
      dateCreated: now,
      dateUpdated: now,
      dateExpires: expiry(now, input.ttl),
    };
    this.data.documents.push(doc);
    return doc;
  }

  findDocument(sidOrName: string): DocumentRecord {
    const key: keyof DocumentRecord = isSid(SID_PREFIX.document, sidOrName) ? 'sid' : 'uniqueName';
    const doc = this.data.documents.find((d) => d[key] === sidOrName);
    if (!doc) throw notFound(`Document ${sidOrName}`);
    return doc;
  }

  updateDocument(sidOrName: string, input: { data?: string; ttl?: number; ifMatch?: string }): DocumentRecord {
    const doc = this.findDocument(sidOrName);
    if (input.ifMatch !== undefined && input.ifMatch !== String(doc.revision)) {
      throw new TwilioError(412, TwilioCode.revisionMismatch, `The revision of the Document does not match the expected revision (${input.ifMatch})`);
    }
    const data = input.data === undefined ? doc.data : parseDocumentData(input.data);
    const now = this.clock.now();
    Object.assign(doc, { data, revision: doc.revision + 1, dateUpdated: now });
    if (input.ttl !== undefined) doc.dateExpires = expiry(now, input.ttl);
    return doc;
  }

  deleteDocument(sidOrName: string): void {
    const doc = this.findDocument(sidOrName);
    this.data.documents = this.data.documents.filter((d) => d !== doc);
  }

  listDocuments(): DocumentRecord[] {
    return [...this.data.documents];
  }

  // ---- Media PlayerStreamers and MediaProcessors ----

  createStreamer(input: StreamerInput): StreamerRecord {
    const { record, forgotten } = this.streamers.add({ ...input, status: 'created', sessionId: randomToken(8) });
    for (const sid of forgotten) delete this.data.playbackGrants[sid];
    return record;
  }

  /** For the media path: media arrived, so a `created` PlayerStreamer becomes `started`. */
  markStreamerStarted(sid: string): StreamerRecord {
    this.sweep();
    const streamer = this.streamers.find(sid);
    if (streamer.status === 'created') Object.assign(streamer, { status: 'started', dateUpdated: this.clock.now() });
    return streamer;
  }

  /** Validates the ExtensionContext; the processor starts at once. Ending it later leaves its PlayerStreamers running, as on Twilio. */
  createProcessor(input: ProcessorInput): ProcessorRecord {
    return this.processors.add({ ...input, ...this.resolveExtensionContext(input.extensionContext), status: 'started' }).record;
  }

  // ---- Media PlaybackGrant ----

  createGrant(playerStreamerSid: string, input: { ttl: number; accessControlAllowOrigin: string | null }): GrantRecord {
    const streamer = this.streamers.find(playerStreamerSid);
    if (!this.streamers.isActive(streamer)) throw invalidParameter(`PlayerStreamer ${playerStreamerSid} has ended`);
    const grant: GrantRecord = { playerStreamerSid, sessionId: streamer.sessionId, ...input, dateCreated: this.clock.now() };
    this.data.playbackGrants[playerStreamerSid] = grant;
    return grant;
  }

  /** The latest grant of a PlayerStreamer while its Ttl lasts. */
  findGrant(playerStreamerSid: string): GrantRecord {
    this.streamers.find(playerStreamerSid);
    const grant = this.data.playbackGrants[playerStreamerSid];
    if (!grant || grant.dateCreated + grant.ttl * 1000 <= this.clock.now()) throw notFound(`PlaybackGrant for ${playerStreamerSid}`);
    return grant;
  }

  /**
   * The origin the latest PlaybackGrant of a PlayerStreamer allows to fetch its HLS (expired or
   * not: a player that connected in time keeps playing). `null` = any origin; undefined = no grant.
   */
  grantOrigin(playerStreamerSid: string): string | null | undefined {
    const grant = this.data.playbackGrants[playerStreamerSid];
    return grant ? grant.accessControlAllowOrigin : undefined;
  }

  /** `{"room":{"name":<RoomSid or name>},"outputs":[<PlayerStreamerSid>...]}` → the room and outputs. */
  private resolveExtensionContext(text: string): { roomSid: string; outputs: string[] } {
    const context = parseJsonObject(text, 'ExtensionContext');
    const room = context.room as { name?: unknown } | undefined;
    if (!room || typeof room.name !== 'string' || room.name === '') throw invalidParameter('ExtensionContext.room.name must name a Room (sid or unique name)');
    const roomRecord = this.data.rooms.find((r) => r.sid === room.name) ?? this.inProgressRoom(room.name);
    if (!roomRecord) throw invalidParameter(`ExtensionContext.room.name: Room ${room.name} was not found`);
    if (roomRecord.status !== 'in-progress') throw new TwilioError(400, TwilioCode.roomCompleted, `Room ${roomRecord.sid} is ${roomRecord.status}`);
    const outputs = context.outputs;
    if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every((o) => typeof o === 'string')) {
      throw invalidParameter('ExtensionContext.outputs must be a non-empty array of PlayerStreamer sids');
    }
    for (const sid of outputs as string[]) {
      const streamer = this.streamers.get(sid);
      if (!streamer) throw invalidParameter(`ExtensionContext.outputs: PlayerStreamer ${sid} was not found`);
      if (!this.streamers.isActive(streamer)) throw invalidParameter(`ExtensionContext.outputs: PlayerStreamer ${sid} has ended`);
    }
    return { roomSid: roomRecord.sid, outputs: outputs as string[] };
  }
}

function expiry(now: number, ttl: number | undefined): number | null {
  return ttl === undefined || ttl === 0 ? null : now + ttl * 1000;
}

export function parseJsonObject(text: string, name: string, code: number = TwilioCode.invalidParameter): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TwilioError(400, code, `${name} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TwilioError(400, code, `${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

function parseDocumentData(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > DOCUMENT_MAX_BYTES) {
    throw new TwilioError(413, TwilioCode.documentTooLarge, `Document data exceeds the maximum size of ${DOCUMENT_MAX_BYTES} bytes`);
  }
  return parseJsonObject(text, 'Data', TwilioCode.invalidDocumentData);
}
