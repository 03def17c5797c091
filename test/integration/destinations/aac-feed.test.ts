/**
 * A program feed that is already what the platforms take — H.264 with a keyframe every 2 s and AAC,
 * which the WebCodecs encoder makes where the system has an AAC encoder (Windows, macOS) — goes to
 * the destinations as it is: no stage ffmpeg runs in front of them and nothing is encoded in main.
 * Chromium on Linux has no AAC encoder, so the feed here is ffmpeg's (H.264 + AAC in fragmented
 * MP4). A real studio core in Twilio mode (live on destinations alone), real ffmpeg, a real nginx-rtmp.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationView } from '../../../src/shared/destinations';
import type { MediaIngest } from '../../../src/shared/media';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { probe, streamKey, videoPackets, waitFor } from '../rtmp/support';
import { audioStageChildren, FeedPump, type RecordedCore, recordedCore, rtmpChildren } from './support';

const KEYS = [streamKey('dest_aac_a'), streamKey('dest_aac_b')];
const hex = (n: number) => 'ab12'.repeat(n / 4);

let nginx: NginxRtmp;
let studio: RecordedCore;
let pump: FeedPump | null = null;
const dir = scratchDir('destinations-aac');

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: KEYS });
  studio = recordedCore({ dir, nginx, twilioOrigin: 'http://127.0.0.1:9' });
  await studio.call('settings.update', {
    mode: 'twilio',
    accountSid: `AC${hex(32)}`,
    apiKeySid: `SK${hex(32)}`,
    apiSecret: 'fake-secret-for-no-origin',
    syncServiceSid: `IS${hex(32)}`,
  });
}, 30_000);

afterAll(async () => {
  await pump?.stop();
  await studio?.core.close();
  await nginx?.close();
}, 30_000);

describe('an H.264 + AAC program feed', () => {
  it('reaches two destinations as it is: no stage ffmpeg, each output copies video and audio, the keyframes stay 2 s apart', async () => {
    const destinations: DestinationView[] = [];
    for (const [i, key] of KEYS.entries()) {
      destinations.push(await studio.call<DestinationView>('destinations.add', { name: `aac ${i}`, presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: key }));
    }
    await studio.call('broadcast.start');
    const ingest = await studio.call<MediaIngest>('media.open', { mimeType: 'video/mp4;codecs=avc1.42E01E,mp4a.40.2;gop=2000' });
    pump = new FeedPump('mp4-aac');
    pump.start(studio, ingest.ingestId);

    for (const key of KEYS) {
      await waitFor(async () => (await nginx.streams()).find((s) => s.name === key && s.publishing && s.width), `${key} publishing`, 30_000).catch((e) => {
        console.log(studio.logs.join('\n'));
        throw e;
      });
    }
    const url = `${nginx.rtmpUrl()}/${KEYS[0]}`;
    const pulled = await probe(url);
    expect(pulled.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(pulled.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    const packets = await videoPackets(url, 5, 40_000);
    const keys = packets.flatMap((packet, index) => (packet.key ? [index] : []));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < keys.length; i += 1) expect(keys[i]! - keys[i - 1]!).toBe(60);

    // Nothing in front of the destinations, and no encoder in any ffmpeg below the studio.
    expect(audioStageChildren()).toEqual([]);
    const outputs = rtmpChildren();
    expect(outputs).toHaveLength(2);
    for (const pid of outputs) {
      const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
      expect(args).toMatch(/-c:v copy/);
      expect(args).toMatch(/-c:a copy/);
      expect(args).not.toMatch(/libx264|-c:a aac/);
    }
    expect(studio.logs.some((line) => /the destinations take it as it is/.test(line))).toBe(true);

    expect(pump.lastError).toBeNull();
    await pump.stop();
    pump = null;
    await studio.call('broadcast.stop');
    expect(rtmpChildren()).toEqual([]);
    for (const destination of destinations) await studio.call('destinations.remove', { id: destination.id });
  }, 90_000);
});
