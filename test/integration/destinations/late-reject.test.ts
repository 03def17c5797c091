/**
 * A destination whose server accepts the publish and closes it 2 s later, through a real
 * studio core (Twilio mode: live on destinations alone, so no preview is needed): two short runs
 * in a row fail as `rejected_after_publish` (not retried), and Reconnect now tries once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaIngest } from '../../../src/shared/media';
import type { DestinationRuntime, DestinationView } from '../../../src/shared/destinations';
import en from '../../../src/shared/locales/en';
import ja from '../../../src/shared/locales/ja';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { type ClosingFront, startClosingFront, streamKey, waitFor } from '../rtmp/support';
import { FeedPump, type RecordedCore, recordedCore, rtmpChildren } from './support';

const KEY = streamKey('dest_late');
// The generated feed has a keyframe every 2 s (-g 60 at 30 fps) and says so, as the WebCodecs encoder does: it is copied.
const MP4 = 'video/mp4;codecs=avc1.42E01F,opus;gop=2000';
const hex = (n: number) => 'ab12'.repeat(n / 4);

let nginx: NginxRtmp;
let front: ClosingFront;
let studio: RecordedCore;
let pump: FeedPump | null = null;
const dir = scratchDir('destinations-late-reject');

const accepted = () => nginx.publishCalls.filter((call) => call.name === KEY && call.accepted).length;

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: [KEY] });
  front = await startClosingFront(nginx, KEY, 2_000);
  // Nothing listens there: Go live with a destination asks Twilio for nothing.
  studio = recordedCore({ dir, nginx, twilioOrigin: 'http://127.0.0.1:9' });
  await studio.call('settings.update', { mode: 'twilio', accountSid: `AC${hex(32)}`, apiKeySid: `SK${hex(32)}`, apiSecret: 'fake-secret-for-no-origin', syncServiceSid: `IS${hex(32)}` });
}, 30_000);

afterAll(async () => {
  await pump?.stop();
  await studio?.core.close();
  await front?.close();
  await nginx?.close();
}, 30_000);

describe('a destination rejected after publish', () => {
  it('fails as rejected_after_publish after two short runs, is not retried, and Reconnect now tries once', async () => {
    const destination = await studio.call<DestinationView>('destinations.add', { name: 'Late', presetId: 'custom', serverUrl: front.url(), streamKey: KEY });
    const latest = (): DestinationRuntime | undefined => studio.snapshots.at(-1)?.runtime[destination.id];
    await studio.call('broadcast.start');
    const ingest = await studio.call<MediaIngest>('media.open', { mimeType: MP4 });
    pump = new FeedPump();
    pump.start(studio, ingest.ingestId);

    await waitFor(() => (latest()?.state === 'failed' ? true : null), 'the late rejection', 40_000);
    expect(latest()).toMatchObject({ state: 'failed', reason: 'rejected_after_publish', attempt: 2 });
    expect(accepted()).toBe(2);
    const states = studio.snapshots.map((snapshot) => snapshot.runtime[destination.id]?.state);
    expect(states).toContain('live');
    expect(states).toContain('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(front.connections).toBe(2);

    const retried = studio.snapshots.length;
    await studio.call<DestinationRuntime>('destinations.reconnect', { id: destination.id });
    await waitFor(() => (accepted() === 3 && latest()?.state === 'failed' && studio.snapshots.length > retried ? true : null), 'Reconnect now to fail again', 20_000);
    expect(latest()).toMatchObject({ reason: 'rejected_after_publish', attempt: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(front.connections).toBe(3);
    expect(studio.logs.join('\n')).toContain(`destination ${destination.id}: failed (rejected_after_publish)`);

    // The reason has its own text in both languages.
    expect(en.errors.destination.rejected_after_publish).toMatch(/twice in a row/);
    expect(ja.errors.destination.rejected_after_publish).toMatch(/2 回続けて/);
    expect(en.destinations.reason.rejected_after_publish).toBeTruthy();
    expect(ja.destinations.reason.rejected_after_publish).toBeTruthy();

    // Every chunk was taken while live (checked before Stop, after which chunks are refused).
    expect(pump.lastError).toBeNull();
    await pump.stop();
    await studio.call('broadcast.stop');
    expect(rtmpChildren()).toEqual([]);
    expect(studio.seen.join('\n')).not.toContain(KEY);
    expect(studio.logs.join('\n')).not.toContain(KEY);
  }, 90_000);
});
