import { useMemo } from 'react';
import type { BroadcastState } from '../../shared/broadcast';
import { outputPreset } from '../../shared/output';
import { useSettings } from '../ipc/use-settings';
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
  // Settings → Output: resolution, fps, bitrate and encoder (defaults until the settings are read).
  const { view } = useSettings();
  const resolution = view?.outputResolution;
  const fps = view?.outputFps;
  const kbps = view?.outputVideoKbps;
  const preset = useMemo(() => (resolution && fps ? outputPreset(resolution, fps, kbps ?? null) : undefined), [resolution, fps, kbps]);
  const feed = useProgramFeed({
    video,
    audio,
    recording: state === 'starting',
    live: state === 'live',
    forRecording: recording,
    preset,
    encoder: view?.programEncoder,
    // The preview's own leg: only for the local cloud's preview of a live broadcast.
    previewLeg: state === 'live' && view?.mode === 'local',
  });
  return <ProgramFeedStatus feed={feed} />;
}
