import { aacAudio, copiesVideo, sparseKeyframes } from '../feed/feed-codecs';

export interface SegmentArgs {
  mimeType: string;
  /** Target segment length; segments are cut at the next keyframe after it. */
  segmentSeconds: number;
  /** Number of the first segment file (continues across restarts of the ingest). */
  startNumber: number;
  /** `<dir>/s%05d.ts`. */
  pattern: string;
}

/**
 * ffmpeg arguments: program feed on stdin → MPEG-TS segments, the finished ones listed on
 * stdout as CSV lines (`name,start,end`). Video is copied for H.264 input; audio is AAC (copied when it is already).
 * Each packet is flushed into the segment file at once so the growing file can be served
 * (LHLS `#EXT-X-PREFETCH`). Never `-fflags nobuffer`: it drops the first GOP.
 * One MPEG-TS muxer writes all segments (`-individual_header_trailer 0`, PAT/PMT again at the
 * start of each): with a fresh muxer per segment the continuity counters restart at 0 in every
 * segment, and the Twilio player's IVS demuxer then drops the frame it is assembling and logs
 * `AVC finishFrame called without active frame` once per segment (it ignores the TS
 * discontinuity indicator).
 */
export function segmentArgs({ mimeType, segmentSeconds, startNumber, pattern }: SegmentArgs): string[] {
  const video = copiesVideo(mimeType)
    ? ['-c:v', 'copy']
    : // WebM/VP8: re-encode. Without -r 30 ffmpeg duplicates frames up to the 1 kHz WebM time base.
      ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-r', '30', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '1250k'];
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel', 'error',
    '-i', 'pipe:0',
    '-map', '0:v:0',
    '-map', '0:a:0?',
    ...video,
    // A feed with AAC already (WebCodecs on Windows and macOS) is copied. Otherwise AAC is most of
    // this process's CPU when video is copied: the fast coder, and the input's own channel count
    // (a mono microphone is no longer upmixed to stereo), about halve it.
    ...(aacAudio(mimeType) ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k', '-ar', '48000']),
    '-max_interleave_delta', '0',
    '-f', 'segment',
    '-segment_time', String(segmentSeconds),
    // A feed whose keyframes are sparser than the segments (the WebCodecs encoder's 2 s GOP) is cut
    // every segmentSeconds inside the GOP: 2 s segments made the Twilio player's IVS demuxer log
    // `AVC finishFrame called without active frame` at each segment start. Feeds with keyframes
    // at least as often as segments (MediaRecorder, 250 ms) keep keyframe cuts.
    ...(sparseKeyframes(mimeType, segmentSeconds) ? ['-break_non_keyframes', '1'] : []),
    '-segment_format', 'mpegts',
    '-segment_format_options', 'flush_packets=1:mpegts_flags=+resend_headers',
    '-individual_header_trailer', '0',
    '-segment_start_number', String(startNumber),
    '-segment_list', 'pipe:1',
    '-segment_list_type', 'csv',
    pattern,
  ];
}
