/**
 * Destinations end to end on the main side, through the IPC dispatcher of a real studio core:
 * a real nginx-rtmp (on_publish hook that knows the keys, stat XML, TLS front with a test CA),
 * real ffmpeg, the local cloud's HLS preview, and a generated fMP4 program feed sent with
 * `media.chunk` as the renderer sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { findFfmpeg } from '../../../src/main/core/media/ffmpeg/find';
import type { BroadcastStatus } from '../../../src/shared/broadcast';
import type { MediaIngest, MediaStatus } from '../../../src/shared/media';
import type { DestinationRuntime, DestinationsSnapshot, DestinationView } from '../../../src/shared/destinations';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { startMediaCloud } from '../media/support';
import { probe, streamKey, waitFor } from '../rtmp/support';
import { audioStageChildren, FeedPump, filesBelow, newestSegment, type RecordedCore, recordedCore, rtmpChildren } from './support';

const KEY_A = streamKey('dest_a');
const KEY_B = streamKey('dest_b');
const WRONG = streamKey('dest_wrong');
const FIXED = streamKey('dest_fixed');
const KEYS = [KEY_A, KEY_B, WRONG, FIXED];
// The generated feed has a keyframe every 2 s (-g 60 at 30 fps) and says so, as the WebCodecs encoder does: it is copied.
const MP4 = 'video/mp4;codecs=avc1.42E01F,opus;gop=2000';

let nginx: NginxRtmp;
let cloud: LocalCloud;
let hlsRoot: string;
let studio: RecordedCore;
let pump: FeedPump | null = null;
const dir = scratchDir('destinations');

const publishing = async (key: string) => (await nginx.streams()).find((s) => s.name === key && s.publishing && s.width) ?? null;
const publishCalls = (key: string) => nginx.publishCalls.filter((call) => call.name === key).length;
const latest = (id: string): DestinationRuntime | undefined => studio.snapshots.at(-1)?.runtime[id];

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: [KEY_A, KEY_B] });
  ({ cloud, hlsRoot } = await startMediaCloud({ findFfmpeg: () => findFfmpeg() }));
  studio = recordedCore({ dir, nginx, cloud });
}, 30_000);

afterAll(async () => {
  await pump?.stop();
  await studio?.core.close();
  await cloud?.close();
  await nginx?.close();
}, 30_000);

describe('destinations through the studio core', () => {
  let a: DestinationView;
  let b: DestinationView;
  let wrong: DestinationView;

  it('keeps several destinations, validates them with stable codes, and keeps each key only in the vault', async () => {
    a = await studio.call<DestinationView>('destinations.add', { name: 'Ingest A (RTMP)', presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: KEY_A });
    b = await studio.call<DestinationView>('destinations.add', { name: 'Ingest B (RTMPS)', presetId: 'custom', serverUrl: nginx.rtmpsUrl('localhost'), streamKey: KEY_B });
    wrong = await studio.call<DestinationView>('destinations.add', { name: 'Wrong key', presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: WRONG });
    expect(a).toEqual({ id: a.id, name: 'Ingest A (RTMP)', presetId: 'custom', serverUrl: nginx.rtmpUrl(), enabled: true, keyConfigured: true, keyHint: `••••${KEY_A.slice(-4)}` });
    expect(b).toMatchObject({ serverUrl: nginx.rtmpsUrl('localhost'), keyConfigured: true, keyHint: `••••${KEY_B.slice(-4)}` });

    // A destination without a key yet, then one that is invalid in three ways.
    const later = await studio.call<DestinationView>('destinations.add', { name: 'Later', presetId: 'youtube', enabled: false });
    expect(later).toMatchObject({ serverUrl: 'rtmps://a.rtmps.youtube.com:443/live2', keyConfigured: false, keyHint: null, enabled: false });
    const refused = await studio.attempt('destinations.add', { name: ' ', presetId: 'facebook', serverUrl: 'rtmp://live-api-s.facebook.com/rtmp', streamKey: 'has space' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'destination.invalid',
        details: {
          issues: [
            { path: 'name', messageKey: 'errors.destination.name_empty' },
            { path: 'serverUrl', messageKey: 'errors.destination.rtmps_required' },
            { path: 'streamKey', messageKey: 'errors.destination.key_whitespace' },
          ],
        },
      },
    });

    // A key too long for the contract is refused without being echoed.
    const tooLong = `${WRONG}${'x'.repeat(3000)}`;
    const oversized = await studio.attempt('destinations.add', { name: 'Too long', presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: tooLong });
    expect(oversized).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
    expect(JSON.stringify(oversized)).not.toContain(WRONG);

    // Edit (the key is kept when omitted), remove (its key leaves the vault).
    const renamed = await studio.call<DestinationView>('destinations.update', { id: later.id, name: 'Later (YouTube)' });
    expect(renamed).toMatchObject({ name: 'Later (YouTube)', keyConfigured: false });
    const afterRemove = await studio.call<DestinationsSnapshot>('destinations.remove', { id: later.id });
    expect(afterRemove.destinations.map((d) => d.id)).toEqual([a.id, b.id, wrong.id]);
    expect(afterRemove.live).toBe(false);
    expect(Object.values(afterRemove.runtime).map((r) => r.state)).toEqual(['off', 'off', 'off']);
    expect(await studio.attempt('destinations.update', { id: later.id, name: 'gone' })).toMatchObject({ ok: false, error: { code: 'destination.not_found' } });

    // On disk: the list without keys, the vault as ciphertext only.
    const stored = studio.store.store;
    expect(Object.keys(stored.vaultSecrets as object).sort()).toEqual([`destination:${a.id}`, `destination:${b.id}`, `destination:${wrong.id}`].sort());
    expect(JSON.stringify(stored)).not.toContain(KEY_A.slice(0, 12));
  }, 20_000);

  it('Go live publishes to both good destinations (RTMP and verified RTMPS) as H.264 + AAC; the wrong key fails once as key_rejected while the others and the preview go on', async () => {
    const live = await studio.call<BroadcastStatus>('broadcast.start');
    expect(live.state).toBe('live');
    const ingest = await studio.call<MediaIngest>('media.open', { mimeType: MP4 });
    pump = new FeedPump();
    pump.start(studio, ingest.ingestId);

    const streams = await waitFor(async () => {
      const [sa, sb] = await Promise.all([publishing(KEY_A), publishing(KEY_B)]);
      return sa && sb ? [sa, sb] : null;
    }, 'both destinations publishing with metadata', 30_000);
    for (const stream of streams) expect(stream).toMatchObject({ videoCodec: 'H264', audioCodec: 'AAC', width: 640, height: 360 });
    const [pulledA, pulledB] = await Promise.all([probe(`${nginx.rtmpUrl()}/${KEY_A}`), probe(`${nginx.rtmpUrl()}/${KEY_B}`)]);
    for (const pulled of [pulledA, pulledB]) {
      expect(pulled.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(pulled.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    }

    const failed = await waitFor(() => (latest(wrong.id)?.state === 'failed' ? latest(wrong.id) : null), 'the wrong key to fail');
    expect(failed).toMatchObject({ state: 'failed', reason: 'key_rejected', attempt: 1 });
    const snapshot = await studio.call<DestinationsSnapshot>('destinations.list');
    expect(snapshot.live).toBe(true);
    expect(snapshot.runtime[a.id]).toMatchObject({ state: 'live', reason: null });
    expect(snapshot.runtime[b.id]).toMatchObject({ state: 'live', reason: null });

    // The others keep publishing and the preview's HLS keeps growing after the failure; the wrong key is not retried.
    const segmentAtFailure = newestSegment(hlsRoot);
    expect((await studio.call<MediaStatus>('media.status')).state).toBe('live');
    const bytesAtFailure = (await publishing(KEY_A))!.bytesIn;
    await waitFor(() => newestSegment(hlsRoot) > segmentAtFailure + 4, 'the preview HLS to keep growing');
    await waitFor(async () => ((await publishing(KEY_A))?.bytesIn ?? 0) > bytesAtFailure + 100_000, 'destination A to keep receiving');
    expect(await publishing(KEY_B)).not.toBeNull();
    expect(publishCalls(WRONG)).toBe(1);
    expect(latest(wrong.id)).toMatchObject({ state: 'failed', reason: 'key_rejected' });

    const health = await waitFor(() => {
      const h = latest(a.id)?.health;
      return h && h.bitrateKbps > 0 && h.fps > 0 && h.uptimeMs > 0 ? h : null;
    }, 'health for A');
    expect(health).toMatchObject({ droppedFrames: 0, reconnects: 0 });
    expect(pump.lastError).toBeNull();
  }, 60_000);

  it('Reconnect now tries the failed destination once more; a corrected key goes live without touching the others', async () => {
    const calls = publishCalls(WRONG);
    await studio.call<DestinationRuntime>('destinations.reconnect', { id: wrong.id });
    await waitFor(() => publishCalls(WRONG) === calls + 1 && latest(wrong.id)?.state === 'failed', 'the retried wrong key to fail again');
    expect(latest(wrong.id)).toMatchObject({ reason: 'key_rejected', attempt: 1 });

    // Reconnect on a live destination changes nothing.
    expect(await studio.call<DestinationRuntime>('destinations.reconnect', { id: a.id })).toMatchObject({ state: 'live' });

    nginx.keys.add(FIXED);
    const fixed = await studio.call<DestinationView>('destinations.update', { id: wrong.id, streamKey: FIXED });
    expect(fixed.keyHint).toBe(`••••${FIXED.slice(-4)}`);
    await waitFor(() => publishing(FIXED), 'the corrected key to publish');
    await waitFor(() => (latest(wrong.id)?.state === 'live' ? true : null), 'the corrected destination live');
    expect(latest(a.id)).toMatchObject({ state: 'live', health: { reconnects: 0 } });
    expect(publishCalls(KEY_A)).toBe(1);
    expect(publishCalls(KEY_B)).toBe(1);

    // Turning one off while live ends only that one.
    await studio.call('destinations.update', { id: b.id, enabled: false });
    await waitFor(async () => ((await publishing(KEY_B)) ? null : true), 'B to stop publishing');
    expect(await publishing(KEY_A)).not.toBeNull();
    await waitFor(() => (latest(b.id)?.state === 'off' ? true : null), 'B off');
  }, 40_000);

  it('an ingest that goes away and comes back: the destination reconnects on its own while the preview keeps growing', async () => {
    await nginx.kill();
    await waitFor(() => (latest(a.id)?.state === 'reconnecting' ? true : null), 'A reconnecting');
    expect(latest(a.id)).toMatchObject({ state: 'reconnecting', attempt: 1 });
    const segment = newestSegment(hlsRoot);
    await nginx.start();
    await waitFor(() => publishing(KEY_A), 'A publishing again', 20_000);
    await waitFor(() => (latest(a.id)?.state === 'live' && latest(a.id)?.health.reconnects === 1 ? true : null), 'A live again, one reconnect');
    await waitFor(() => newestSegment(hlsRoot) > segment + 2, 'the preview HLS to grow on');
    expect((await studio.call<MediaStatus>('media.status')).state).toBe('live');
    expect(pump?.lastError).toBeNull();
  }, 40_000);

  it('the shared audio stage dying is repaired: a new stage, every destination back live, the preview untouched', async () => {
    const [stage] = audioStageChildren();
    expect(stage).toBeGreaterThan(0);
    const segment = newestSegment(hlsRoot);
    const reconnectsBefore = latest(a.id)!.health.reconnects;
    process.kill(stage!, 'SIGKILL');
    await waitFor(() => {
      const now = audioStageChildren();
      return now.length === 1 && now[0] !== stage ? true : null;
    }, 'a new audio stage');
    // The new stage starts the destinations over; until they have, their state is still the old run's
    // 'live' (on a busy machine the restart comes well after the new stage's spawn): wait for the reconnect first.
    await waitFor(() => (latest(a.id)!.health.reconnects > reconnectsBefore ? true : null), 'destination A to reconnect to the new stage');
    await waitFor(() => (latest(a.id)?.state === 'live' && latest(wrong.id)?.state === 'live' ? true : null), 'both destinations live again');
    await waitFor(async () => ((await publishing(KEY_A)) && (await publishing(FIXED)) ? true : null), 'both publishing again');
    await waitFor(() => newestSegment(hlsRoot) > segment + 2, 'the preview HLS to grow on');
    expect(pump?.lastError).toBeNull();
  }, 40_000);

  it('Stop ends every destination (no ffmpeg left), and no key is in any reply, event, log line or file', async () => {
    expect(rtmpChildren().length).toBeGreaterThan(0);
    const stopped = await studio.call<BroadcastStatus>('broadcast.stop');
    expect(stopped.state).toBe('idle');
    expect(rtmpChildren()).toEqual([]);
    expect(audioStageChildren()).toEqual([]);
    const snapshot = await studio.call<DestinationsSnapshot>('destinations.list');
    expect(snapshot.live).toBe(false);
    expect(Object.values(snapshot.runtime).every((r) => r.state === 'off')).toBe(true);
    await waitFor(async () => ((await publishing(KEY_A)) || (await publishing(FIXED)) ? null : true), 'the ingest to see every stream end');
    expect(await studio.attempt('media.open', { mimeType: MP4 })).toMatchObject({ ok: false, error: { code: 'media.not_live' } });
    await pump?.stop();
    pump = null;

    expect(studio.seen.length).toBeGreaterThan(20);
    expect(studio.logs.some((line) => line.includes('destination '))).toBe(true);
    const files = [...filesBelow(dir), ...filesBelow(hlsRoot)];
    expect(files.some((file) => file.path.endsWith('settings.json'))).toBe(true);
    for (const key of KEYS) {
      for (const text of [...studio.seen, ...studio.logs]) expect(text).not.toContain(key);
      for (const file of files) expect(file.text.includes(key), file.path).toBe(false);
    }
  }, 30_000);
});
