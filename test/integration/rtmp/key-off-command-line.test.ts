/**
 * The stream key is not on ffmpeg's command line (other local users can read every process's
 * arguments with `ps` on Linux and macOS): ffmpeg reads it, with the RTMP application, from a
 * FIFO given as `-fpre`, and the FIFO is gone once read. Against a real nginx-rtmp whose
 * on_publish hook accepts only the right key in the right application.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpOutput } from '../../../src/main/core/media/rtmp/index';
import { presetLines, rtmpApp } from '../../../src/main/core/media/rtmp/key-fifo';
import type { NginxRtmp } from '../../support/nginx-rtmp';
import { type FeedSource, FFMPEG, startIngestAndFeed, streamKey, waitFor, waitForState } from './support';

const KEY = streamKey('argv');
const TLS_KEY = streamKey('argv_tls');

let nginx: NginxRtmp;
let feed: FeedSource;
const outputs: RtmpOutput[] = [];

const keyFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('onair-key-'));
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');

beforeAll(async () => {
  ({ nginx, feed } = await startIngestAndFeed([KEY, TLS_KEY]));
}, 30_000);

afterAll(async () => {
  await Promise.all(outputs.map((out) => out.stop()));
  await feed?.stop();
  await nginx?.close();
}, 30_000);

describe('the stream key and the ffmpeg command line', () => {
  it('takes the application from the server URL', () => {
    expect(rtmpApp('rtmps://a.rtmps.youtube.com:443/live2')).toBe('live2');
    expect(rtmpApp('rtmps://rtmp-api.facebook.com:443/rtmp/')).toBe('rtmp');
    expect(rtmpApp('rtmp://host/app/instance/')).toBe('app/instance');
    expect(presetLines('rtmp://127.0.0.1:1935/live', 'k=ey')).toBe('rtmp_app=live\nrtmp_playpath=k=ey\n');
    expect(presetLines('rtmp://127.0.0.1:1935', 'key')).toBe('rtmp_playpath=key\n');
  });

  it('publishes over RTMP and RTMPS with the key in no argument; the FIFO is removed once read', async () => {
    expect(existsSync('/proc/self/cmdline')).toBe(true);
    const plain = new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl: `${nginx.rtmpUrl()}/`, streamKey: KEY, progressPeriodMs: 500 });
    const tls = new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl: nginx.rtmpsUrl('localhost'), streamKey: TLS_KEY, caFile: nginx.certificates.caFile, progressPeriodMs: 500 });
    for (const out of [plain, tls]) {
      outputs.push(out);
      feed.fanout.add(out);
      out.start();
    }
    await Promise.all([plain, tls].map((out) => waitForState(out, (s) => s.state === 'live', 'live', 20_000)));
    expect(nginx.publishCalls.filter((call) => call.accepted).map((call) => [call.app, call.name]).sort()).toEqual([['live', KEY], ['live', TLS_KEY]].sort());

    for (const [out, key] of [[plain, KEY], [tls, TLS_KEY]] as const) {
      const args = commandLine(out.processId()!);
      expect(args.join(' ')).not.toContain(key);
      expect(args).toContain('-fpre');
      expect(args.at(-1)).toMatch(/^rtmps?:\/\/(127\.0\.0\.1|localhost):\d+\/live$/);
    }
    expect(keyFolders()).toEqual([]);
    await Promise.all([plain.stop(), tls.stop()]);
    expect(keyFolders()).toEqual([]);
  }, 40_000);

  it('a wrong key is still refused as key_rejected, and no FIFO is left behind', async () => {
    const wrong = new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl: nginx.rtmpUrl(), streamKey: streamKey('argv_wrong'), progressPeriodMs: 500 });
    outputs.push(wrong);
    feed.fanout.add(wrong);
    wrong.start();
    expect(await waitForState(wrong, (s) => s.state === 'failed', 'failed', 20_000)).toMatchObject({ reason: 'key_rejected' });
    await waitFor(() => keyFolders().length === 0, 'the FIFO folder removed', 5_000);
  }, 30_000);
});
