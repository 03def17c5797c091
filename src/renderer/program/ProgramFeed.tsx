import type { BroadcastState } from '../../shared/domain';
import { ProgramFeedStatus } from './ProgramFeedStatus';
import { useProgramFeed } from './use-program-feed';

export interface ProgramFeedProps {
  video: MediaStreamTrack | null;
  audio: MediaStreamTrack | null;
  /** The broadcast's state: recording starts with `starting` (so the first keyframe is ready early), sending with `live`. */
  state: BroadcastState | undefined;
  /** A recording is running: the feed runs for it too, live or not. */
  recording?: boolean;
}

/** Records and sends the program feed while the broadcast starts or is live or a recording runs, and says how it goes. */
export function ProgramFeed({ video, audio, state, recording = false }: ProgramFeedProps) {
  const feed = useProgramFeed({ video, audio, recording: state === 'starting', live: state === 'live', forRecording: recording });
  return <ProgramFeedStatus feed={feed} />;
}
