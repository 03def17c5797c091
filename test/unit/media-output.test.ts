/**
 * The one output contract (src/main/core/media/output.ts): the RTMP push, the recording file, the
 * shared audio stage and the HLS ingest each fill it, on the one ffmpeg runner — here a fake ffmpeg
 * (test/support/fake-ffmpeg.mjs behind a small wrapper script, since each output builds its own
 * ffmpeg arguments) that reads stdin to its end, dies at once, or never ends.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AudioStage, type AudioStageState } from '../../src/main/core/media/audio-stage';
import type { FeedPiece } from '../../src/main/core/media/feed/feed-piece';
import { ProgramFeed } from '../../src/main/core/media/feed/program-feed';
import { FileRecorder } from '../../src/main/core/media/file/file-recorder';
import { HlsIngest, type HlsIngestOptions } from '../../src/main/core/media/hls/hls-ingest';
import type { MediaOutput } from '../../src/main/core/media/output';
import { RtmpOutput, type RtmpOutputState } from '../../src/main/core/media/rtmp/index';
import { StudioError } from '../../src/shared/errors';
import { muxStandInProgram } from '../support/stand-in-program';

const FAKE = resolve(__dirname, '../support/fake-ffmpeg.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'output-contract-'));
const stops: Array<() => Promise<unknown>> = [];

/** An executable that runs the fake ffmpeg in `mode`, whatever ffmpeg arguments the output gives it. */
function fakeFfmpeg(mode: string, ...args: string[]): string {
  const path = join(scratch, `ffmpeg-${mode}-${args.join('-')}`);
  writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${FAKE}' ${[mode, ...args].join(' ')} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Only compiles when `output` fills the contract; stopped after each test. */
function contract<S extends { state: string }, H, O extends MediaOutput<S, H>>(output: O & MediaOutput<S, H>): O {
  stops.push(() => output.stop());
  return output;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

function nextState<S extends { state: string }>(output: MediaOutput<S, unknown>, state: S['state']): Promise<S> {
  return new Promise((resolve) => {
    const listener = (next: S) => {
      if (next.state !== state) return;
      output.off('state', listener);
      resolve(next);
    };
    output.on('state', listener);
  });
}

const piece = (text: string, boundary = false, init?: Buffer): FeedPiece => ({ data: Buffer.from(text), boundary, ...(init ? { init } : {}) });
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('one output contract, every output on the one runner', () => {
  it('RTMP: a first connect whose ffmpeg dies early fails at once (never looped), and stop() resolves with off', async () => {
    const out = contract(new RtmpOutput({ ffmpegPath: fakeFfmpeg('die', '1'), serverUrl: 'rtmp://127.0.0.1:1/live', streamKey: 'live_secret_key', serverProbeMs: 0 }));
    const failed = nextState(out, 'failed');
    out.start();
    expect(out.state().state).toBe('connecting');
    expect((await failed) as RtmpOutputState).toMatchObject({ state: 'failed', reason: 'ffmpeg_failed' });
    expect(out.processId()).toBeNull();
    expect(out.health().attempts).toBe(1);
    expect(await out.stop()).toEqual({ state: 'off' });
  });

  it('RTMP: takes the pieces as cut upstream — a run that begins mid-feed starts at a boundary piece with its init, nothing is cut again', async () => {
    const lines: string[] = [];
    const out = contract(new RtmpOutput({ ffmpegPath: '', resolveFfmpeg: async () => fakeFfmpeg('sink'), serverUrl: 'rtmp://127.0.0.1:1/live', streamKey: 'live_secret_key', serverProbeMs: 0 }));
    out.on('log', (line) => lines.push(line));
    out.start();
    // Fed before its ffmpeg runs: the run joins mid-feed.
    out.write(piece('early'));
    await until(() => out.processId() !== null);
    out.write(piece('middle of a fragment'));
    // Not container bytes at all: a framer would not find this boundary; the piece says where it is.
    out.write(piece('<fragment>', true, Buffer.from('<init>')));
    out.write(piece('<more>'));
    expect(out.health().droppedBytes).toBe('early'.length + 'middle of a fragment'.length);
    expect(await out.stop()).toEqual({ state: 'off' });
    expect(lines).toContain(`read ${'<init><fragment><more>'.length} ${sha('<init><fragment><more>')}`);
    expect(out.processId()).toBeNull();
  });

  it('file: an ffmpeg that dies early fails the recording with its reason; stop() then resolves with that state', async () => {
    const folder = mkdtempSync(join(scratch, 'rec-'));
    const rec = contract(new FileRecorder({ ffmpegPath: fakeFfmpeg('die', '1'), checkFfmpeg: async () => {}, folder, baseName: 'early', format: 'mp4' }));
    const failed = nextState(rec, 'failed');
    await rec.start();
    const state = await failed;
    expect(state).toMatchObject({ state: 'failed', reason: 'ffmpeg_failed', keptPath: null });
    expect(rec.processId()).toBeNull();
    rec.write(piece('after the end'));
    expect(rec.health().droppedBytes).toBe('after the end'.length);
    expect(await rec.stop()).toBe(state);
  });

  it('file: stop() kills an ffmpeg that does not finish within its bound and resolves (never rejects)', async () => {
    const folder = mkdtempSync(join(scratch, 'rec-'));
    const rec = contract(new FileRecorder({ ffmpegPath: fakeFfmpeg('deaf'), checkFfmpeg: async () => {}, folder, baseName: 'deaf', format: 'mp4', stopTimeoutMs: 200 }));
    const lines: string[] = [];
    rec.on('log', (line) => lines.push(line));
    await rec.start();
    expect(rec.state().state).toBe('recording');
    expect(rec.processId()).not.toBeNull();
    rec.write(piece('some feed'));
    await until(() => lines.includes('deaf'));
    const stopped = await rec.stop();
    expect(stopped).toMatchObject({ state: 'failed', reason: 'ffmpeg_failed' });
    expect(stopped.state === 'failed' && stopped.message).toContain('SIGKILL');
    expect(rec.processId()).toBeNull();
  });

  it('audio stage: the first output starts it, pieces reach its ffmpeg, the last output leaving stops it', async () => {
    const feed = new ProgramFeed();
    feed.need('destinations');
    const logs: string[] = [];
    const stage = contract(new AudioStage({ feed, resolveFfmpeg: async () => fakeFfmpeg('sink'), log: (line) => logs.push(line) }));
    const states: AudioStageState['state'][] = [];
    stage.on('state', (state) => states.push(state.state));
    const sink = { write: () => {} };
    stage.add(sink);
    await until(() => stage.state().state === 'running');
    const pid = stage.processId();
    expect(pid).not.toBeNull();
    stage.write(piece('program'));
    expect(stage.health()).toMatchObject({ state: 'running', spawns: 1, outputs: 1 });
    stage.remove(sink);
    expect(stage.state()).toEqual({ state: 'off' });
    expect(await stage.stop()).toEqual({ state: 'off' });
    expect(stage.processId()).toBeNull();
    expect(states).toEqual(['starting', 'running', 'off']);
  });

  it('audio stage: an H.264 (2 s GOP) + AAC feed passes through — no ffmpeg, the outputs get the feed’s own bytes; an Opus feed after it starts the ffmpeg', async () => {
    const feed = new ProgramFeed();
    feed.need('destinations');
    const logs: string[] = [];
    const stage = contract(new AudioStage({ feed, resolveFfmpeg: async () => fakeFfmpeg('sink'), log: (line) => logs.push(line) }));
    const got: Buffer[] = [];
    const started: string[] = [];
    stage.add({ write: (p) => got.push(Buffer.from(p.data)), feedStarted: ({ mimeType }) => started.push(mimeType) });
    const notLive = () => new StudioError('media.not_live', 'not live');
    const aac = feed.open('video/mp4;codecs=avc1.42001f,mp4a.40.2;gop=1000', notLive);
    await until(() => stage.state().state === 'running');
    expect(stage.state()).toEqual({ state: 'running', reencodesVideo: false, passesThrough: true });
    const { pieces } = await muxStandInProgram({ frames: 45, gop: 30, muxer: { audioCodec: 'aac' } });
    pieces.forEach((p, seq) => feed.chunk(aac.ingestId, seq, p.data));
    // Every byte from the init segment on, as the feed sent it; no ffmpeg ever started.
    expect(Buffer.concat(got).equals(Buffer.concat(pieces.map((p) => p.data)))).toBe(true);
    expect(stage.spawns).toBe(0);
    expect(stage.processId()).toBeNull();
    expect(stage.health()).toMatchObject({ passesThrough: true, queuedBytes: 0, outputs: 1 });
    expect(started.at(-1)).toBe('video/mp4;codecs=avc1.42001f,mp4a.40.2;gop=1000');
    expect(logs.some((line) => /take it as it is/.test(line))).toBe(true);

    feed.open('video/mp4;codecs=avc1.42001f,opus;gop=1000', notLive);
    await until(() => stage.spawns === 1 && stage.state().state === 'running');
    expect(stage.state()).toEqual({ state: 'running', reencodesVideo: false, passesThrough: false });
    expect(stage.processId()).not.toBeNull();
    expect(started.at(-1)).toBe('video/mp4;codecs=avc1,mp4a.40.2');
    expect(await stage.stop()).toEqual({ state: 'off' });
  });

  it('audio stage: an ffmpeg that dies early is started again (not in a tight loop)', async () => {
    const feed = new ProgramFeed();
    feed.need('destinations');
    const stage = contract(new AudioStage({ feed, resolveFfmpeg: async () => fakeFfmpeg('die', '1') }));
    stage.add({ write: () => {} });
    await until(() => stage.spawns === 1 && stage.state().state === 'starting');
    expect(stage.processId()).toBeNull();
    const startedAgainAt = Date.now();
    await until(() => stage.spawns >= 2);
    // A stage that died at once waits a second before it tries again.
    expect(Date.now() - startedAgainAt).toBeGreaterThanOrEqual(900);
    expect(await stage.stop()).toEqual({ state: 'off' });
  });

  function hls(ffmpegPath: string, extra: Partial<HlsIngestOptions> = {}): HlsIngest {
    return new HlsIngest({
      id: 'ingest-1',
      ffmpegPath,
      mimeType: 'video/mp4;codecs=avc1,opus',
      dir: scratch,
      segmentSeconds: 0.5,
      firstSequence: 0,
      discontinuity: false,
      maxQueueBytes: 1024 * 1024,
      stopTimeoutMs: 5_000,
      broadcastEnding: () => false,
      onSegment: () => {},
      log: () => {},
      ...extra,
    });
  }

  it('HLS: an ingest whose ffmpeg dies early before any segment has failed, with its last words', async () => {
    const ingest = contract(hls(fakeFfmpeg('die', '1')));
    const failed = nextState(ingest, 'failed');
    ingest.start();
    expect(await failed).toEqual({ state: 'failed', failure: 'fatal: giving up' });
    expect(ingest.processId()).toBeNull();
    expect(ingest.accepts(1)).toBe(true);
    expect(await ingest.stop()).toEqual({ state: 'failed', failure: 'fatal: giving up' });
  });

  it('HLS: stop() writes every piece it took, then ends the ingest cleanly', async () => {
    const logs: string[] = [];
    const ingest = contract(hls(fakeFfmpeg('sink'), { log: (line) => logs.push(line) }));
    ingest.start();
    expect(ingest.state()).toEqual({ state: 'waiting' });
    expect(ingest.processId()).not.toBeNull();
    for (const text of ['one', 'two', 'three']) {
      expect(ingest.accepts(text.length)).toBe(true);
      ingest.write(piece(text));
    }
    expect(await ingest.stop()).toEqual({ state: 'ended', code: 0 });
    expect(ingest.health()).toMatchObject({ state: 'ended', segments: 0, queuedBytes: 0 });
    expect(ingest.processId()).toBeNull();
  });

  it('a refusal to start is the output’s own: the recorder throws, and nothing runs', async () => {
    const folder = mkdtempSync(join(scratch, 'rec-'));
    const rec = contract(new FileRecorder({ ffmpegPath: fakeFfmpeg('sink'), checkFfmpeg: async () => { throw new StudioError('ffmpeg.not_ffmpeg', 'not ffmpeg'); }, folder, baseName: 'refused', format: 'mp4' }));
    await expect(rec.start()).rejects.toMatchObject({ code: 'ffmpeg.not_ffmpeg' });
    expect(rec.state()).toEqual({ state: 'idle' });
    expect(rec.processId()).toBeNull();
  });
});
