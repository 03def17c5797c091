import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync } from 'node:fs';
import { access, open, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { StudioError } from '../../../../shared/errors';
import type { RecordingFailureReason } from '../../../../shared/recording';
import { classifyErrno, failureMessage, recordingErrorCode } from './failure';

/** A refusal with a recording reason the service can show. */
export class RecordingRefused extends StudioError {
  constructor(
    readonly reason: RecordingFailureReason,
    detail?: string,
  ) {
    super(recordingErrorCode(reason), failureMessage(reason, null, detail), { reason });
    this.name = 'RecordingRefused';
  }
}

/**
 * Before anything is spawned: the folder exists, is a folder, and a file can be created in it
 * (a real probe: permission bits say nothing to root, to ACLs or to a read-only mount).
 */
export async function checkRecordingFolder(folder: string): Promise<void> {
  if (!isAbsolute(folder)) throw new RecordingRefused('folder_missing', `"${folder}" is not an absolute folder path`);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(folder);
  } catch (error) {
    throw refusal(error, folder);
  }
  if (!info.isDirectory()) throw new RecordingRefused('folder_missing', `"${folder}" is not a folder`);
  try {
    await access(folder, constants.W_OK);
    const probe = join(folder, `.onair-write-check-${randomBytes(6).toString('hex')}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  } catch (error) {
    throw refusal(error, folder);
  }
}

function refusal(error: unknown, folder: string): RecordingRefused {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = classifyErrno(code) ?? 'folder_not_writable';
  return new RecordingRefused(reason, `${folder}: ${code ?? 'error'}`);
}

/**
 * Creates `path` empty, failing if it exists (synchronous, so that two recordings started in the
 * same second cannot pick the same name). Refused like the folder check when the folder is not usable.
 */
export function reserveFile(folder: string, path: string): void {
  if (!isAbsolute(folder)) throw new RecordingRefused('folder_missing', `"${folder}" is not an absolute folder path`);
  try {
    closeSync(openSync(path, 'wx'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RecordingRefused('spawn_failed', `${path} already exists`);
    throw refusal(error, folder);
  }
}
