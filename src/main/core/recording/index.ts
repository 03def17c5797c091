export { freeBaseName, recordingBaseName } from './file-names';
export { type RecordingFeed, RecordingService, type RecordingServiceEvents, type RecordingServiceOptions } from './recording-service';
export { defaultVideosFolder, type VideosFolderLookup } from './videos-folder';
export { recoverRecordings, type RecoverOptions } from './recover';
export { RECORDING_JOURNAL_FILE, RecordingJournal, type RecordingJournalEntry } from './recording-journal';
