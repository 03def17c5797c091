import type { FeedSenderSnapshot } from './feed-sender';
import type { ErrorCode } from '../../shared/errors';

/** Why the feed stopped: the main process's error code, the renderer's backlog overflowing, or no encoder at all. */
export type ProgramFeedError = ErrorCode | 'overflow' | 'unsupported' | null;

/** What the running feed session reported, as the studio shows it. */
export interface Progress {
  sending: boolean;
  transcoding: boolean;
  backlogBytes: number;
  behind: boolean;
  error: ProgramFeedError;
}

function behindOf(snapshot: FeedSenderSnapshot): boolean {
  return snapshot.refused || snapshot.localBytes > 2 * 1024 * 1024 || (snapshot.maxQueueBytes > 0 && snapshot.mainBytes > snapshot.maxQueueBytes / 2);
}

/** The backlog is shown in tenths of a MiB: a change below that is no reason to render again. */
const BACKLOG_STEP = 0.1 * 1024 * 1024;

/**
 * The progress after a sender snapshot; the same object when nothing shown changed. The sender
 * reports twice per chunk (WebCodecs: ~80 chunks/s), and a render for each took the page's
 * main thread from the preview player.
 */
export function withSnapshot(current: Progress, snapshot: FeedSenderSnapshot): Progress {
  const backlogBytes = snapshot.localBytes + snapshot.mainBytes;
  const behind = behindOf(snapshot);
  const error = snapshot.failed ?? current.error;
  const sameBacklog = Math.round(backlogBytes / BACKLOG_STEP) === Math.round(current.backlogBytes / BACKLOG_STEP);
  if (sameBacklog && behind === current.behind && error === current.error) return current;
  return { ...current, backlogBytes, behind, error };
}

