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

/** Durable storage of CloudData: atomic whole-file writes, saves applied in order. */
export class CloudStore {
  readonly file: string;
  private pending: Promise<void> = Promise.resolve();

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, STATE_FILE);
  }

  /** Reads the file, or creates it with fresh credentials. */
  async load(): Promise<CloudData> {
    await mkdir(this.dataDir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const data = emptyData();
      await this.save(data);
      return data;
    }
    const data = JSON.parse(text) as CloudData;
    if (data.version !== 1 || !data.credentials?.apiSecret) throw new Error(`${this.file} is not a local cloud state file (version 1)`);
    await chmod(this.file, FILE_MODE);
    return data;
  }

  /** Writes a snapshot of `data`; resolves when it is on disk. */
  save(data: CloudData): Promise<void> {
    const text = JSON.stringify(data, null, 2);
    const next = this.pending.then(() => writeFileAtomic(this.file, text, { mode: FILE_MODE }));
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every save so far is on disk. */
  flush(): Promise<void> {
    return this.pending;
  }
}
