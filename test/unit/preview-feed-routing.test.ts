/**
 * Main's feed routing for the preview (MediaService): the preview's HLS ingest reads the preview
 * leg's feed when the encoder sends one, the program feed otherwise; destinations and the
 * recording (sinks of the program feed) never see the preview leg. A fake local cloud counts what
 * each of its ingests receives.
 */
import { describe, expect, it } from 'vitest';
import type { BroadcastStatus } from '../../src/shared/broadcast';
import { StudioError } from '../../src/shared/errors';
import type { MediaStatus } from '../../src/shared/media';
import type { BroadcastService } from '../../src/main/core/broadcast/broadcast-service';
import { MediaService } from '../../src/main/core/live/preview-ingest';
import type { FeedPiece } from '../../src/main/core/media/feed/feed-piece';
import { ProgramFeed } from '../../src/main/core/media/feed/program-feed';
import type { LocalCloud } from '../../src/main/core/local-cloud/index';
import type { SettingsService } from '../../src/main/core/settings/settings-service';
import { TINY_INIT, tinyFragment } from '../support/mp4-boxes';

const PROGRAM = 'video/mp4;codecs=avc1.42001f,opus;gop=2000';
const PREVIEW = 'video/mp4;codecs=avc1.42001f,opus';

function fakeCloud() {
  const ingests: Array<{ ingestId: string; mimeType: string; bytes: number; closed: boolean }> = [];
  const status = (): MediaStatus => {
    const last = ingests.at(-1);
    return {
      state: last && !last.closed ? 'live' : 'idle',
      mediaProcessorSid: 'ZX1',
      ingestId: last?.ingestId ?? null,
      segments: 0,
      queuedBytes: 0,
      maxQueueBytes: 1 << 20,
      transcoding: false,
      error: null,
    };
  };
  const media = {
    requireFfmpeg: async () => ({ path: 'ffmpeg' }),
    subscribe: () => () => {},
    status,
    openIngest: async (_sid: string, mimeType: string) => {
      const ingestId = `ingest-${ingests.length + 1}`;
      ingests.push({ ingestId, mimeType, bytes: 0, closed: false });
      return { ingestId, mediaProcessorSid: 'ZX1', playerStreamerSids: [], maxQueueBytes: 1 << 20, transcoding: false };
    },
    push: (ingestId: string, _seq: number, data: Uint8Array) => {
      const ingest = ingests.find((one) => one.ingestId === ingestId);
      if (!ingest || ingest.closed) throw new StudioError('media.not_live', 'closed');
      ingest.bytes += data.byteLength;
    },
    closeIngest: async (ingestId: string) => {
      const ingest = ingests.find((one) => one.ingestId === ingestId);
      if (ingest) ingest.closed = true;
    },
  };
  return { cloud: { media } as unknown as LocalCloud, ingests };
}

function studio(mode: 'local' | 'twilio' = 'local') {
  const { cloud, ingests } = fakeCloud();
  let broadcast: Pick<BroadcastStatus, 'state' | 'mediaProcessorSid'> = { state: 'idle', mediaProcessorSid: null };
  const feed = new ProgramFeed();
  const media = new MediaService({
    localCloud: async () => cloud,
    settings: { read: () => ({ mode }) } as unknown as SettingsService,
    broadcast: { status: () => broadcast } as unknown as BroadcastService,
    feed,
    onChange: () => {},
  });
  /** What a destination (or the recording) receives: a sink of the program feed. */
  const destination: FeedPiece[] = [];
  feed.add({ write: (piece) => destination.push(piece) });
  const goLive = () => {
    broadcast = { state: 'live', mediaProcessorSid: 'ZX1' };
    media.onBroadcast(broadcast as BroadcastStatus);
  };
  const stop = () => {
    broadcast = { state: 'idle', mediaProcessorSid: null };
    media.onBroadcast(broadcast as BroadcastStatus);
  };
  const send = async (ingestId: string, count: number, from = 0) => {
    await media.chunk(ingestId, from, TINY_INIT);
    for (let n = 1; n <= count; n++) await media.chunk(ingestId, from + n, tinyFragment(n));
  };
  return { media, feed, ingests, destination, goLive, stop, send };
}

describe('which feed the preview reads', () => {
  it('the preview leg when there is one: its own ingest gets the leg, destinations get the program only', async () => {
    const { media, ingests, destination, goLive, send } = studio();
    goLive();
    const leg = await media.open(PREVIEW, 'preview');
    const program = await media.open(PROGRAM);
    expect(media.previewReads()).toBe('preview');
    // One preview ingest, opened with the leg's mime type (the packager cuts on its keyframes).
    expect(ingests.map((one) => one.mimeType)).toEqual([PREVIEW]);
    await send(leg.ingestId, 3);
    await send(program.ingestId, 5);
    const legBytes = TINY_INIT.byteLength + [1, 2, 3].reduce((sum, n) => sum + tinyFragment(n).byteLength, 0);
    expect(ingests[0]!.bytes).toBe(legBytes);
    expect(destination.reduce((sum, piece) => sum + piece.data.byteLength, 0)).toBe(
      TINY_INIT.byteLength + [1, 2, 3, 4, 5].reduce((sum, n) => sum + tinyFragment(n).byteLength, 0),
    );
    expect(program.ingestId).not.toBe(leg.ingestId);
  });

  it('the program feed without a leg (MediaRecorder), and again when the leg ends while live', async () => {
    const { media, ingests, goLive, send } = studio();
    goLive();
    const program = await media.open(PROGRAM);
    expect(media.previewReads()).toBe('program');
    expect(ingests.map((one) => one.mimeType)).toEqual([PROGRAM]);
    // A leg that starts later takes the preview over …
    const leg = await media.open(PREVIEW, 'preview');
    expect(media.previewReads()).toBe('preview');
    expect(ingests[0]!.closed).toBe(true);
    await send(leg.ingestId, 2);
    expect(ingests[1]!.bytes).toBeGreaterThan(0);
    // … and when it ends, the preview reads the program again (from its next fragment).
    await media.close(leg.ingestId);
    expect(media.previewReads()).toBe('program');
    expect(ingests.map((one) => one.mimeType)).toEqual([PROGRAM, PREVIEW, PROGRAM]);
    await send(program.ingestId, 2);
    expect(ingests[2]!.bytes).toBeGreaterThan(0);
  });

  it('the leg is refused unless a Local-mode broadcast is live (not for destinations or a recording alone, not in Twilio mode)', async () => {
    const local = studio();
    local.feed.need('recording');
    await expect(local.media.open(PREVIEW, 'preview')).rejects.toMatchObject({ code: 'media.not_live' });
    await local.media.open(PROGRAM);
    expect(local.ingests).toEqual([]);

    const twilio = studio('twilio');
    twilio.goLive();
    await expect(twilio.media.open(PREVIEW, 'preview')).rejects.toMatchObject({ code: 'media.not_live' });
    expect(twilio.ingests).toEqual([]);
  });

  it('chunks are checked per leg (order, ingest), and stopping the broadcast ends the leg', async () => {
    const { media, ingests, goLive, stop, send } = studio();
    goLive();
    const leg = await media.open(PREVIEW, 'preview');
    await send(leg.ingestId, 1);
    await expect(media.chunk(leg.ingestId, 7, tinyFragment(9))).rejects.toMatchObject({ code: 'media.ingest_failed' });
    stop();
    expect(media.previewReads()).toBeNull();
    await expect(media.chunk(leg.ingestId, 2, tinyFragment(2))).rejects.toMatchObject({ code: 'media.not_live' });
    await expect(media.open(PREVIEW, 'preview')).rejects.toMatchObject({ code: 'media.not_live' });
    expect(ingests[0]!.closed).toBe(true);
  });
});
