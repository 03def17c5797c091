/**
 * The recordings in progress, written down in the studio's data folder
 * (`recordings-in-progress.json`) so that a run killed mid-recording (SIGKILL, power cut) is
 * found by the next one: each entry names a crash-safe `*.recording.mp4` being written, the
 * studio process that writes it and the recorder's ffmpeg. An entry is added before the file is
 * created and removed once the recording is done or failed (the failure says where the file is
 * kept); the file is removed when no entry is left.
 *
 * Written atomically (a whole new file, then a rename: write-file-atomic), synchronously, each
 * change re-reading the file first so that entries of another studio process on the same data
 * folder are kept. Never throws: a journal that cannot be written costs only the recovery.
 */
import { readFileSync, rmSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { RECORDING_FORMATS } from '../../../shared/recording';
import { currentOwner, type ProcessOwner } from '../media/process-owner';

export const RECORDING_JOURNAL_FILE = 'recordings-in-progress.json';

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  startTicks: z.number().nullable(),
  bootId: z.string().nullable(),
});

const entrySchema = z.object({
  /** The recording folder (absolute). */
  folder: z.string().min(1),
  /** `OnAir 2026-12-01 09-30-12`: the files are `<base>.recording.mp4`, `.<base>.<format>.part`, `<base>.<format>`. */
  baseName: z.string().min(1),
  format: z.enum(RECORDING_FORMATS),
  startedAt: z.string(),
  /** The studio process recording. */
  owner: ownerSchema,
  /** The recorder's ffmpeg, once it runs: it may still be flushing after the studio died. */
  writer: ownerSchema.nullable(),
});
export type RecordingJournalEntry = z.infer<typeof entrySchema>;

const journalSchema = z.object({ version: z.literal(1), recordings: z.array(z.unknown()) });

const sameRecording = (a: Pick<RecordingJournalEntry, 'folder' | 'baseName'>, b: Pick<RecordingJournalEntry, 'folder' | 'baseName'>) =>
  a.folder === b.folder && a.baseName === b.baseName;

export class RecordingJournal {
  readonly owner: ProcessOwner;
  private readonly log: (line: string) => void;

  constructor(
    readonly path: string,
    options: { owner?: ProcessOwner; log?: (line: string) => void } = {},
  ) {
    this.owner = options.owner ?? currentOwner();
    this.log = options.log ?? (() => {});
  }

  /** Every readable entry (a missing or unreadable journal has none; an unreadable entry is skipped). */
  read(): RecordingJournalEntry[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = journalSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return [];
      return parsed.data.recordings.flatMap((entry) => {
        const one = entrySchema.safeParse(entry);
        return one.success ? [one.data] : [];
      });
    } catch {
      return [];
    }
  }

  /** Writes down a recording this process is about to start. */
  add(entry: Omit<RecordingJournalEntry, 'owner' | 'writer'>): void {
    this.change((entries) => [...entries.filter((e) => !sameRecording(e, entry)), { ...entry, owner: this.owner, writer: null }]);
  }

  /** Names the recorder's ffmpeg of a recording written down before. */
  setWriter(recording: Pick<RecordingJournalEntry, 'folder' | 'baseName'>, writer: ProcessOwner): void {
    this.change((entries) => entries.map((e) => (sameRecording(e, recording) ? { ...e, writer } : e)));
  }

  /** The recording is done, failed (and said so), or recovered. */
  remove(recording: Pick<RecordingJournalEntry, 'folder' | 'baseName'>): void {
    this.change((entries) => entries.filter((e) => !sameRecording(e, recording)));
  }

  /**
   * Synchronous on purpose: no other change (nor another recording's choice of a free name) runs
   * between reading and writing, and an entry is on disk before the recording's file exists.
   */
  private change(edit: (entries: RecordingJournalEntry[]) => RecordingJournalEntry[]): void {
    try {
      const next = edit(this.read());
      if (next.length === 0) rmSync(this.path, { force: true });
      else writeFileAtomic.sync(this.path, `${JSON.stringify({ version: 1, recordings: next }, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      this.log(`recording journal: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
}
