import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';

const FFMPEG = findFfmpeg()!.path;
const FFPROBE = join(dirname(FFMPEG), 'ffprobe');

export interface Pulled {
  /** `frameRate`: the stream's frame-rate grid (ffprobe's r_frame_rate); `fps`: frames per second of media actually in it. */
  video: { codec: string; width: number; height: number; frameRate: string; fps: number; keyframeGaps: number[]; frameSeconds: number };
  audio: { codec: string; sampleRate: number };
}

/** Pulls `seconds` of a stream from the ingest (as a viewer would) into an MPEG-TS file and reads it back with ffprobe. */
export async function pull(url: string, dir: string, seconds: number): Promise<Pulled> {
  const file = join(dir, `pull-${randomBytes(4).toString('hex')}.ts`);
  const ffmpeg = spawn(FFMPEG, ['-hide_banner', '-v', 'error', '-nostdin', '-rw_timeout', '10000000', '-i', url, '-t', String(seconds), '-c', 'copy', '-f', 'mpegts', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => ffmpeg.once('close', resolve));
  if (code !== 0) throw new Error(`pull of the ingest failed (${code}): ${errors.replaceAll(url, '<url>')}`);
  const probe = (args: string[]) => spawnSync(FFPROBE, ['-v', 'error', ...args, '-of', 'json', file], { encoding: 'utf8' }).stdout;
  const streams = (JSON.parse(probe(['-show_entries', 'stream=codec_type,codec_name,width,height,r_frame_rate,sample_rate'])) as {
    streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; sample_rate?: string }>;
  }).streams;
  const packets = (JSON.parse(probe(['-select_streams', 'v', '-show_entries', 'packet=pts_time,flags'])) as { packets: Array<{ pts_time: string; flags: string }> }).packets
    .map((packet) => ({ pts: Number(packet.pts_time), key: packet.flags.startsWith('K') }))
    .sort((a, b) => a.pts - b.pts);
  const span = packets.at(-1)!.pts - packets[0]!.pts;
  const fps = (packets.length - 1) / span;
  const keys = packets.filter((packet) => packet.key).map((packet) => packet.pts);
  const video = streams.find((stream) => stream.codec_type === 'video')!;
  const audio = streams.find((stream) => stream.codec_type === 'audio')!;
  return {
    video: {
      codec: video.codec_name,
      width: video.width!,
      height: video.height!,
      frameRate: video.r_frame_rate!,
      fps,
      keyframeGaps: keys.slice(1).map((at, i) => at - keys[i]!),
      frameSeconds: 1 / fps,
    },
    audio: { codec: audio.codec_name, sampleRate: Number(audio.sample_rate) },
  };
}
