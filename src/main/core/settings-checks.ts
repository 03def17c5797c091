import { ffmpegChecker } from './media/ffmpeg/check';
import { checkRecordingFolder } from './media/file/folder-check';
import { defaultVideosFolder } from './recording/videos-folder';
import type { SettingsChecks } from './settings/settings-service';

/**
 * The checks the settings service holds a change to, from the media plane and the recording
 * domain (settings itself imports neither): ffmpeg's cached `-version` check, the recording
 * folder's write check, and the videos folder (the shell's `app.getPath('videos')` when given).
 */
export function settingsChecks(videosFolder?: () => string): SettingsChecks {
  return {
    ffmpeg: (path) => ffmpegChecker.check(path),
    recordingFolder: (folder) => checkRecordingFolder(folder),
    videosFolder: videosFolder ?? (() => defaultVideosFolder()),
  };
}
