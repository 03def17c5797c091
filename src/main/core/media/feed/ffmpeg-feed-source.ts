/**
 * A program feed made by ffmpeg instead of the renderer: a test pattern (colour bars with a moving
 * clock and a 440 Hz tone) or a video file, at real time (`-re`), encoded once to H.264 with a
 * keyframe every 2 s and AAC, as fragmented MP4 — the same kind of feed the studio's WebCodecs
 * encoder sends, so the destinations copy it exactly as they copy the app's. This is the headless
 * CLI's program (`onair live`); the app never uses it.
 */
import { KEYFRAME_INTERVAL_SECONDS, type OutputPreset } from '../../../../shared/output';
import { StudioError } from '../../../../shared/errors';
import { FfmpegProcess, type FfmpegExit } from '../ffmpeg/ffmpeg-process';
import type { ProgramFeed } from './program-feed';

export type FeedInput = { kind: 'test-pattern' } | { kind: 'file'; path: string };

/** The feed's mime type: H.264 with its keyframe interval (`gop`, ms: the destinations copy it) and AAC. */
export const GENERATED_FEED_MIME = `video/mp4;codecs=avc1.64001f,mp4a.40.2;gop=${KEYFRAME_INTERVAL_SECONDS * 1000}`;

/** ffmpeg arguments: `input` at real time → H.264 (the preset's size, rate and bitrate, 2 s GOP) + AAC → fMP4 on stdout. */
export function feedSourceArgs(input: FeedInput, preset: OutputPreset): string[] {
  const { width, height, fps, videoKbps } = preset;
  const gop = String(KEYFRAME_INTERVAL_SECONDS * fps);
  const inputs =
    input.kind === 'test-pattern'
      ? ['-re', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`, '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-map', '0:v:0', '-map', '1:a:0']
      : ['-re', '-i', input.path, '-map', '0:v:0', '-map', '0:a:0?'];
  // A file of any size or aspect fits the preset's frame (letterboxed), at its rate.
  const fit = input.kind === 'file' ? ['-vf', `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1`, '-r', String(fps)] : [];
  return [
    // stdin stays open: "q" on it ends ffmpeg cleanly (the last fragment is written), on every platform.
    '-hide_banner', '-nostats', '-loglevel', 'error',
    ...inputs,
    ...fit,
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-b:v', `${videoKbps}k`, '-maxrate', `${videoKbps}k`, '-bufsize', `${videoKbps * 2}k`,
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000',
    '-flush_packets', '1',
    'pipe:1',
  ];
}

export interface FfmpegFeedSourceOptions {
  feed: ProgramFeed;
  ffmpegPath: string;
  input: FeedInput;
  preset: OutputPreset;
  log?: (line: string) => void;
}

/** Runs the ffmpeg that makes the program feed and hands its bytes to the program feed, in order. */
export class FfmpegFeedSource {
  private ffmpeg: FfmpegProcess | null = null;
  private stopping = false;

  constructor(private readonly options: FfmpegFeedSourceOptions) {}

  /**
   * Opens a feed session and starts ffmpeg. Resolves with ffmpeg's exit: at the end of the file,
   * when ffmpeg fails, or after `stop()`.
   */
  start(): Promise<FfmpegExit> {
    const { feed, ffmpegPath, input, preset } = this.options;
    const log = this.options.log ?? (() => {});
    const session = feed.open(GENERATED_FEED_MIME, () => new StudioError('media.not_live', 'No destination is live to take the program feed.'));
    let seq = 0;
    const ffmpeg = new FfmpegProcess({
      path: ffmpegPath,
      args: feedSourceArgs(input, preset),
      stdout: 'data',
      maxQueueBytes: 1024,
      onLine: (line) => log(`feed source: ${line}`),
      onData: (chunk) => {
        try {
          feed.chunk(session.ingestId, seq, chunk);
          seq += 1;
        } catch (error) {
          // Nothing takes the feed any more (every destination stopped): the source ends too.
          log(`feed source: ${error instanceof StudioError ? error.code : 'error'}; stopping`);
          void this.stop();
        }
      },
    });
    this.ffmpeg = ffmpeg;
    return ffmpeg.exited.then((exit) => {
      feed.close(session.ingestId);
      return exit;
    });
  }

  /** Ends ffmpeg: "q" (it writes its last fragment), then it has 2 s before it is killed. */
  async stop(): Promise<void> {
    if (this.stopping || !this.ffmpeg) return;
    this.stopping = true;
    this.ffmpeg.write(Buffer.from('q'));
    await this.ffmpeg.end(2_000);
  }

  /** Whether ffmpeg ended because of `stop()`. */
  get stopped(): boolean {
    return this.stopping;
  }
}
