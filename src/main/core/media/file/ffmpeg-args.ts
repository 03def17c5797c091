import type { RecordingFormat } from '../../../../shared/recording';

/** A fragment at least this often, keyframe or not: what a crash can lose at most (plus what is still queued). */
export const FRAGMENT_SECONDS = 1;

/**
 * Program feed on stdin → crash-safe fragmented MP4. Video is copied. Audio is copied when the
 * feed's audio is AAC already (`feedAudioIsAac`: the WebCodecs encoder where the system has an
 * AAC encoder) or when the file is Matroska, which keeps Opus; otherwise (Opus for an MP4 file)
 * it becomes AAC 48 kHz.
 * `empty_moov` puts a complete header first, each fragment is self-describing, and
 * `-flush_packets 1` writes every fragment to the file as it is finished: a SIGKILL then loses
 * only the fragment being built (measured: README "Recording (core)").
 */
export function recordArgs(path: string, format: RecordingFormat, progressPeriodMs = 1000, feedAudioIsAac = false): string[] {
  const audio = format === 'mkv' || feedAudioIsAac ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel', 'error',
    '-progress', 'pipe:3',
    '-stats_period', String(progressPeriodMs / 1000),
    '-i', 'pipe:0',
    '-map', '0:v:0',
    '-map', '0:a:0?',
    '-c:v', 'copy',
    ...audio,
    '-f', 'mp4',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
    '-frag_duration', String(FRAGMENT_SECONDS * 1_000_000),
    '-flush_packets', '1',
    '-y', path,
  ];
}

/** Crash-safe file → the final file, streams copied: a plain MP4 with its index first, or Matroska. */
export function remuxArgs(from: string, to: string, format: RecordingFormat): string[] {
  const container = format === 'mkv' ? ['-f', 'matroska'] : ['-movflags', '+faststart', '-f', 'mp4'];
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', from, '-map', '0', '-c', 'copy', ...container, '-y', to];
}
