/**
 * Twilio mode: Twilio Live is retired, so with a Twilio account Go live publishes to the enabled
 * destinations without a Twilio broadcast — no room, PlayerStreamer or MediaProcessor is asked
 * for. Without an enabled destination Go live still tries the Twilio broadcast (and reports what
 * Twilio answers). The "Twilio" here is a loopback origin that records every request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcastStatus } from '../../../src/shared/broadcast';
import type { MediaIngest, MediaStatus } from '../../../src/shared/media';
import type { DestinationsSnapshot, DestinationView } from '../../../src/shared/destinations';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { probe, streamKey, waitFor } from '../rtmp/support';
import { FeedPump, filesBelow, type RecordedCore, recordedCore, rtmpChildren } from './support';

const KEY = streamKey('twilio_mode');
// The generated feed has a keyframe every 2 s (-g 60 at 30 fps) and says so, as the WebCodecs encoder does: it is copied.
const MP4 = 'video/mp4;codecs=avc1.42E01F,opus;gop=2000';
const hex = (n: number) => 'ab12'.repeat(n / 4);

let nginx: NginxRtmp;
let fake: Server;
const requests: string[] = [];
let studio: RecordedCore;
let pump: FeedPump | null = null;
const dir = scratchDir('destinations-twilio');

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: [KEY] });
  fake = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  studio = recordedCore({ dir, nginx, twilioOrigin: `http://127.0.0.1:${(fake.address() as AddressInfo).port}` });
  await studio.call('settings.update', {
    mode: 'twilio',
    accountSid: `AC${hex(32)}`,
    apiKeySid: `SK${hex(32)}`,
    apiSecret: 'fake-secret-for-a-fake-origin',
    syncServiceSid: `IS${hex(32)}`,
  });
}, 30_000);

afterAll(async () => {
  await pump?.stop();
  await studio?.core.close();
  await new Promise((resolve) => fake?.close(resolve));
  await nginx?.close();
}, 30_000);

describe('destinations in Twilio mode', () => {
  let destination: DestinationView;

  it('without an enabled destination, Go live still asks Twilio for a broadcast and reports its answer', async () => {
    destination = await studio.call<DestinationView>('destinations.add', { name: 'Ingest', presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: KEY, enabled: false });
    const refused = await studio.attempt('broadcast.start');
    expect(refused.ok).toBe(false);
    expect(requests.length).toBeGreaterThan(0);
    expect((await studio.call<DestinationsSnapshot>('destinations.list')).live).toBe(false);
    expect(await studio.attempt('media.open', { mimeType: MP4 })).toMatchObject({ ok: false, error: { code: 'media.not_live' } });
  }, 20_000);

  it('with one enabled, Go live publishes the program feed to it (H.264 + AAC) and asks Twilio for nothing', async () => {
    await studio.call('destinations.update', { id: destination.id, enabled: true });
    requests.length = 0;
    const status = await studio.call<BroadcastStatus>('broadcast.start');
    // On air on the destinations alone: live, with no Twilio room, PlayerStreamer or MediaProcessor.
    expect(status).toMatchObject({ state: 'live', roomSid: null, playerStreamerSid: null, mediaProcessorSid: null, error: null });
    expect(status.startedAt).not.toBeNull();
    expect(await studio.call<BroadcastStatus>('broadcast.status')).toEqual(status);
    expect((await studio.call<DestinationsSnapshot>('destinations.list')).live).toBe(true);

    const ingest = await studio.call<MediaIngest>('media.open', { mimeType: MP4 });
    expect(ingest.transcoding).toBe(false);
    pump = new FeedPump();
    pump.start(studio, ingest.ingestId);
    await waitFor(async () => (await nginx.streams()).find((s) => s.name === KEY && s.publishing && s.width), 'the destination publishing', 30_000);
    const pulled = await probe(`${nginx.rtmpUrl()}/${KEY}`);
    expect(pulled.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(pulled.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    expect(studio.snapshots.at(-1)?.runtime[destination.id]).toMatchObject({ state: 'live' });
    // No preview in Twilio mode: the local cloud is not involved.
    expect((await studio.call<MediaStatus>('media.status')).state).toBe('idle');
    // Every chunk was taken while live (checked before Stop: a chunk sent after it is refused).
    expect(pump.lastError).toBeNull();
    await pump.stop();

    expect((await studio.call<BroadcastStatus>('broadcast.stop')).state).not.toBe('live');
    expect((await studio.call<BroadcastStatus>('broadcast.status')).state).not.toBe('live');
    expect(rtmpChildren()).toEqual([]);
    expect((await studio.call<DestinationsSnapshot>('destinations.list')).runtime[destination.id]).toMatchObject({ state: 'off' });
    expect(requests).toEqual([]);
  }, 50_000);

  it('quitting while live ends every destination first', async () => {
    await studio.call('broadcast.start');
    const ingest = await studio.call<MediaIngest>('media.open', { mimeType: MP4 });
    await pump?.stop();
    pump = new FeedPump();
    pump.start(studio, ingest.ingestId);
    await waitFor(async () => (await nginx.streams()).find((s) => s.name === KEY && s.publishing), 'publishing again', 30_000);
    expect(rtmpChildren().length).toBe(1);
    await studio.core.close();
    expect(rtmpChildren()).toEqual([]);
    await pump.stop();
    pump = null;

    for (const text of [...studio.seen, ...studio.logs, ...filesBelow(dir).map((file) => file.text)]) expect(text).not.toContain(KEY);
  }, 50_000);
});
