import type { CloudClock } from './clock';
import { notFound, TwilioError } from './errors';
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

export interface MediaCollectionRules {
  prefix: SidPrefix;
  /** `PlayerStreamer` or `MediaProcessor`, for messages. */
  label: string;
  activeStatuses: readonly string[];
  /** Active records allowed at once; one more is refused with `quotaCode` (HTTP 400). */
  quota: number;
  quotaCode: number;
  /** Ended records kept; past it the oldest ended ones are forgotten. */
  keepEnded: number;
}

/** One Media v1 collection over an array of records kept in creation order (the array is the stored state). */
export class MediaCollection<R extends MediaRecord> {
  private readonly endListeners = new Set<(record: R) => void>();
  private readonly label: string;

  constructor(
    private readonly records: R[],
    private readonly rules: MediaCollectionRules,
    private readonly clock: CloudClock,
  ) {
    this.label = rules.label;
  }

  isActive(record: R): boolean {
    return this.rules.activeStatuses.includes(record.status);
  }

  /** Creates a record, within the quota of active ones. Returns it and the sids of ended records forgotten to make room. */
  add(fields: Fresh<R>): { record: R; forgotten: string[] } {
    const active = this.records.filter((r) => this.isActive(r)).length;
    if (active >= this.rules.quota) {
      throw new TwilioError(400, this.rules.quotaCode, `${this.label} quota exceeded: at most ${this.rules.quota} can be active at once`);
    }
    const now = this.clock.now();
    const record = { ...fields, sid: newSid(this.rules.prefix), endedReason: null, dateCreated: now, dateUpdated: now } as R;
    this.records.push(record);
    return { record, forgotten: this.forgetOldEnded() };
  }

  private forgetOldEnded(): string[] {
    let excess = this.records.filter((r) => !this.isActive(r)).length - this.rules.keepEnded;
    const forgotten: string[] = [];
    for (let i = 0; i < this.records.length && excess > 0; ) {
      const record = this.records[i]!;
      if (this.isActive(record)) {
        i += 1;
        continue;
      }
      this.records.splice(i, 1);
      forgotten.push(record.sid);
      excess -= 1;
    }
    return forgotten;
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
