import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import { recordArgs, recordingPaths } from '../../../src/main/core/media/file/index';
import { type FeedSink } from '../../../src/main/core/media/feed/feed-fanout';
import { wholePiece } from '../../../src/main/core/media/feed/feed-piece';
import { currentOwner, ownerAlive, type ProcessOwner, processOwner } from '../../../src/main/core/media/process-owner';
import { ABANDONED_PRESET_LINE, sweepKeyFifos } from '../../../src/main/core/media/rtmp/key-fifo';
import { RECORDING_JOURNAL_FILE, RecordingJournal, recoverRecordings, RecordingService } from '../../../src/main/core/recording/index';
import { parseDuration } from '../../../src/main/core/recording/recover';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore } from '../../../src/main/core/studio-core';
import { type RecordingStatus, recordingStatusSchema } from '../../../src/shared/recording';
import { APP_ORIGIN } from '../support/studio-fixture';
import { decode, FFMPEG, fragmentOffsets, makeFeed, probe, removeDir, scratchDir, topLevelBoxes, waitFor } from './support';

/**
 * After a crash: the journal of recordings in progress, and the start-up recovery that finishes
 * (remuxes) what a killed run was writing — with real ffmpeg, a real SIGKILLed writer, and owners
 * that are real processes which have exited.
 */
let feed: Buffer;
let fragments: number[];
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dir(label: string): string {
  const made = scratchDir(label);
  dirs.push(made);
  return made;
}

/** A process that has run and exited (and was reaped): its pid is provably dead. */
async function deadOwner(): Promise<ProcessOwner> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const owner = await new Promise<ProcessOwner>((resolve) => child.once('spawn', () => resolve(processOwner(child.pid!))));
  await new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => !ownerAlive(owner), `pid ${owner.pid} to be gone`);
  return owner;
}

const fragmentsIn = (file: string) => Math.max(0, topLevelBoxes(file).filter((type) => type === 'moof').length - 1);

/** A crash-safe file as a killed studio leaves it: the recorder's ffmpeg fed ~3 s, then SIGKILLed mid-write. */
async function crashSafeFile(folder: string, baseName: string): Promise<string> {
  const { recordingPath } = recordingPaths(folder, baseName, 'mp4');
  const writer = spawn(FFMPEG, recordArgs(recordingPath, 'mp4', 200), { stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
  children.push(writer);
  (writer.stdio[3] as NodeJS.ReadableStream).resume();
  writer.stdin!.on('error', () => {});
  writer.stdin!.write(feed.subarray(0, fragments[Math.floor(fragments.length * 0.75)]!));
  await waitFor(() => existsSync(recordingPath) && fragmentsIn(recordingPath) >= 6, '3 s of fragments in the crash-safe file', 30_000);
  const closed = new Promise((resolve) => writer.once('close', resolve));
  writer.kill('SIGKILL');
  await closed;
  return recordingPath;
}

function journalWith(dataDir: string, owner: ProcessOwner, entries: Array<{ folder: string; baseName: string; format?: 'mp4' | 'mkv'; writer?: ProcessOwner | null }>): RecordingJournal {
  const journal = new RecordingJournal(join(dataDir, RECORDING_JOURNAL_FILE), { owner });
  for (const entry of entries) {
    journal.add({ folder: entry.folder, baseName: entry.baseName, format: entry.format ?? 'mp4', startedAt: '2026-12-01T09:30:12.000Z' });
    if (entry.writer) journal.setWriter(entry, entry.writer);
  }
  return new RecordingJournal(join(dataDir, RECORDING_JOURNAL_FILE));
}

beforeAll(() => {
  feed = makeFeed(6);
  fragments = fragmentOffsets(feed);
}, 60_000);
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const made of dirs.splice(0)) removeDir(made);
});


/**
 * A recorder ffmpeg whose studio is gone: it writes the feed into `recordingPath` and keeps its
 * stdin open until the test ends it; resolves once a few fragments are in the file.
 */
async function orphanWriter(recordingPath: string) {
  const writer = spawn(FFMPEG, recordArgs(recordingPath, 'mp4', 200), { stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
  children.push(writer);
  (writer.stdio[3] as NodeJS.ReadableStream).resume();
  writer.stdin!.on('error', () => {});
  writer.stdin!.write(feed);
  await waitFor(() => existsSync(recordingPath) && fragmentsIn(recordingPath) >= 4, 'fragments in the file', 30_000);
  return writer;
}
describe('the journal of recordings in progress', () => {
  it('names each recording with its owner and writer, keeps other owners’ entries, and is gone once empty', async () => {
    const data = dir('journal');
    const path = join(data, RECORDING_JOURNAL_FILE);
    const mine = new RecordingJournal(path);
    const other = await deadOwner();
    const theirs = new RecordingJournal(path, { owner: other });
    expect(mine.owner).toEqual(currentOwner());
    mine.add({ folder: '/rec', baseName: 'OnAir A', format: 'mp4', startedAt: 't1' });
    theirs.add({ folder: '/rec', baseName: 'OnAir B', format: 'mkv', startedAt: 't2' });
    mine.setWriter({ folder: '/rec', baseName: 'OnAir A' }, { pid: 4242, startTicks: 7, bootId: null });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(mine.read()).toEqual([
      { folder: '/rec', baseName: 'OnAir A', format: 'mp4', startedAt: 't1', owner: currentOwner(), writer: { pid: 4242, startTicks: 7, bootId: null } },
      { folder: '/rec', baseName: 'OnAir B', format: 'mkv', startedAt: 't2', owner: other, writer: null },
    ]);
    // Written whole, never half (a temp file renamed into place): always valid JSON.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1 });
    mine.remove({ folder: '/rec', baseName: 'OnAir A' });
    expect(theirs.read().map((entry) => entry.baseName)).toEqual(['OnAir B']);
    theirs.remove({ folder: '/rec', baseName: 'OnAir B' });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(data)).toEqual([]);
  });

  it('reads a damaged journal as empty and skips entries it cannot read', () => {
    const data = dir('journal-bad');
    const path = join(data, RECORDING_JOURNAL_FILE);
    writeFileSync(path, '{"version":1,"recordings":[{"folder":"/x"');
    expect(new RecordingJournal(path).read()).toEqual([]);
    writeFileSync(path, JSON.stringify({ version: 1, recordings: [{ nonsense: true }, { folder: '/r', baseName: 'B', format: 'mp4', startedAt: 't', owner: { pid: 5, startTicks: null, bootId: null }, writer: null }] }));
    expect(new RecordingJournal(path).read().map((entry) => entry.baseName)).toEqual(['B']);
  });

  it('says who is alive: this process yes; an exited process, or a pid now running another process, no', async () => {
    expect(ownerAlive(currentOwner())).toBe(true);
    expect(ownerAlive(await deadOwner())).toBe(false);
    // This very pid, but started at another time (a pid reused after a crash, as in a container): not the owner.
    const me = currentOwner();
    if (me.startTicks !== null) expect(ownerAlive({ ...me, startTicks: me.startTicks + 1 })).toBe(false);
    if (me.bootId !== null) expect(ownerAlive({ ...me, bootId: 'another-boot' })).toBe(false);
  });

  it('parses the duration ffmpeg prints for its input', () => {
    expect(parseDuration(['Input #0, mov,mp4', '  Duration: 00:01:02.50, start: 0.000000, bitrate: 10 kb/s'])).toBe(62.5);
    expect(parseDuration(['  Duration: N/A, bitrate: N/A'])).toBeNull();
  });
});

describe('start-up recovery of a killed run’s recordings', { timeout: 60_000 }, () => {
  it('remuxes a dead owner’s crash-safe file into the final MP4 (a cut-short part file removed), and leaves nothing else', async () => {
    const data = dir('recover-data');
    const folder = dir('recover-rec');
    const base = 'OnAir 2026-12-01 09-30-12';
    const crashSafe = await crashSafeFile(folder, base);
    const paths = recordingPaths(folder, base, 'mp4');
    writeFileSync(paths.partPath, 'a remux the crash cut short');
    const owner = await deadOwner();
    const journal = journalWith(data, owner, [{ folder, baseName: base, writer: await deadOwner() }]);
    const spawned: number[] = [];

    const recovered = await recoverRecordings({ journal, findFfmpeg: () => FFMPEG, onSpawn: (pid) => spawned.push(pid) });

    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ path: paths.finalPath, outcome: 'saved' });
    expect(readdirSync(folder)).toEqual([`${base}.mp4`]);
    expect(existsSync(crashSafe)).toBe(false);
    expect(existsSync(join(data, RECORDING_JOURNAL_FILE))).toBe(false);
    // A plain MP4, index first, that decodes without a word of error, as long as what was written.
    const boxes = topLevelBoxes(paths.finalPath);
    expect(boxes).not.toContain('moof');
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const info = probe(paths.finalPath);
    expect(info.codecs).toEqual(['h264', 'aac']);
    expect(info.durationS).toBeGreaterThan(2.5);
    expect(Math.abs(recovered[0]!.durationSec! - info.durationS)).toBeLessThan(0.1);
    expect(decode(paths.finalPath)).toMatchObject({ exitCode: 0, errors: '' });
    expect(spawned.length).toBeGreaterThan(0);
    await waitFor(() => spawned.every((pid) => !ownerAlive({ pid })), 'the remux ffmpeg to exit');
  });

  it('takes a free name when the final one is taken, and leaves a live owner’s recording and an empty file’s entry as they should be', async () => {
    const data = dir('recover-data');
    const folder = dir('recover-rec');
    const taken = 'OnAir taken';
    await crashSafeFile(folder, taken);
    writeFileSync(join(folder, `${taken}.mp4`), 'the user put another file here');
    const live = 'OnAir live';
    await crashSafeFile(folder, live);
    const empty = 'OnAir empty';
    writeFileSync(recordingPaths(folder, empty, 'mp4').recordingPath, '');
    const dead = await deadOwner();
    // The live one is this process's own (a recording running now): never touched.
    new RecordingJournal(join(data, RECORDING_JOURNAL_FILE)).add({ folder, baseName: live, format: 'mp4', startedAt: 't' });
    const journal = journalWith(data, dead, [{ folder, baseName: taken }, { folder, baseName: empty }]);

    const recovered = await recoverRecordings({ journal, findFfmpeg: () => FFMPEG });

    expect(recovered).toEqual([{ path: join(folder, `${taken} (2).mp4`), outcome: 'saved', durationSec: expect.any(Number) }]);
    expect(readFileSync(join(folder, `${taken}.mp4`), 'utf8')).toBe('the user put another file here');
    expect(readdirSync(folder).sort()).toEqual([`${live}.recording.mp4`, `${taken} (2).mp4`, `${taken}.mp4`].sort());
    expect(journal.read().map((entry) => entry.baseName)).toEqual([live]);
  });

  it('keeps and offers a file the remux cannot turn into a recording; an entry waits when ffmpeg or the folder is not there', async () => {
    const data = dir('recover-data');
    const folder = dir('recover-rec');
    const broken = 'OnAir broken';
    const brokenPath = recordingPaths(folder, broken, 'mp4').recordingPath;
    writeFileSync(brokenPath, Buffer.alloc(4096, 7));
    const noFfmpeg = 'OnAir no ffmpeg';
    const noFfmpegPath = await crashSafeFile(folder, noFfmpeg);
    const unplugged = join(folder, 'unplugged-drive');
    const dead = await deadOwner();
    const journal = journalWith(data, dead, [{ folder, baseName: broken }, { folder, baseName: noFfmpeg }, { folder: unplugged, baseName: 'OnAir elsewhere' }]);

    // ffmpeg found for the first entry only.
    let asked = 0;
    const recovered = await recoverRecordings({ journal, findFfmpeg: () => (asked++ === 0 ? FFMPEG : null) });

    expect(recovered).toEqual([
      { path: brokenPath, outcome: 'kept', durationSec: null },
      { path: noFfmpegPath, outcome: 'kept', durationSec: null },
    ]);
    expect(readdirSync(folder).sort()).toEqual([`${broken}.recording.mp4`, `${noFfmpeg}.recording.mp4`].sort());
    // The broken file was offered once and is the user's now; the other two are tried again at the next start.
    expect(journal.read().map((entry) => entry.baseName)).toEqual([noFfmpeg, 'OnAir elsewhere']);
    mkdirSync(unplugged);
    const again = await recoverRecordings({ journal, findFfmpeg: () => FFMPEG });
    expect(again).toEqual([{ path: recordingPaths(folder, noFfmpeg, 'mp4').finalPath, outcome: 'saved', durationSec: expect.any(Number) }]);
    expect(journal.read()).toEqual([]);
  });

  it('waits for a dead studio’s recorder ffmpeg to write its last fragment and exit before finishing the file', async () => {
    const data = dir('recover-data');
    const folder = dir('recover-rec');
    const base = 'OnAir flushing';
    const { recordingPath, finalPath } = recordingPaths(folder, base, 'mp4');
    // The writer outlives the studio: it still has its stdin open (its end comes below).
    const writer = await orphanWriter(recordingPath);
    const journal = journalWith(data, await deadOwner(), [{ folder, baseName: base, writer: processOwner(writer.pid!) }]);

    const recovering = recoverRecordings({ journal, findFfmpeg: () => FFMPEG, writerWaitMs: 30_000 });
    // Still writing: nothing touched yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(finalPath)).toBe(false);
    // The EOF a dead studio's pipe gives: ffmpeg writes the rest and exits by itself.
    writer.stdin!.end();
    const recovered = await recovering;
    expect(writer.exitCode).toBe(0);
    expect(recovered).toEqual([{ path: finalPath, outcome: 'saved', durationSec: expect.any(Number) }]);
    // All 6 s fed were written (nothing cut by a remux started too early).
    expect(probe(finalPath).durationS).toBeGreaterThan(5.5);
    expect(readdirSync(folder)).toEqual([`${base}.mp4`]);
  });
});

describe('recovery through the studio core', { timeout: 60_000 }, () => {
  it('a core started on the data folder finishes the killed run’s recording and says so in the recording status and event', async () => {
    const dataDir = dir('recover-core');
    const folder = dir('recover-core-rec');
    const base = 'OnAir 2026-12-01 10-00-00';
    await crashSafeFile(folder, base);
    journalWith(dataDir, await deadOwner(), [{ folder, baseName: base }]);
    const core = createStudioCore({
      store: new MemoryStore(),
      cipher: new SessionKeyCipher(),
      info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
      dataDir,
      appOrigin: APP_ORIGIN,
      isTrustedSender: () => true,
      localCloud: () => Promise.reject(new Error('no local cloud in this test')),
      ffmpegPath: () => FFMPEG,
    });
    const events: RecordingStatus[] = [];
    core.events.connect((event, payload) => {
      if (event === 'recording.changed') events.push(recordingStatusSchema.parse(payload));
    });
    try {
      const status = async () => {
        const envelope = (await core.dispatch('recording.status', undefined, { url: APP_ORIGIN })) as { ok: true; value: RecordingStatus };
        return recordingStatusSchema.parse(envelope.value);
      };
      const finalPath = join(folder, `${base}.mp4`);
      await waitFor(async () => (await status()).recovered.length > 0, 'the recovery in the status', 30_000);
      expect((await status()).recovered).toEqual([{ path: finalPath, outcome: 'saved', durationSec: expect.any(Number) }]);
      expect((await status()).state).toBe('idle');
      expect(events.at(-1)?.recovered).toEqual((await status()).recovered);
      expect(readdirSync(folder)).toEqual([`${base}.mp4`]);
      expect(existsSync(join(dataDir, RECORDING_JOURNAL_FILE))).toBe(false);
    } finally {
      await core.close();
    }
  });

  it('a recording in progress is in the journal (with its ffmpeg), left alone by a recovery, and leaves the journal when done', async () => {
    const dataDir = dir('recover-svc');
    const folder = dir('recover-svc-rec');
    const journalPath = join(dataDir, RECORDING_JOURNAL_FILE);
    const service = new RecordingService({
      findFfmpeg: () => ({ path: FFMPEG, source: 'env' }),
      settings: () => ({ folder, format: 'mp4' }),
      journalPath,
      tickMs: 0,
    });
    const added: unknown[] = [];
    const feedStub = { add: (sink: unknown) => added.push(sink), remove: () => {} };
    const started = await service.start(feedStub);
    expect(started.state).toBe('recording');
    const entry = new RecordingJournal(journalPath).read();
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ folder, format: 'mp4', owner: { pid: process.pid }, writer: { pid: service.currentRecorder!.processId() } });
    expect(recordingPaths(folder, entry[0]!.baseName, 'mp4').recordingPath).toBe(started.recordingPath);
    // Our own recording: a recovery now leaves it alone.
    expect(await recoverRecordings({ journal: new RecordingJournal(journalPath), findFfmpeg: () => FFMPEG })).toEqual([]);
    for (let i = 0; i < 8; i++) (added[0] as FeedSink).write(wholePiece(feed.subarray((i * feed.length) / 8, ((i + 1) * feed.length) / 8)));
    const stopped = await service.stop();
    expect(stopped.state).toBe('done');
    expect(existsSync(journalPath)).toBe(false);
    await service.close();
  });

  it('quitting during a recovery cuts it short and leaves the entry and the file for the next start, which finishes it', async () => {
    const dataDir = dir('recover-quit');
    const folder = dir('recover-quit-rec');
    const base = 'OnAir quit';
    const { recordingPath, finalPath } = recordingPaths(folder, base, 'mp4');
    // A dead studio whose recorder is still writing: the recovery waits for it.
    const writer = await orphanWriter(recordingPath);
    const journalPath = join(dataDir, RECORDING_JOURNAL_FILE);
    journalWith(dataDir, await deadOwner(), [{ folder, baseName: base, writer: processOwner(writer.pid!) }]);
    const options = { findFfmpeg: () => ({ path: FFMPEG, source: 'env' as const }), settings: () => ({ folder, format: 'mp4' as const }), journalPath, tickMs: 0, writerWaitMs: 60_000 };

    const first = new RecordingService(options);
    const recovering = first.recover();
    await first.close();
    expect(await recovering).toEqual([]);
    expect(first.status().recovered).toEqual([]);
    expect(new RecordingJournal(journalPath).read().map((entry) => entry.baseName)).toEqual([base]);
    expect(existsSync(finalPath)).toBe(false);

    writer.stdin!.end();
    await new Promise((resolve) => writer.once('exit', resolve));
    const next = new RecordingService(options);
    expect(await next.recover()).toEqual([{ path: finalPath, outcome: 'saved', durationSec: expect.any(Number) }]);
    expect(next.status().recovered).toEqual([{ path: finalPath, outcome: 'saved', durationSec: expect.any(Number) }]);
    expect(readdirSync(folder)).toEqual([`${base}.mp4`]);
    expect(existsSync(journalPath)).toBe(false);
    await next.close();
  });
});

describe('key FIFO folders a killed run left', () => {
  it('removes those of a dead studio, releasing a reader stranded on the FIFO with a line that ends ffmpeg, and keeps those of running processes', async () => {
    const tmp = dir('fifo-sweep');
    const dead = await deadOwner();
    const stranded = join(tmp, `onair-key-${dead.pid}-abc123`);
    mkdirSync(stranded, { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', join(stranded, 'preset')]);
    const quiet = join(tmp, `onair-key-${dead.pid}-def456`);
    mkdirSync(quiet, { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', join(quiet, 'preset')]);
    const running = join(tmp, `onair-key-${process.ppid}-ghi789`);
    mkdirSync(running, { mode: 0o700 });
    const mine = join(tmp, `onair-key-${process.pid}-jkl012`);
    mkdirSync(mine, { mode: 0o700 });
    const unrelated = join(tmp, 'onair-keys-not-a-fifo-folder');
    mkdirSync(unrelated);
    // A reader on the stranded FIFO, as the RTMP output's ffmpeg of a killed studio waits there.
    const reader = openSync(join(stranded, 'preset'), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const removed = await sweepKeyFifos(tmp);
      expect(removed.sort()).toEqual([quiet, stranded].sort());
      const got = Buffer.alloc(256);
      expect(got.toString('utf8', 0, readSync(reader, got))).toBe(ABANDONED_PRESET_LINE);
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(tmp).sort()).toEqual([running, mine, unrelated].map((path) => path.slice(tmp.length + 1)).sort());
  });

  it('that line makes ffmpeg exit at once, before it opens its output (it never publishes without a key)', async () => {
    const tmp = dir('fifo-line');
    const preset = join(tmp, 'preset');
    writeFileSync(preset, ABANDONED_PRESET_LINE);
    // An endless input: only the refused preset can end this ffmpeg.
    const ffmpeg = spawn(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=5', '-fpre', preset, '-f', 'null', '-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(ffmpeg);
    let errors = '';
    ffmpeg.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => ffmpeg.once('exit', resolve));
    expect(code).toBe(1);
    expect(errors).toContain('Invalid option');
  }, 30_000);
});
