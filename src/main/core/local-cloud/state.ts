import type { CloudClock } from './clock';
import { invalidParameter, notFound, TwilioCode, TwilioError } from './errors';
import type {
  CloudData,
  DocumentRecord,
  EndedReason,
  GrantRecord,
  ProcessorRecord,
  ProcessorStatus,
  RoomRecord,
  RoomStatus,
  StreamerRecord,
  StreamerStatus,
} from './model';
import { isSid, newSid, randomToken, SID_PREFIX } from './sids';
import type { CloudStore } from './store';

export const DOCUMENT_MAX_BYTES = 16 * 1024;

export type RoomInput = Omit<RoomRecord, 'sid' | 'status' | 'dateCreated' | 'dateUpdated' | 'endTime' | 'uniqueName'> & {
  uniqueName?: string;
};
export type StreamerInput = Pick<StreamerRecord, 'video' | 'maxDuration' | 'statusCallback' | 'statusCallbackMethod'>;
export type ProcessorInput = Pick<
  ProcessorRecord,
  'extension' | 'extensionContext' | 'extensionEnvironment' | 'maxDuration' | 'statusCallback' | 'statusCallbackMethod'
>;
export type Order = 'asc' | 'desc';

const isActiveStreamer = (s: StreamerRecord): boolean => s.status === 'created' || s.status === 'started';

/** Newest first for 'desc'; records are kept in creation order. */
function ordered<T>(records: readonly T[], order: Order): T[] {
  return order === 'asc' ? [...records] : [...records].reverse();
}

/**
 * The local cloud's resources and their rules (uniqueness, status transitions, expiry by the
 * clock). Methods mutate in memory and throw TwilioError; callers `save()` after a change.
 */
export class CloudState {
  constructor(
    private readonly data: CloudData,
    private readonly store: CloudStore,
    readonly clock: CloudClock,
  ) {}

  get credentials(): CloudData['credentials'] {
    return this.data.credentials;
  }

  save(): Promise<void> {
    return this.store.save(this.data);
  }

  /** Applies every expiry that is due on the clock. Returns true when something changed. */
  sweep(): boolean {
    const now = this.clock.now();
    const before = this.data.documents.length;
    this.data.documents = this.data.documents.filter((d) => d.dateExpires === null || d.dateExpires > now);
    let changed = this.data.documents.length !== before;
    for (const resource of [...this.data.mediaProcessors, ...this.data.playerStreamers]) {
      const deadline = resource.dateCreated + resource.maxDuration * 1000;
      const active = resource.status === 'started' || resource.status === 'created';
      if (active && deadline <= now) {
        this.end(resource, 'max-duration-exceeded', deadline);
        changed = true;
      }
    }
    return changed;
  }

  // ---- Video Rooms ----

  createRoom(input: RoomInput): RoomRecord {
    if (input.uniqueName !== undefined && this.inProgressRoom(input.uniqueName)) {
      throw new TwilioError(400, TwilioCode.roomExists, `Room exists: ${input.uniqueName}`);
    }
    const now = this.clock.now();
    const sid = newSid(SID_PREFIX.room);
    const room: RoomRecord = { ...input, sid, uniqueName: input.uniqueName ?? sid, status: 'in-progress', dateCreated: now, dateUpdated: now, endTime: null };
    this.data.rooms.push(room);
    return room;
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
    return ordered(this.data.rooms, 'desc').filter(
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
      if (isSid(SID_PREFIX.document, input.uniqueName)) throw invalidParameter('UniqueName must not look like a Document sid');
      if (this.data.documents.some((d) => d.uniqueName === input.uniqueName)) {
        throw new TwilioError(409, TwilioCode.uniqueNameExists, `Unique name already exists: ${input.uniqueName}`);
      }
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

  // ---- Media PlayerStreamers ----

  createStreamer(input: StreamerInput): StreamerRecord {
    const now = this.clock.now();
    const streamer: StreamerRecord = {
      ...input,
      sid: newSid(SID_PREFIX.playerStreamer),
      status: 'created',
      endedReason: null,
      sessionId: randomToken(8),
      dateCreated: now,
      dateUpdated: now,
    };
    this.data.playerStreamers.push(streamer);
    return streamer;
  }

  findStreamer(sid: string): StreamerRecord {
    const streamer = this.data.playerStreamers.find((s) => s.sid === sid);
    if (!streamer) throw notFound(`PlayerStreamer ${sid}`);
    return streamer;
  }

  listStreamers(status: StreamerStatus | undefined, order: Order): StreamerRecord[] {
    return ordered(this.data.playerStreamers, order).filter((s) => status === undefined || s.status === status);
  }

  /** Ends a PlayerStreamer via the API; ending an ended one changes nothing. */
  endStreamer(sid: string): StreamerRecord {
    const streamer = this.findStreamer(sid);
    if (isActiveStreamer(streamer)) this.end(streamer, 'ended-via-api', this.clock.now());
    return streamer;
  }

  /** For the media path: media arrived, so a `created` PlayerStreamer becomes `started`. */
  markStreamerStarted(sid: string): StreamerRecord {
    this.sweep();
    const streamer = this.findStreamer(sid);
    if (streamer.status === 'created') Object.assign(streamer, { status: 'started', dateUpdated: this.clock.now() });
    return streamer;
  }

  // ---- Media MediaProcessors ----

  createProcessor(input: ProcessorInput): ProcessorRecord {
    const context = this.resolveExtensionContext(input.extensionContext);
    const now = this.clock.now();
    const processor: ProcessorRecord = {
      ...input,
      ...context,
      sid: newSid(SID_PREFIX.mediaProcessor),
      status: 'started',
      endedReason: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.data.mediaProcessors.push(processor);
    return processor;
  }

  findProcessor(sid: string): ProcessorRecord {
    const processor = this.data.mediaProcessors.find((p) => p.sid === sid);
    if (!processor) throw notFound(`MediaProcessor ${sid}`);
    return processor;
  }

  listProcessors(status: ProcessorStatus | undefined, order: Order): ProcessorRecord[] {
    return ordered(this.data.mediaProcessors, order).filter((p) => status === undefined || p.status === status);
  }

  /** Ends a MediaProcessor via the API (its PlayerStreamers keep running, as on Twilio). */
  endProcessor(sid: string): ProcessorRecord {
    const processor = this.findProcessor(sid);
    if (processor.status === 'started') this.end(processor, 'ended-via-api', this.clock.now());
    return processor;
  }

  // ---- Media PlaybackGrant ----

  createGrant(playerStreamerSid: string, input: { ttl: number; accessControlAllowOrigin: string | null }): GrantRecord {
    const streamer = this.findStreamer(playerStreamerSid);
    if (!isActiveStreamer(streamer)) throw invalidParameter(`PlayerStreamer ${playerStreamerSid} has ended`);
    const grant: GrantRecord = { playerStreamerSid, sessionId: streamer.sessionId, ...input, dateCreated: this.clock.now() };
    this.data.playbackGrants[playerStreamerSid] = grant;
    return grant;
  }

  /** The latest grant of a PlayerStreamer while its Ttl lasts. */
  findGrant(playerStreamerSid: string): GrantRecord {
    this.findStreamer(playerStreamerSid);
    const grant = this.data.playbackGrants[playerStreamerSid];
    if (!grant || grant.dateCreated + grant.ttl * 1000 <= this.clock.now()) throw notFound(`PlaybackGrant for ${playerStreamerSid}`);
    return grant;
  }

  private end(resource: StreamerRecord | ProcessorRecord, reason: EndedReason, at: number): void {
    Object.assign(resource, { status: 'ended', endedReason: reason, dateUpdated: at });
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
      const streamer = this.data.playerStreamers.find((s) => s.sid === sid);
      if (!streamer) throw invalidParameter(`ExtensionContext.outputs: PlayerStreamer ${sid} was not found`);
      if (!isActiveStreamer(streamer)) throw invalidParameter(`ExtensionContext.outputs: PlayerStreamer ${sid} has ended`);
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
