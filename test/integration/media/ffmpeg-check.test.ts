import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg, type FoundFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import type { StudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import type { MediaIngest, MediaStatus } from '../../../src/shared/media';
import { activeResources, APP_ORIGIN, studioCore } from '../support/studio-fixture';
import { FFMPEG, makeFeed, mp4Chunks, startMediaCloud, useClosedAfterEach, waitFor } from './support';
import { scratchDir } from '../../support/scratch';

const MP4 = 'video/mp4;codecs=avc1.42E01F,opus';
let mp4: Buffer;
const closeAfterEach = useClosedAfterEach();

beforeAll(() => {
  expect(FFMPEG, 'ffmpeg must be installed for the media tests').not.toBeNull();
  mp4 = makeFeed('mp4', 2);
}, 60_000);


/**
 * The studio as the app builds it: the local cloud finds ffmpeg through the `ffmpegPath`
 * setting first (`lookup` replaces that, for PATH-like sources).
 */
async function setup(lookup?: () => FoundFfmpeg | null) {
  let core: StudioCore | null = null;
  const { cloud } = await startMediaCloud({ findFfmpeg: lookup ?? (() => findFfmpeg({ setting: core?.settings.read().ffmpegPath })) });
  core = studioCore(cloud);
  closeAfterEach(cloud, core);
  const attempt = <T>(channel: string, payload?: unknown) => core!.dispatch(channel, payload, { url: APP_ORIGIN }) as Promise<Envelope<T>>;
  const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
    const envelope = await attempt<T>(channel, payload);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value;
  };
  return { cloud, core, call, attempt };
}

/** A program at `dir/ffmpeg` that logs its arguments and whatever it got on stdin next to itself. */
function program(dir: string) {
  const path = join(dir, 'ffmpeg');
  const log = join(dir, 'runs.log');
  const stdin = join(dir, 'stdin.bin');
  return {
    path,
    /** Runs the real ffmpeg. */
    wrapReal: () => write(path, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${FFMPEG!.path}' "$@"\n`),
    /** Not ffmpeg: swallows its input and says something else. */
    impostor: () => write(path, `#!/bin/sh\necho "$*" >> '${log}'\ncat >> '${stdin}'\necho "totally ffmpeg, trust me"\n`),
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []),
    stdinBytes: () => (existsSync(stdin) ? statSync(stdin).size : 0),
  };
}

function write(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

describe('only ffmpeg is started with the program feed', () => {
  it('refuses to save an ffmpegPath that is not ffmpeg, saying why; the impostor only ever saw -version', async () => {
    const { call, attempt } = await setup();
    const fake = program(scratchDir('impostor'));
    fake.impostor();
    const refused = await attempt('settings.update', { ffmpegPath: fake.path });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_ffmpeg', details: { reason: 'not_ffmpeg', issues: [{ path: 'ffmpegPath' }] } } });
    expect(await attempt('settings.update', { ffmpegPath: '/bin/cat' })).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_ffmpeg' } });
    expect(await attempt('settings.update', { ffmpegPath: join(tmpdir(), 'onair-no-such-dir', 'ffmpeg') })).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_found' } });
    expect((await call<{ ffmpegPath: string }>('settings.get')).ffmpegPath).toBe('');
    expect(fake.runs()).toEqual(['-version']);
    expect(fake.stdinBytes()).toBe(0);

    expect((await call<{ ffmpegPath: string }>('settings.update', { ffmpegPath: FFMPEG!.path })).ffmpegPath).toBe(FFMPEG!.path);
  }, 30_000);

  it('checks again before starting it: an accepted program that was replaced is refused, and never gets media', async () => {
    const { cloud, call, attempt } = await setup();
    const chosen = program(scratchDir('chosen'));
    chosen.wrapReal();
    await call('settings.update', { ffmpegPath: chosen.path });
    await call('broadcast.start');

    // While it is ffmpeg, the feed is packaged (checked once: the verdict is cached for this file).
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    const chunks = mp4Chunks(mp4);
    for (let seq = 0; seq < chunks.length; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    const closed = await call<MediaStatus>('media.close', { ingestId: ingest.ingestId });
    expect(closed).toMatchObject({ state: 'ended', error: null });
    expect(closed.segments).toBeGreaterThan(0);
    expect(chosen.runs().filter((line) => line === '-version')).toHaveLength(1);
    expect(chosen.runs().some((line) => line.includes('pipe:0'))).toBe(true);

    // Now the same path is something else.
    const before = chosen.runs().length;
    chosen.impostor();
    const refused = await attempt('media.open', { mimeType: MP4 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_ffmpeg', details: { reason: 'not_ffmpeg' } } });
    expect(chosen.runs().slice(before)).toEqual(['-version']);
    expect(chosen.stdinBytes()).toBe(0);
    expect(cloud.media.pids()).toEqual([]);

    // Go live checks it too, before anything is created.
    await call('broadcast.stop');
    await waitFor(async () => (await activeResources(cloud)).length === 0, 'the broadcast to end');
    const start = await attempt('broadcast.start');
    expect(start).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_ffmpeg' } });
    expect(await activeResources(cloud)).toEqual([]);
    expect(chosen.stdinBytes()).toBe(0);
    expect(chosen.runs().slice(before).every((line) => line === '-version')).toBe(true);
  }, 60_000);

  it('checks whatever was found (FFMPEG_PATH, PATH), not only the setting', async () => {
    const fake = program(scratchDir('on-path'));
    fake.impostor();
    const { cloud, attempt } = await setup(() => ({ path: fake.path, source: 'path' }));
    expect(await attempt('broadcast.start')).toMatchObject({ ok: false, error: { code: 'ffmpeg.not_ffmpeg' } });
    expect(await activeResources(cloud)).toEqual([]);
    expect(fake.runs()).toEqual(['-version']);
    expect(fake.stdinBytes()).toBe(0);
  }, 30_000);
});
