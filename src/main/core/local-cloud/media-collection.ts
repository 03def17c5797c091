import type { CloudClock } from './clock';
import { notFound } from './errors';
import type { EndedReason } from './model';
import { newSid, type SidPrefix } from './sids';

/** What PlayerStreamers and MediaProcessors share: a lifetime bounded by MaxDuration, ended with a reason. */
export interface MediaRecord {
  sid: string;
  status: string;
  endedReason: EndedReason | null;
  maxDuration: number;
  dateCreated: number;
  dateUpdated: number;
}

export type Order = 'asc' | 'desc';
type Fresh<R extends MediaRecord> = Omit<R, 'sid' | 'endedReason' | 'dateCreated' | 'dateUpdated'>;

/** One Media v1 collection over an array of records kept in creation order (the array is the stored state). */
export class MediaCollection<R extends MediaRecord> {
  private readonly endListeners = new Set<(record: R) => void>();

  constructor(
    private readonly records: R[],
    private readonly prefix: SidPrefix,
    private readonly label: string,
    private readonly activeStatuses: readonly string[],
    private readonly clock: CloudClock,
  ) {}

  isActive(record: R): boolean {
    return this.activeStatuses.includes(record.status);
  }

  add(fields: Fresh<R>): R {
    const now = this.clock.now();
    const record = { ...fields, sid: newSid(this.prefix), endedReason: null, dateCreated: now, dateUpdated: now } as R;
    this.records.push(record);
    return record;
  }

  /** The record, or undefined. */
  get(sid: string): R | undefined {
    return this.records.find((r) => r.sid === sid);
  }

  /** The record, or a 20404 TwilioError. */
  find(sid: string): R {
    const record = this.get(sid);
    if (!record) throw notFound(`${this.label} ${sid}`);
    return record;
  }

  list(status: string | undefined, order: Order): R[] {
    const records = order === 'asc' ? [...this.records] : [...this.records].reverse();
    return records.filter((r) => status === undefined || r.status === status);
  }

  /** Ends the record via the API (ended-via-api); ending an ended one changes nothing. */
  endViaApi(sid: string): R {
    const record = this.find(sid);
    if (this.isActive(record)) this.end(record, 'ended-via-api', this.clock.now());
    return record;
  }

  /** Ends every active record whose MaxDuration has run out by `now`. Returns true when one ended. */
  expire(now: number): boolean {
    let changed = false;
    for (const record of this.records) {
      const deadline = record.dateCreated + record.maxDuration * 1000;
      if (this.isActive(record) && deadline <= now) {
        this.end(record, 'max-duration-exceeded', deadline);
        changed = true;
      }
    }
    return changed;
  }

  /** Called after a record ends (via the API or by MaxDuration): the media engine stops its packager. */
  onEnd(listener: (record: R) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  private end(record: R, reason: EndedReason, at: number): void {
    Object.assign(record, { status: 'ended', endedReason: reason, dateUpdated: at });
    for (const listener of this.endListeners) listener(record);
  }
}
