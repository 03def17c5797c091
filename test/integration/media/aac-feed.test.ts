/**
 * A program feed with AAC already (the WebCodecs encoder where the system has an AAC encoder:
 * Windows, macOS): the renderer's muxer writes it as an `mp4a` track, and the preview's packager
 * and a recording copy it instead of encoding AAC again. Chromium on Linux has no AAC encoder,
 * so the feed here is ffmpeg's (H.264 + AAC in fragmented MP4).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore } from '../../../src/main/core/studio-core';
import type { MediaIngest } from '../../../src/shared/media';
import type { RecordingStatus } from '../../../src/shared/recording';
import { scratchDir } from '../../support/scratch';
import { muxStandInProgram } from '../../support/stand-in-program';
import { APP_ORIGIN, studioCore } from '../support/studio-fixture';
import { FFMPEG, makeFeed, mediaClient, mp4Chunks, startMediaCloud, useClosedAfterEach, waitFor } from './support';

const FFPROBE = join(FFMPEG!.path, '..', 'ffprobe');
const closeAfterEach = useClosedAfterEach();
let feed: Buffer;

beforeAll(() => {
  feed = makeFeed('mp4-aac', 3);
}, 60_000);

/** ffprobe's streams of a file or of bytes on stdin. */
function streams(input: Buffer): Array<Record<string, string | number>> {
  const run = spawnSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,sample_rate,channels', '-of', 'json', '-i', 'pipe:0'], { input, encoding: 'buffer' });
  expect(run.status, run.stderr.toString()).toBe(0);
  return (JSON.parse(run.stdout.toString()) as { streams: Array<Record<string, string | number>> }).streams;
}

/** The sizes of a file's audio packets, in order: copied audio keeps them, encoded audio does not. */
function audioPacketSizes(file: string): number[] {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out.trim().split('\n').map(Number);
}

/** Where `part` occurs as a contiguous run in `whole` (-1: nowhere). */
function runIndex(whole: number[], part: number[]): number {
  for (let at = 0; at + part.length <= whole.length; at++) if (part.every((size, i) => whole[at + i] === size)) return at;
  return -1;
}

describe('a program feed with AAC', () => {
  it('the renderer’s muxer writes its AAC packets as an mp4a track with their AudioSpecificConfig', async () => {
    const { pieces } = await muxStandInProgram({ frames: 30, gop: 30, muxer: { audioCodec: 'aac' } });
    const audio = streams(Buffer.concat(pieces.map((piece) => piece.data))).find((s) => s.codec_type === 'audio');
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 1 });
  });

  it('the preview’s packager copies it (no AAC encoder in its ffmpeg) and its segments carry it', async () => {
    const { cloud, hlsRoot } = await startMediaCloud();
    const core = studioCore(cloud);
    closeAfterEach(cloud, core);
    const { call } = mediaClient(core);
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1.42E01F,mp4a.40.2;gop=500' });
    const [pid] = cloud.media.pids();
    const args = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout;
    expect(args).toMatch(/-c:v copy -c:a copy/);
    const chunks = mp4Chunks(feed);
    for (let seq = 0; seq < chunks.length; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    // The first segment is whole once ffmpeg has opened the second.
    const session = await waitFor(() => (existsSync(hlsRoot) ? readdirSync(hlsRoot).map((name) => join(hlsRoot, name)).find((at) => existsSync(join(at, 's00001.ts'))) ?? null : null), 'a finished segment');
    expect(streams(readFileSync(join(session!, 's00000.ts')))).toEqual(
      expect.arrayContaining([expect.objectContaining({ codec_type: 'video', codec_name: 'h264' }), expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', sample_rate: '48000' })]),
    );
    await call('broadcast.stop');
  }, 60_000);

  it('a recording started while it runs copies its audio into the MP4: no AAC encoder in the recorder’s ffmpeg, the packets as they came', async () => {
    const { cloud } = await startMediaCloud();
    const lines: string[] = [];
    const core = createStudioCore({
      store: new MemoryStore(),
      cipher: new SessionKeyCipher(),
      info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
      dataDir: scratchDir('aac-recording-data'),
      appOrigin: APP_ORIGIN,
      isTrustedSender: () => true,
      localCloud: async () => cloud,
      timeoutMs: 2_000,
      ffmpegPath: () => FFMPEG!.path,
      log: (line) => lines.push(line),
    });
    closeAfterEach(cloud, core);
    const { call } = mediaClient(core);
    const folder = scratchDir('aac-recording');
    await call('settings.update', { recordingFolder: folder, recordingFormat: 'mp4' });
    await call('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1.42E01F,mp4a.40.2;gop=500' });
    const chunks = mp4Chunks(feed);
    const joinAfter = 2;
    for (let seq = 0; seq < joinAfter; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });

    const started = await call<RecordingStatus>('recording.start');
    expect(started.state).toBe('recording');
    const recorderArgs = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(started.recordingPath!));
    expect(recorderArgs).toHaveLength(1);
    expect(recorderArgs[0]).toMatch(/-c:v copy -c:a copy/);
    expect(recorderArgs[0]).not.toMatch(/-c:a aac/);
    expect(lines.some((line) => /the feed's audio is AAC: the file copies it/.test(line))).toBe(true);

    for (let seq = joinAfter; seq < chunks.length; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    const done = await call<RecordingStatus>('recording.stop');
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    expect(streams(readFileSync(done.path!))).toEqual(
      expect.arrayContaining([expect.objectContaining({ codec_type: 'video', codec_name: 'h264' }), expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', sample_rate: '48000' })]),
    );
    const source = join(folder, 'feed.mp4');
    writeFileSync(source, feed);
    const recorded = audioPacketSizes(done.path!);
    // The fragments after the join: about a second of audio at 48 kHz in 1024-sample frames.
    expect(recorded.length).toBeGreaterThan(30);
    expect(runIndex(audioPacketSizes(source), recorded)).toBeGreaterThan(0);
    await call('broadcast.stop');
  }, 60_000);
});
