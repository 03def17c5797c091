/**
 * At start-up: the recordings an earlier run was writing when it ended unexpectedly (its entry
 * in the journal, its owner provably gone) are finished the way a clean stop finishes them —
 * the crash-safe file remuxed (`remuxArgs`, streams copied) through a hidden part file into the
 * final name (a free one, ` (2)`… when taken), the crash-safe file removed only after that. When
 * the remux fails the crash-safe file is kept and offered (`kept`, with its path).
 *
 * An entry whose folder or ffmpeg is not there now (an unplugged drive, no ffmpeg yet) stays in
 * the journal for a later start; so does one whose owner may be alive (another studio process),
 * or whose recorder ffmpeg is still writing the last fragment after the studio died.
 */
import { existsSync } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import type { RecoveredRecording } from '../../../shared/recording';
import { recordingPaths, remuxArgs } from '../media/file/index';
import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg';
import { ownerAlive } from '../media/process-owner';
import { freeBaseName } from './file-names';
import type { RecordingJournal, RecordingJournalEntry } from './recording-journal';

export interface RecoverOptions {
  journal: RecordingJournal;
  /** The ffmpeg to remux with, or null when there is none (the entries wait). */
  findFfmpeg: () => string | null;
  checkFfmpeg?: (path: string) => Promise<void>;
  /** Longest remux. Default 30 min. */
  remuxTimeoutMs?: number;
  /** How long to wait for a dead studio's recorder ffmpeg to write its last fragment and exit. Default 20 s. */
  writerWaitMs?: number;
  /** Abort (the studio quits): the running remux is killed, its entry stays for the next start. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Each ffmpeg started (tests). */
  onSpawn?: (pid: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/** `Duration: 00:01:02.50` from ffmpeg's description of its input; null when it says none. */
export function parseDuration(lines: readonly string[]): number | null {
  for (const line of lines) {
    const match = /Duration:\s*(\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (match) return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  }
  return null;
}

async function durationOf(ffmpeg: string, path: string, signal?: AbortSignal): Promise<number | null> {
  const lines: string[] = [];
  // No output file: ffmpeg describes the input (and exits 1 saying an output is missing).
  await runFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-i', path], { timeoutMs: 30_000, signal, onLine: (line) => lines.push(line) });
  return parseDuration(lines);
}

/** Finishes what the journal names and no live process owns; returns what was saved or kept. */
export async function recoverRecordings(options: RecoverOptions): Promise<RecoveredRecording[]> {
  const { journal, signal } = options;
  const log = options.log ?? (() => {});
  const recovered: RecoveredRecording[] = [];
  for (const entry of journal.read()) {
    if (signal?.aborted) break;
    if (ownerAlive(entry.owner)) continue;
    const result = await recoverOne(entry, options, log);
    if (result) recovered.push(result);
  }
  return recovered;
}

async function recoverOne(entry: RecordingJournalEntry, options: RecoverOptions, log: (line: string) => void): Promise<RecoveredRecording | null> {
  const { journal, signal } = options;
  const paths = recordingPaths(entry.folder, entry.baseName, entry.format);
  // The recorder's ffmpeg got EOF when the studio died and writes its last fragment: let it finish.
  if (entry.writer) {
    const until = Date.now() + (options.writerWaitMs ?? 20_000);
    while (ownerAlive(entry.writer) && Date.now() < until && !signal?.aborted) await sleep(100);
    if (ownerAlive(entry.writer)) {
      log(`recording recovery: the recorder of "${entry.baseName}" is still running; left for a later start`);
      return null;
    }
  }
  // A remux the crash cut short.
  await unlink(paths.partPath).catch(() => {});
  const size = await sizeOf(paths.recordingPath);
  if (size === null) {
    // No crash-safe file: finished (or never started) — unless the folder itself is not there now.
    if (existsSync(entry.folder)) journal.remove(entry);
    return null;
  }
  if (size === 0) {
    await unlink(paths.recordingPath).catch(() => {});
    journal.remove(entry);
    return null;
  }
  const kept: RecoveredRecording = { path: paths.recordingPath, outcome: 'kept', durationSec: null };
  const ffmpeg = options.findFfmpeg();
  try {
    if (!ffmpeg) throw new Error('ffmpeg was not found');
    await options.checkFfmpeg?.(ffmpeg);
  } catch (error) {
    // Offered as it is; finished at a later start once ffmpeg is there.
    log(`recording recovery: ${(error as Error).message}`);
    return kept;
  }
  // The final name, or a free one when another file took it meanwhile (our own crash-safe file does not count).
  const base = freeBaseName(entry.folder, entry.baseName, entry.format, (path) => path !== paths.recordingPath && existsSync(path));
  const target = recordingPaths(entry.folder, base, entry.format);
  const remux = await runFfmpeg(ffmpeg, remuxArgs(paths.recordingPath, target.partPath, entry.format), {
    timeoutMs: options.remuxTimeoutMs ?? 30 * 60_000,
    signal,
    onSpawn: options.onSpawn,
  });
  if (signal?.aborted) {
    await unlink(target.partPath).catch(() => {});
    return null;
  }
  if (remux.code !== 0) {
    await unlink(target.partPath).catch(() => {});
    log(`recording recovery: remux of "${entry.baseName}" failed: ${remux.lines.at(-1) ?? `exit ${remux.code}`}`);
    journal.remove(entry);
    return kept;
  }
  try {
    await rename(target.partPath, target.finalPath);
  } catch (error) {
    await unlink(target.partPath).catch(() => {});
    log(`recording recovery: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    journal.remove(entry);
    return kept;
  }
  // Only now, with the final file in place, the crash-safe copy goes.
  await unlink(paths.recordingPath).catch(() => {});
  journal.remove(entry);
  return { path: target.finalPath, outcome: 'saved', durationSec: await durationOf(ffmpeg, target.finalPath, signal) };
}
