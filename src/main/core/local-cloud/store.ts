import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CloudData } from './model';
import { newSid, randomToken, SID_PREFIX } from './sids';

/** The one file that holds the local cloud's credentials and resources. Mode 0600: it holds the API secret. */
export const STATE_FILE = 'local-cloud.json';
const FILE_MODE = 0o600;

export function emptyData(): CloudData {
  return {
    version: 1,
    credentials: {
      accountSid: newSid(SID_PREFIX.account),
      apiKeySid: newSid(SID_PREFIX.apiKey),
      apiSecret: randomToken(16),
      syncServiceSid: newSid(SID_PREFIX.syncService),
    },
    rooms: [],
    documents: [],
    playerStreamers: [],
    mediaProcessors: [],
    playbackGrants: {},
  };
}

export const DEFAULT_COALESCE_MS = 250;

export type StateWriter = (file: string, text: string) => Promise<void>;

const atomicWrite: StateWriter = (file, text) => writeFileAtomic(file, text, { mode: FILE_MODE });

/**
 * Durable storage of CloudData in one file, written atomically (a whole new file, then a rename).
 * Changes are coalesced: `schedule()` writes at most `coalesceMs` later, every change made in the
 * meantime in the same write; `flush()` writes what is pending at once. Writes run one at a time.
 * A crash loses at most the changes of the last window; a clean close (`flush()`) loses none.
 */
export class CloudStore {
  readonly file: string;
  private readonly coalesceMs: number;
  private readonly write: StateWriter;
  private pending: Promise<void> = Promise.resolve();
  private dirty: CloudData | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly dataDir: string,
    options: { coalesceMs?: number; write?: StateWriter } = {},
  ) {
    this.file = join(dataDir, STATE_FILE);
    this.coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
    this.write = options.write ?? atomicWrite;
    if (!Number.isFinite(this.coalesceMs) || this.coalesceMs < 0) throw new RangeError('coalesceMs must be a non-negative number');
  }

  /** Reads the file, or creates it with fresh credentials (written before this resolves). */
  async load(): Promise<CloudData> {
    await mkdir(this.dataDir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const data = emptyData();
      await this.writeNow(data);
      return data;
    }
    const data = JSON.parse(text) as CloudData;
    if (data.version !== 1 || !data.credentials?.apiSecret) throw new Error(`${this.file} is not a local cloud state file (version 1)`);
    await chmod(this.file, FILE_MODE);
    return data;
  }

  /** `data` changed: it is written within the coalescing window, with whatever else changes by then. */
  schedule(data: CloudData): void {
    this.dirty = data;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed write leaves the state dirty; flush() (on close) retries it and reports the error.
      this.writeDirty().catch(() => undefined);
    }, this.coalesceMs);
  }

  /** Writes what is pending now; resolves when every write so far is on disk. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writeDirty();
    await this.pending;
  }

  private writeDirty(): Promise<void> {
    const data = this.dirty;
    if (!data) return this.pending;
    this.dirty = null;
    return this.writeNow(data).catch((error: unknown) => {
      this.dirty ??= data;
      throw error;
    });
  }

  /** Serializes `data` as it is when the write starts (after the writes before it). */
  private writeNow(data: CloudData): Promise<void> {
    const next = this.pending.then(() => this.write(this.file, JSON.stringify(data)));
    this.pending = next.catch(() => undefined);
    return next;
  }
}
