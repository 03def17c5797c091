/**
 * Feeds whose video is not platform-grade reach a destination as H.264 with a keyframe every 2 s:
 * the renderer's WebM/VP8 fallback, and MediaRecorder's H.264 (a keyframe every ~250 ms for the
 * preview, no `gop=` on its mime type). The shared audio stage re-encodes the video once
 * (libx264, the output preset's rate and bitrate) and the destination copies, as for the
 * WebCodecs feed. A real studio core in Twilio mode (live on destinations alone), real ffmpeg, a
 * real nginx-rtmp; what arrives is read back with ffprobe.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaIngest } from '../../../src/shared/media';
import type { DestinationView } from '../../../src/shared/destinations';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { probe, streamKey, videoPackets, waitFor } from '../rtmp/support';
import { audioStageChildren, FeedPump, type RecordedCore, recordedCore, rtmpChildren } from './support';

const KEY = streamKey('dest_reencode');
const hex = (n: number) => 'ab12'.repeat(n / 4);

let nginx: NginxRtmp;
let studio: RecordedCore;
let pump: FeedPump | null = null;
const dir = scratchDir('destinations-reencode');

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: [KEY] });
  studio = recordedCore({ dir, nginx, twilioOrigin: 'http://127.0.0.1:9' });
  await studio.call('settings.update', {
    mode: 'twilio',
    accountSid: `AC${hex(32)}`,
    apiKeySid: `SK${hex(32)}`,
    apiSecret: 'fake-secret-for-no-origin',
    syncServiceSid: `IS${hex(32)}`,
    outputFps: 30,
    outputVideoKbps: 2000,
  });
}, 30_000);

afterAll(async () => {
  await pump?.stop();
  await studio?.core.close();
  await nginx?.close();
}, 30_000);

const FEEDS = [
  // MediaRecorder's fallback: VP8, keyframes far apart (one every 5 s here).
  { feed: 'webm', mimeType: 'video/webm;codecs=vp8,opus', transcodedForPreview: true },
  // MediaRecorder's H.264: a keyframe every 8 frames, and no gop= on the mime type.
  { feed: 'mp4-short-gop', mimeType: 'video/mp4;codecs=avc1.42E01F,opus', transcodedForPreview: false },
] as const;

describe.each(FEEDS)('a $feed program feed to a destination', ({ feed, mimeType, transcodedForPreview }) => {
  it('arrives as H.264 (keyframe every 2 s, the preset bitrate) + AAC 48 kHz; the destination only copies', async () => {
    const destination = await studio.call<DestinationView>('destinations.add', { name: feed, presetId: 'custom', serverUrl: nginx.rtmpUrl(), streamKey: KEY });
    await studio.call('broadcast.start');
    const ingest = await studio.call<MediaIngest>('media.open', { mimeType });
    expect(ingest.transcoding).toBe(transcodedForPreview);
    pump = new FeedPump(feed);
    pump.start(studio, ingest.ingestId);

    await waitFor(async () => (await nginx.streams()).find((s) => s.name === KEY && s.publishing && s.width), 'the destination publishing', 30_000).catch((e) => { console.log(studio.logs.join('\n')); throw e; });
    await waitFor(() => (studio.snapshots.at(-1)?.runtime[destination.id]?.state === 'live' ? true : null), 'the destination live', 10_000);
    const url = `${nginx.rtmpUrl()}/${KEY}`;
    const pulled = await probe(url);
    expect(pulled.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(pulled.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });

    // Keyframes every 2 s, 60 frames apart at the preset's 30 fps (the feed has them every 5 s or every 8 frames).
    const started = Date.now();
    const packets = await videoPackets(url, 7, 40_000).catch((e) => {
      console.log(`after ${Date.now() - started} ms`, studio.logs.join('\n'));
      throw e;
    });
    const keys = packets.flatMap((packet, index) => (packet.key ? [index] : []));
    expect(keys.length, JSON.stringify(packets.filter((p) => p.key))).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < keys.length; i += 1) {
      expect(keys[i]! - keys[i - 1]!).toBe(60);
      expect(packets[keys[i]!]!.time - packets[keys[i - 1]!]!.time).toBeCloseTo(2, 1);
    }

    // One encoder, in the stage, with the preset's rate and bitrate; the destination's ffmpeg copies.
    const stages = audioStageChildren();
    expect(stages).toHaveLength(1);
    const stageArgs = execFileSync('ps', ['-o', 'args=', '-p', String(stages[0])], { encoding: 'utf8' });
    expect(stageArgs).toMatch(/-c:v libx264 -preset veryfast -tune zerolatency/);
    expect(stageArgs).toMatch(/-g 60 -keyint_min 60 -sc_threshold 0 -b:v 2000k -maxrate 2000k/);
    const outputs = rtmpChildren();
    expect(outputs).toHaveLength(1);
    const outputArgs = execFileSync('ps', ['-o', 'args=', '-p', String(outputs[0])], { encoding: 'utf8' });
    expect(outputArgs).toMatch(/-c:v copy/);
    expect(outputArgs).not.toMatch(/libx264/);
    expect(studio.logs.some((line) => /video is re-encoded to H\.264 once/.test(line))).toBe(true);

    expect(pump.lastError).toBeNull();
    await pump.stop();
    await studio.call('broadcast.stop');
    expect(rtmpChildren()).toEqual([]);
    expect(audioStageChildren()).toEqual([]);
    await studio.call('destinations.remove', { id: destination.id });
    pump = null;
  }, 90_000);
});
