export { classifyErrno, classifyFfmpegLines, failureMessage, recordingErrorCode } from './failure';
export { FRAGMENT_SECONDS, recordArgs, remuxArgs } from './ffmpeg-args';
export { FileRecorder, recordingPaths, type FileRecorderEvents, type FileRecorderHealth, type FileRecorderOptions, type FileRecorderState } from './file-recorder';
export { checkRecordingFolder, RecordingRefused } from './folder-check';
