/**
 * CPU per destination, measured (README "Destinations"): N RTMP outputs on one live generated
 * program feed (1280×720 H.264 + Opus fMP4), each output's ffmpeg and the shared audio stage
 * read from /proc over a window. Run:
 *   npx vitest bench --run --project integration test/integration/destinations/cpu.bench.ts
 * Environment: ONAIR_CPU_OUTPUTS (default 3), ONAIR_CPU_SECONDS (default 20).
 */
import { bench, describe } from 'vitest';
import { AudioStage } from '../../../src/main/core/media/audio-stage';
import { ProgramFeed } from '../../../src/main/core/media/program-feed';
import { RtmpOutput } from '../../../src/main/core/media/rtmp/index';
import { StudioError } from '../../../src/shared/errors';
import { startNginxRtmp } from '../../support/nginx-rtmp';
import { cpuTicks, FFMPEG, startFeed, streamKey, waitFor } from '../rtmp/support';

const OUTPUTS = Number(process.env.ONAIR_CPU_OUTPUTS ?? 3);
const SECONDS = Number(process.env.ONAIR_CPU_SECONDS ?? 20);
const TICKS_PER_SECOND = 100;

async function measure(shared: boolean): Promise<void> {
  const keys = Array.from({ length: OUTPUTS }, (_, i) => streamKey(`cpu${i}`));
  const nginx = await startNginxRtmp({ keys });
  const feed = new ProgramFeed();
  feed.need('destinations');
  const session = feed.open('video/mp4;codecs=avc1.42E01F,opus', () => new StudioError('media.not_live', 'not needed'));
  const source = startFeed('mp4', '1280x720');
  let seq = 0;
  source.fanout.add({ write: (bytes) => feed.chunk(session.ingestId, seq++, new Uint8Array(bytes)) });
  const stage = shared ? new AudioStage({ feed, resolveFfmpeg: async () => FFMPEG }) : null;
  const outputs = keys.map((key) => new RtmpOutput({ ffmpegPath: FFMPEG, serverUrl: nginx.rtmpUrl(), streamKey: key, ...(stage?.outputOptions() ?? {}) }));
  const sinks = outputs.map((output) => ({ write: (bytes: Uint8Array) => output.write(bytes) }));
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
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
    const seconds = (Date.now() - started) / 1_000;
    const share = (ticks: number) => Number((ticks / TICKS_PER_SECOND / seconds).toFixed(4));
    const perOutput = pids.map((pid, i) => share(cpuTicks(pid)! - before[i]!));
    const stageShare = stagePid ? share(cpuTicks(stagePid)! - stageBefore) : 0;
    console.log(
      JSON.stringify({
        mode: shared ? 'shared-audio-stage' : 'per-output-transcode',
        outputs: OUTPUTS,
        seconds,
        perOutputShareOfOneCore: perOutput,
        stageShareOfOneCore: stageShare,
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
});
