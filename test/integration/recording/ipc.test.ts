import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import type { MediaIngest, MediaStatus } from '../../../src/shared/media';
import type { SettingsView } from '../../../src/shared/settings';
import { type RecordingStatus, recordingStatusSchema } from '../../../src/shared/recording';
import { scratchDir } from '../../support/scratch';
import { mp4Chunks, startMediaCloud, useClosedAfterEach } from '../media/support';
import { APP_ORIGIN } from '../support/studio-fixture';
import { decode, FFMPEG, makeFeed, probe, topLevelBoxes, waitFor } from './support';

/**
 * Record / Stop recording through the IPC contract, as the renderer drives it: `recording.start`,
 * the program feed pushed with `media.open` / `media.chunk`, `recording.stop` — with and without
 * a live broadcast.
 */
const MP4 = 'video/mp4;codecs=avc1.42E01F,opus';
const FEED_S = 3;
let chunks: Buffer[];
const closeAfterEach = useClosedAfterEach();

beforeAll(() => {
  chunks = mp4Chunks(makeFeed(FEED_S));
  expect(chunks.length).toBeGreaterThan(4);
}, 60_000);


type CallError = Error & { code: string; details?: { issues?: Array<{ path: string; messageKey: string }> } };

async function setup() {
  const { cloud } = await startMediaCloud();
  let now = Date.parse('2026-12-01T09:30:12Z');
  const core = createStudioCore({
    store: new MemoryStore(),
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir: scratchDir('rec-ipc-data'),
    appOrigin: APP_ORIGIN,
    isTrustedSender: () => true,
    localCloud: async () => cloud,
    timeoutMs: 2_000,
    now: () => (now += 1),
    ffmpegPath: () => FFMPEG,
    // A folder removed mid-recording is noticed within 200 ms; status events twice a second.
    recording: { recorder: { watchMs: 200, progressPeriodMs: 250 }, tickMs: 500 },
  });
  closeAfterEach(cloud, core);
  const recordingEvents: RecordingStatus[] = [];
  core.events.connect((event, payload) => {
    if (event === 'recording.changed') recordingEvents.push(recordingStatusSchema.parse(payload));
  });
  const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
    const envelope = (await core.dispatch(channel, payload, { url: APP_ORIGIN })) as Envelope<T>;
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code, details: envelope.error.details }) as CallError;
    return envelope.value;
  };
  const refusal = async (channel: string, payload?: unknown): Promise<CallError> => {
    try {
      await call(channel, payload);
    } catch (error) {
      return error as CallError;
    }
    throw new Error(`${channel} was accepted`);
  };
  const folder = scratchDir('rec-ipc');
  const view = await call<SettingsView>('settings.update', { recordingFolder: folder, recordingFormat: 'mp4' });
  expect(view).toMatchObject({ recordingFolder: folder, recordingFormat: 'mp4' });
  /** Sends chunks [from, to) of the feed on `ingestId`, numbered from `seq`. */
  const push = async (ingestId: string, from: number, to: number, seq = from) => {
    for (let index = from; index < to; index++, seq++) {
      await call('media.chunk', { ingestId, seq, data: new Uint8Array(chunks[index]!) });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { cloud, core, call, refusal, folder, push, recordingEvents };
}

function expectPlainMp4(file: string, seconds: number) {
  const info = probe(file);
  expect(info.codecs).toEqual(expect.arrayContaining(['h264', 'aac']));
  expect(info.durationS).toBeGreaterThan(seconds - 0.7);
  expect(info.durationS).toBeLessThan(seconds + 0.7);
  const boxes = topLevelBoxes(file);
  // A plain MP4: no fragments, the index before the media.
  expect(boxes).not.toContain('moof');
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  const decoded = decode(file);
  expect(decoded).toMatchObject({ exitCode: 0, errors: '' });
  expect(decoded.videoFrames).toBeGreaterThan((seconds - 0.7) * 30);
}

describe('recording over IPC', { timeout: 60_000 }, () => {
  it('records the program feed without any broadcast: media.open is accepted only while recording', async () => {
    const { call, refusal, folder, push, recordingEvents } = await setup();
    expect(await call<RecordingStatus>('recording.status')).toMatchObject({ state: 'idle', error: null });
    // Nothing needs the feed yet.
    expect((await refusal('media.open', { mimeType: MP4 })).code).toBe('media.not_live');

    const started = await call<RecordingStatus>('recording.start');
    expect(started).toMatchObject({ state: 'recording', format: 'mp4', folder, error: null });
    expect(basename(started.path!)).toMatch(/^OnAir \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mp4$/);
    expect(dirname(started.recordingPath!)).toBe(folder);

    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    await push(ingest.ingestId, 0, chunks.length);
    // The size grows while recording, and the UI hears of it without asking.
    const growing = await waitFor(() => recordingEvents.find((event) => event.state === 'recording' && event.bytesWritten > 0), 'a status event with bytes written');
    expect(growing.recordingPath).toBe(started.recordingPath);

    const done = await call<RecordingStatus>('recording.stop');
    expect(done).toMatchObject({ state: 'done', path: started.path, error: null });
    expect(done.bytesWritten).toBeGreaterThan(0);
    expectPlainMp4(done.path!, FEED_S);
    expect(readdirSync(folder)).toEqual([basename(done.path!)]);
    expect(recordingEvents.map((event) => event.state)).toEqual(expect.arrayContaining(['recording', 'finalizing', 'done']));
    expect(recordingEvents.at(-1)).toMatchObject({ state: 'done', path: done.path });

    // The recording released the feed: with no broadcast, nothing takes it any more.
    expect((await refusal('media.chunk', { ingestId: ingest.ingestId, seq: chunks.length, data: new Uint8Array(chunks[0]!) })).code).toBe('media.not_live');
    expect((await refusal('media.open', { mimeType: MP4 })).code).toBe('media.not_live');
    await call('media.close', { ingestId: ingest.ingestId });
  });

  it('while live in Local mode, the recording and the local HLS both receive the feed; stopping the recording leaves the broadcast live', async () => {
    const { call, cloud, push } = await setup();
    await call('broadcast.start');
    const started = await call<RecordingStatus>('recording.start');
    expect(started.state).toBe('recording');

    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    await push(ingest.ingestId, 0, chunks.length);
    const media = await waitFor(async () => {
      const status = await call<MediaStatus>('media.status');
      return status.segments >= 2 ? status : null;
    }, 'HLS segments from the same feed');
    expect(media).toMatchObject({ state: 'live', error: null });

    const done = await call<RecordingStatus>('recording.stop');
    expect(done.state).toBe('done');
    expectPlainMp4(done.path!, FEED_S);

    // The broadcast and its preview go on: the same ingest still takes the feed.
    expect((await call<{ state: string }>('broadcast.status')).state).toBe('live');
    const before = (await call<MediaStatus>('media.status')).segments;
    await push(ingest.ingestId, 1, chunks.length, chunks.length);
    await waitFor(async () => (await call<MediaStatus>('media.status')).segments > before, 'more HLS segments after the recording stopped');
    expect(cloud.media.status().ingestId).not.toBeNull();
    await call('media.close', { ingestId: ingest.ingestId });
    await call('broadcast.stop');
  });

  it('Stop (broadcast) while recording keeps the recording and its feed going', async () => {
    const { call, push } = await setup();
    await call('broadcast.start');
    await call<RecordingStatus>('recording.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    const half = Math.floor(chunks.length / 2);
    await push(ingest.ingestId, 0, half);

    expect((await call<{ state: string }>('broadcast.stop')).state).toBe('idle');
    expect((await call<RecordingStatus>('recording.status')).state).toBe('recording');
    // The feed is still wanted (by the recording): the rest of it is accepted on the same ingest.
    await push(ingest.ingestId, half, chunks.length);

    const done = await call<RecordingStatus>('recording.stop');
    expect(done.state).toBe('done');
    expectPlainMp4(done.path!, FEED_S);
    await call('media.close', { ingestId: ingest.ingestId });
  });

  it('a recording whose folder goes away fails with recording.folder_missing while the broadcast goes on', async () => {
    const { call, push, folder, recordingEvents } = await setup();
    await call('broadcast.start');
    const started = await call<RecordingStatus>('recording.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    await push(ingest.ingestId, 0, 3);
    rmSync(folder, { recursive: true, force: true });
    const failed = await waitFor(() => recordingEvents.find((event) => event.state === 'failed'), 'the recording to fail');
    expect(failed.error).toMatchObject({ code: 'recording.folder_missing', reason: 'folder_missing' });
    expect(failed.startedAt).toBe(started.startedAt);

    // The feed goes on for the preview.
    await push(ingest.ingestId, 3, chunks.length);
    await waitFor(async () => (await call<MediaStatus>('media.status')).segments >= 2, 'HLS segments after the recording failed');
    expect((await call<{ state: string }>('broadcast.status')).state).toBe('live');
    expect((await call<RecordingStatus>('recording.stop')).state).toBe('failed');
    await call('media.close', { ingestId: ingest.ingestId });
    await call('broadcast.stop');
  });

  it('closing the core (quitting the app) while recording finishes the file', async () => {
    const { core, call, push, folder, recordingEvents } = await setup();
    const started = await call<RecordingStatus>('recording.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MP4 });
    await push(ingest.ingestId, 0, chunks.length);
    await core.close();
    expect(recordingEvents.at(-1)).toMatchObject({ state: 'done', path: started.path });
    expectPlainMp4(started.path!, FEED_S);
    expect(readdirSync(folder)).toEqual([basename(started.path!)]);
  });

  it('settings refuse a recording folder that is missing, relative or a file, and keep the last good one', async () => {
    const { call, refusal, folder } = await setup();
    const missing = await refusal('settings.update', { recordingFolder: join(folder, 'nope') });
    expect(missing.code).toBe('recording.folder_missing');
    expect(missing.details?.issues).toEqual([{ path: 'recordingFolder', messageKey: 'errors.recording.folder_missing' }]);
    const relative = await refusal('settings.update', { recordingFolder: 'videos/here' });
    // The contract's own schema refuses it before the settings service is asked.
    expect(relative.code).toBe('ipc.invalid_payload');
    expect(relative.details?.issues).toEqual([{ path: 'recordingFolder', messageKey: 'validation.recordingFolder' }]);
    expect((await refusal('settings.update', { recordingFormat: 'avi' })).details?.issues).toEqual([
      { path: 'recordingFormat', messageKey: 'validation.recordingFormat' },
    ]);
    const aFile = join(folder, 'not-a-folder.txt');
    writeFileSync(aFile, 'x');
    expect((await refusal('settings.update', { recordingFolder: aFile })).code).toBe('recording.folder_missing');
    rmSync(aFile);
    expect(await call<SettingsView>('settings.get')).toMatchObject({ recordingFolder: folder, recordingFormat: 'mp4' });

    // Empty means the Videos folder again.
    const reset = await call<SettingsView>('settings.update', { recordingFolder: '', recordingFormat: 'mkv' });
    expect(reset).toMatchObject({ recordingFolder: null, recordingFormat: 'mkv' });
    expect(reset.recordingDefaultFolder).toMatch(/^\//);
    expect(existsSync(folder)).toBe(true);
  });
});
