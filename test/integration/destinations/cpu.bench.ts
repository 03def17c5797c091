/**
 * CPU per destination, measured (README "Destinations"): N RTMP outputs on one live generated
 * program feed (1280×720 H.264 + Opus fMP4), each output's ffmpeg and the shared audio stage
 * read from /proc over a window. Run:
 *   npx vitest bench --run --project integration test/integration/destinations/cpu.bench.ts
 * Environment: ONAIR_CPU_OUTPUTS (default 3), ONAIR_CPU_SECONDS (default 20). The last case feeds
 * the WebM/VP8 fallback (1280×720, 30 fps): the stage then re-encodes the video to H.264 (720p30 preset, 4500 kbps).
 * That feed is encoded to a file first and then sent in real time (`-re -c copy`), so a loaded
 * machine cannot starve the stage of frames; the frames it encoded are counted too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { AudioStage } from '../../../src/main/core/media/audio-stage';
import { ProgramFeed } from '../../../src/main/core/media/feed/program-feed';
import type { FeedPiece } from '../../../src/main/core/media/feed/feed-piece';
import { RtmpOutput } from '../../../src/main/core/media/rtmp/index';
import { StudioError } from '../../../src/shared/errors';
import { startNginxRtmp } from '../../support/nginx-rtmp';
import { scratchDir } from '../../support/scratch';
import { cpuTicks, FFMPEG, type FeedSource, feedSourceOf, startFeed, streamKey, waitFor } from '../rtmp/support';

const OUTPUTS = Number(process.env.ONAIR_CPU_OUTPUTS ?? 3);
const SECONDS = Number(process.env.ONAIR_CPU_SECONDS ?? 20);
const TICKS_PER_SECOND = 100;

/** A 40 s 1280×720 30 fps VP8/Opus WebM, encoded once, then sent in real time without re-encoding. */
function startWebmFileFeed(): FeedSource {
  const file = join(scratchDir('cpu-webm'), 'feed.webm');
  execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '40', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '2500k', '-c:a', 'libopus', '-f', 'webm', file,
  ]);
  const proc = spawn(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-i', file, '-c', 'copy', '-f', 'webm', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return feedSourceOf(proc);
}

async function measure(shared: boolean, kind: 'mp4' | 'mp4-short-gop' | 'webm' = 'mp4'): Promise<void> {
  const keys = Array.from({ length: OUTPUTS }, (_, i) => streamKey(`cpu${i}`));
  const nginx = await startNginxRtmp({ keys });
  const feed = new ProgramFeed();
  feed.need('destinations');
  // The 2 s feed says so (as WebCodecs does) and is copied; the short-GOP one says nothing (as MediaRecorder) and is re-encoded.
  const mimeType = kind === 'webm' ? 'video/webm;codecs=vp8,opus' : kind === 'mp4' ? 'video/mp4;codecs=avc1.42E01F,opus;gop=2000' : 'video/mp4;codecs=avc1.42E01F,opus';
  const session = feed.open(mimeType, () => new StudioError('media.not_live', 'not needed'));
  const source = kind === 'webm' ? startWebmFileFeed() : startFeed(kind, '1280x720');
  let seq = 0;
  source.fanout.add({ write: (piece) => feed.chunk(session.ingestId, seq++, new Uint8Array(piece.data)) });
  const stage = shared ? new AudioStage({ feed, resolveFfmpeg: async () => FFMPEG, preset: () => ({ fps: 30, videoKbps: 4500 }) }) : null;
  const outputs = keys.map((key) => new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl: nginx.rtmpUrl(), streamKey: key, ...(stage?.outputOptions() ?? {}) }));
  const sinks = outputs.map((output) => ({ write: (piece: FeedPiece) => output.write(piece) }));
  outputs.forEach((output, i) => {
    output.start();
    (stage ?? feed).add(sinks[i]!);
  });
  try {
    await waitFor(async () => (await nginx.streams()).filter((s) => s.publishing && s.width).length === OUTPUTS, 'every output publishing', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pids = outputs.map((output) => output.processId()!);
    const stagePid = stage?.processId() ?? null;
    const before = pids.map((pid) => cpuTicks(pid)!);
    const stageBefore = stagePid ? cpuTicks(stagePid)! : 0;
    const framesBefore = outputs[0]!.health().frames;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
    const seconds = (Date.now() - started) / 1_000;
    const share = (ticks: number) => Number((ticks / TICKS_PER_SECOND / seconds).toFixed(4));
    const perOutput = pids.map((pid, i) => share(cpuTicks(pid)! - before[i]!));
    const stageShare = stagePid ? share(cpuTicks(stagePid)! - stageBefore) : 0;
    const fps = (outputs[0]!.health().frames - framesBefore) / seconds;
    console.log(
      JSON.stringify({
        mode: shared ? 'shared-audio-stage' : 'per-output-transcode',
        feed: kind,
        stageReencodesVideo: stage?.reencodesVideo ?? false,
        outputs: OUTPUTS,
        seconds,
        perOutputShareOfOneCore: perOutput,
        stageShareOfOneCore: stageShare,
        framesPerSecond: Number(fps.toFixed(1)),
        stageShareAt30Fps: fps > 0 ? Number(((stageShare * 30) / fps).toFixed(4)) : null,
        totalShareOfOneCore: Number((perOutput.reduce((a, b) => a + b, 0) + stageShare).toFixed(4)),
      }),
    );
  } finally {
    await Promise.all(outputs.map((output) => output.stop()));
    for (const sink of sinks) stage?.remove(sink);
    await source.stop();
    await nginx.close();
  }
}

describe('CPU per destination', () => {
  const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
  bench('each output transcodes Opus→AAC', () => measure(false), once);
  bench('one shared AAC stage, outputs copy', () => measure(true), once);
  bench('WebM/VP8 feed: the stage re-encodes the video to H.264 once, outputs copy', () => measure(true, 'webm'), once);
  bench('MediaRecorder-like H.264 (keyframe every 8 frames): the stage re-encodes to a 2 s GOP once, outputs copy', () => measure(true, 'mp4-short-gop'), once);
});
