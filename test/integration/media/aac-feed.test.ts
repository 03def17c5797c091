/**
 * A program feed with AAC already (the WebCodecs encoder where the system has an AAC encoder:
 * Windows, macOS): the renderer's muxer writes it as an `mp4a` track, and the preview's packager
 * copies it into its segments instead of encoding AAC again. Chromium on Linux has no AAC encoder,
 * so the packager's feed here is ffmpeg's (H.264 + AAC in fragmented MP4).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MediaIngest } from '../../../src/shared/media';
import { muxStandInProgram } from '../../support/stand-in-program';
import { studioCore } from '../support/studio-fixture';
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
});
