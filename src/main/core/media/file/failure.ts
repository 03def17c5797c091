import type { ErrorCode } from '../../../../shared/errors';
import type { RecordingFailureReason } from '../../../../shared/recording';

const CODES: Record<RecordingFailureReason, ErrorCode> = {
  disk_full: 'recording.disk_full',
  folder_missing: 'recording.folder_missing',
  folder_not_writable: 'recording.folder_not_writable',
  ffmpeg_missing: 'recording.ffmpeg_missing',
  ffmpeg_refused: 'recording.failed',
  behind: 'recording.behind',
  input_invalid: 'recording.failed',
  ffmpeg_failed: 'recording.failed',
  spawn_failed: 'recording.failed',
  remux_failed: 'recording.remux_failed',
};

export function recordingErrorCode(reason: RecordingFailureReason): ErrorCode {
  return CODES[reason];
}

const MESSAGES: Record<RecordingFailureReason, string> = {
  disk_full: 'The disk is full: the recording stopped.',
  folder_missing: 'The recording folder does not exist (or was removed while recording).',
  folder_not_writable: 'The recording folder cannot be written to.',
  ffmpeg_missing: 'ffmpeg was not found, so nothing can be recorded.',
  ffmpeg_refused: 'The program chosen as ffmpeg was not accepted.',
  behind: 'Writing the recording fell too far behind the program feed: the recording stopped.',
  input_invalid: 'ffmpeg could not read the program feed.',
  ffmpeg_failed: 'ffmpeg stopped while recording.',
  spawn_failed: 'ffmpeg could not be started.',
  remux_failed: 'Turning the recording into the final file failed.',
};

/** The English fallback message, saying where the recording so far is kept. */
export function failureMessage(reason: RecordingFailureReason, keptPath: string | null, detail?: string): string {
  const parts = [MESSAGES[reason]];
  if (detail) parts.push(`(${detail})`);
  if (keptPath) parts.push(`What was recorded is kept in "${keptPath}".`);
  return parts.join(' ');
}

/** What ffmpeg's last error lines say about why it stopped writing. */
export function classifyFfmpegLines(lines: readonly string[]): RecordingFailureReason {
  const text = lines.join('\n').toLowerCase();
  if (/no space left on device|disk quota exceeded|file too large/.test(text)) return 'disk_full';
  if (/permission denied|read-only file system|operation not permitted/.test(text)) return 'folder_not_writable';
  if (/no such file or directory/.test(text)) return 'folder_missing';
  if (/pipe:0?: invalid data|invalid data found when processing input|moov atom not found|could not find codec parameters|error opening input/.test(text)) return 'input_invalid';
  return 'ffmpeg_failed';
}

/** The same for a Node errno (a failed stat, open or rename). */
export function classifyErrno(code: string | undefined): RecordingFailureReason | null {
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return 'disk_full';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'folder_missing';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'folder_not_writable';
  return null;
}
