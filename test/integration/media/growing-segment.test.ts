import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentName } from '../../../src/main/core/media/hls/playlist';
import { TS_PACKET, WholePesCutter } from '../../../src/main/core/media/hls/ts-cutter';
import type { MediaIngest } from '../../../src/shared/media';
import { scratchDir } from '../../support/scratch';
import { APP_ORIGIN, studioCore } from '../support/studio-fixture';
import { FFMPEG, makeFeed, mediaClient, mp4Chunks, pieces, startMediaCloud, useClosedAfterEach, waitFor } from './support';

// The in-app preview player (the Twilio Live player's IVS demuxer) logs `AVC finishFrame called
// without active frame` when a segment it is given ends inside an access unit. These tests read
// the segment ffmpeg is writing through the real HLS route, as the player does with
// `#EXT-X-PREFETCH`, and check every response byte for byte and with ffmpeg's decoder.

const MIME = 'video/mp4;codecs=avc1.42E01F,opus';
let feed: Buffer;
const closeAfterEach = useClosedAfterEach();

beforeAll(() => {
  expect(FFMPEG, 'ffmpeg must be installed for the media tests').not.toBeNull();
  feed = makeFeed('mp4', 4);
}, 60_000);


async function setup() {
  // Files are kept after the end so the served bytes can be compared with them.
  const { cloud, hlsRoot } = await startMediaCloud({ retainMs: 60_000 });
  const core = studioCore(cloud);
  closeAfterEach(cloud, core);
  const { call } = mediaClient(core);
  return { cloud, hlsRoot, call };
}

async function playbackUrl(call: <T>(channel: string) => Promise<T>): Promise<string> {
  const { token } = await call<{ token: string }>('tokens.playback');
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { grants: { player: { playbackUrl: string } } };
  return payload.grants.player.playbackUrl;
}

/** Offsets of the TS packets that start a PES or a section (payload_unit_start_indicator). */
function unitStarts(ts: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at + TS_PACKET <= ts.length; at += TS_PACKET) if ((ts[at + 1]! & 0x40) !== 0) starts.push(at);
  return starts;
}

function expectWholePackets(ts: Buffer, what: string): void {
  expect(ts.length % TS_PACKET, `${what}: whole TS packets`).toBe(0);
  for (let at = 0; at < ts.length; at += TS_PACKET) expect(ts[at], `${what}: sync byte at ${at}`).toBe(0x47);
}

/** ffmpeg decodes the segment on its own; anything it reports at level `error` fails (a cut access unit does). */
function expectDecodes(ts: Buffer, what: string): void {
  const file = join(scratchDir('served'), 'segment.ts');
  writeFileSync(file, ts);
  const run = spawnSync(FFMPEG!.path, ['-hide_banner', '-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  expect(run.status, `${what}: ${run.stderr}`).toBe(0);
  expect(run.stderr.trim(), `${what} decodes without errors`).toBe('');
  // ffprobe sees every video packet whole: the last one's size is what its PES carried.
  const probe = execFileSync(join(dirname(FFMPEG!.path), 'ffprobe'), ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=size,flags', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  expect(probe.trim().split('\n')[0], `${what} starts with a keyframe`).toMatch(/,K/);
}

/** A player's way of reading a growing segment: the whole response, as it arrives. */
async function readAll(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url, { headers: { origin: APP_ORIGIN } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('the segment being written, served while it grows (LHLS prefetch)', () => {
  it('splits an MPEG-TS stream only before a PES start, and hands out every byte once it is whole', () => {
    const dir = scratchDir('cutter');
    execFileSync(FFMPEG!.path, ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-c:v', 'copy', '-c:a', 'aac', '-f', 'mpegts', join(dir, 'all.ts')], { input: feed });
    const ts = readFileSync(join(dir, 'all.ts'));
    const starts = new Set(unitStarts(ts));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cutter = new WholePesCutter();
    const out: Buffer[] = [];
    let sent = 0;
    for (let at = 0; at < ts.length; ) {
      const size = 1 + Math.floor(random() * 5000);
      const piece = cutter.push(ts.subarray(at, at + size));
      at += size;
      if (piece.length === 0) continue;
      sent += piece.length;
      // Each piece ends right before a packet that starts a PES or section: never inside one.
      expect(piece.length % TS_PACKET).toBe(0);
      expect(starts.has(sent)).toBe(true);
      out.push(piece);
    }
    out.push(cutter.end());
    expect(Buffer.concat(out).equals(ts)).toBe(true);
  });

  it('gives the player every prefetched segment whole, also the one being finished when the broadcast stops', async () => {
    const { cloud, hlsRoot, call } = await setup();
    const live = await call<{ playerStreamerSid: string }>('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MIME });
    const url = await playbackUrl(call);
    const segmentUrl = (name: string) => url.replace('index.m3u8', name);

    // A player: polls the playlist and reads each announced prefetch segment as it grows.
    const served = new Map<string, Promise<{ status: number; bytes: Buffer }>>();
    const playlists: string[] = [];
    let polling = true;
    const player = (async () => {
      while (polling) {
        const response = await fetch(url, { headers: { origin: APP_ORIGIN } });
        if (response.status === 200) {
          const text = await response.text();
          playlists.push(text);
          const prefetch = /#EXT-X-PREFETCH:(s\d+\.ts)/.exec(text)?.[1];
          if (prefetch && !served.has(prefetch)) served.set(prefetch, readAll(segmentUrl(prefetch)));
        } else {
          await response.arrayBuffer();
        }
        await tick();
      }
    })();

    // The feed, one GOP (0.5 s, one segment) at a time, in small pieces. A segment is closed only
    // when the next GOP's keyframe arrives, so waiting for the player to ask for segment k before
    // sending GOP k+1 makes every request from s00001 on a read of a growing file.
    const chunks = mp4Chunks(feed); // [init, GOP 0 (→ s00000), GOP 1 (→ s00001), …]
    let seq = 0;
    for (let chunk = 0; chunk < chunks.length; chunk++) {
      if (chunk >= 3) await waitFor(() => served.has(segmentName(chunk - 2)), `the player to read ${segmentName(chunk - 2)} while it grows`);
      for (const piece of pieces(chunks[chunk]!, 4096)) {
        await call('media.chunk', { ingestId: ingest.ingestId, seq: seq++, data: new Uint8Array(piece) });
        await tick();
      }
    }
    const last = segmentName(chunks.length - 2);
    await waitFor(() => served.has(last), `the player to read ${last} while it grows`);
    // Stop: the segment being written is finished and listed; its readers get all of it.
    await call('broadcast.stop');
    const ended = await waitFor(async () => {
      const text = await (await fetch(url)).text();
      return text.includes('#EXT-X-ENDLIST') ? text : null;
    }, 'the ended playlist');
    polling = false;
    await player;

    const session = join(hlsRoot, readdirSync(hlsRoot)[0]!);
    const listed = [...ended!.matchAll(/^(s\d+\.ts)$/gm)].map((match) => match[1]!);
    for (const [name, response] of served) {
      const { status, bytes } = await response;
      // Every segment ever announced as prefetch was written: none answers 404 or comes back empty.
      expect(status, `${name} answered`).toBe(200);
      expect(listed.includes(name) || Number(name.slice(1, 6)) < Number(listed[0]!.slice(1, 6)), `${name} was finished`).toBe(true);
      expectWholePackets(bytes, name);
      expect(bytes.equals(readFileSync(join(session, name))), `${name} served whole`).toBe(true);
      expectDecodes(bytes, name);
    }
    expect(served.size).toBeGreaterThanOrEqual(chunks.length - 2);
    // Every playlist says its media sequence, also the first ones (sequence 0, fewer segments than
    // the window): without it the IVS engine lost its place after a prefetch and fetched s00000 again.
    expect(playlists.length).toBeGreaterThan(0);
    expect(playlists.some((text) => /^#EXT-X-MEDIA-SEQUENCE:0$/m.test(text))).toBe(true);
    for (const text of playlists) expect(text).toMatch(/^#EXT-X-TARGETDURATION:\d+\n#EXT-X-MEDIA-SEQUENCE:\d+$/m);
    expect(cloud.media.status().state).toBe('ended');
    void live;
  }, 90_000);

  it('announces no prefetch while an ingest is being closed: its last listed segment may be the last one', async () => {
    const { cloud, call } = await setup();
    const live = await call<{ playerStreamerSid: string }>('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MIME });
    const chunks = mp4Chunks(feed);
    for (let seq = 0; seq < chunks.length; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    const streamer = cloud.state.streamers.find(live.playerStreamerSid);
    const packager = cloud.media.session(streamer.sid, streamer.sessionId)!;
    await waitFor(() => packager.segments.length >= 2, 'two segments');
    expect(packager.playlist()).toContain('#EXT-X-PREFETCH');
    const closing = packager.closeIngest(packager.ingestId!);
    expect(packager.playlist()).not.toContain('#EXT-X-PREFETCH');
    await closing;
    // Between two ingests nothing is announced either: the next one starts a new timeline.
    expect(packager.playlist()).not.toContain('#EXT-X-PREFETCH');
    expect(packager.playlist()).not.toContain('#EXT-X-ENDLIST');
  }, 60_000);

  it('when ffmpeg dies inside a segment, its reader gets only complete PES packets and the next ingest does not reuse the file', async () => {
    const { cloud, hlsRoot, call } = await setup();
    const live = await call<{ playerStreamerSid: string }>('broadcast.start');
    const ingest = await call<MediaIngest>('media.open', { mimeType: MIME });
    const url = await playbackUrl(call);
    const streamer = cloud.state.streamers.find(live.playerStreamerSid);
    const packager = cloud.media.session(streamer.sid, streamer.sessionId)!;
    // Init + two GOPs: s00000 is finished, s00001 has all its frames but stays open (no next keyframe yet).
    const chunks = mp4Chunks(feed);
    for (let seq = 0; seq < 3; seq++) await call('media.chunk', { ingestId: ingest.ingestId, seq, data: new Uint8Array(chunks[seq]!) });
    await waitFor(() => packager.playlist().includes('#EXT-X-PREFETCH:s00001.ts'), 's00001 announced');
    const prefetch = 's00001.ts';
    const session = join(hlsRoot, readdirSync(hlsRoot)[0]!);
    // PAT, PMT, the keyframe and a few more frames are on disk (the keyframe's PES is complete once a later one starts).
    // (The playlist may announce s00001 a moment before ffmpeg has created it.)
    await waitFor(() => existsSync(join(session, prefetch)) && unitStarts(readFileSync(join(session, prefetch))).length >= 8, 'ffmpeg to write part of s00001');
    const response = await fetch(url.replace('index.m3u8', prefetch));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const received: Buffer[] = [];
    const first = await reader.read();
    received.push(Buffer.from(first.value!));
    // Part of the segment has reached the player; ffmpeg dies before it could finish it.
    const [pid] = cloud.media.pids();
    process.kill(pid!, 'SIGKILL');
    for (;;) {
      const { value, done } = await reader.read();
      if (value) received.push(Buffer.from(value));
      if (done) break;
    }
    const bytes = Buffer.concat(received);
    const onDisk = readFileSync(join(session, prefetch));
    expectWholePackets(bytes, 'the cut-off segment');
    // A prefix of what ffmpeg wrote, ending right before the last PES start: the unconfirmed last PES is not sent.
    expect(onDisk.subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(bytes.length).toBe(unitStarts(onDisk).at(-1));
    expectDecodes(bytes, 'the cut-off segment');

    // The next ingest continues the playlist after a discontinuity with a new file name.
    await waitFor(() => cloud.media.pids().length === 0, 'the killed ffmpeg to be reaped');
    const next = await call<MediaIngest>('media.open', { mimeType: MIME });
    const again = mp4Chunks(feed);
    for (let index = 0; index < again.length; index++) await call('media.chunk', { ingestId: next.ingestId, seq: index, data: new Uint8Array(again[index]!) });
    const resumed = await waitFor(() => packager.segments.find((segment) => segment.discontinuity), 'the next ingest’s first segment');
    expect(resumed!.sequence).toBeGreaterThan(Number(prefetch.slice(1, 6)));
    expect(readFileSync(join(session, prefetch)).equals(onDisk)).toBe(true);
  }, 90_000);
});
