import { fill, useMediaTexts } from '../player/texts';
import type { ProgramFeedState } from './use-program-feed';
import { useTranslation } from 'react-i18next';

/**
 * What the studio says about the program feed: sending, which encoder makes it (hardware or
 * software, profile and level, encode rate), the preview leg (size, rate, keyframes, bitrate), a
 * fallback and why, the encoder overloaded or the program drawn too slowly and what to do, the CPU
 * note for WebM, falling behind, stopped.
 */
export function ProgramFeedStatus({ feed }: { feed: ProgramFeedState }) {
  const text = useMediaTexts();
  const { t } = useTranslation();
  if (feed.phase === 'idle') return null;
  return (
    <div
      className="program-feed"
      data-testid="program-feed"
      data-phase={feed.phase}
      data-behind={feed.behind ? 'true' : 'false'}
      data-encoder={feed.encoder ?? undefined}
      data-overloaded={feed.load?.overloaded ? 'true' : 'false'}
      data-lagging={feed.load?.lagging ? 'true' : 'false'}
      data-encode-fps={feed.load?.encodeFps}
      data-program-fps={feed.load?.programFps}
      data-frames-out={feed.framesOut ?? undefined}
      data-latency={feed.latency ? JSON.stringify(feed.latency) : undefined}
    >
      {feed.phase !== 'error' && (
        <p className="status-line">
          <span className="dot ok" aria-hidden="true" /> {text.feed.recording}
          {feed.mimeType ? ` · ${feed.mimeType.split(';')[0]}` : ''}
        </p>
      )}
      {feed.encoder && feed.phase !== 'error' && (
        <p className="status-line" data-testid="program-feed-encoder">
          {[t(`output.running.${feed.encoder}`), feed.profileLevel, feed.audioCodec, feed.load ? t('output.encodeRate', { fps: feed.load.encodeFps }) : null]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      {feed.previewLeg && feed.phase !== 'error' && (
        <p className="status-line" data-testid="program-feed-preview-leg">
          {t('output.previewLeg', { ...feed.previewLeg })}
        </p>
      )}
      {feed.fellBackFrom && (
        <p className="hint" role="note" data-testid="program-feed-fallback" data-from={feed.fellBackFrom}>
          {t(feed.encoder === 'mediarecorder' ? 'output.fallbackNote' : 'output.hardwareRefusedNote')}
        </p>
      )}
      {feed.load?.overloaded && (
        <p className="problem inline" role="status" data-testid="program-feed-overloaded">
          {t('output.overloaded', {
            skipped: feed.load.skipped,
            hardware: feed.encoder === 'webcodecs-software' ? t('output.overloadedHardwareHint') : '',
          })}
        </p>
      )}
      {feed.load?.lagging && !feed.load.overloaded && (
        <p className="problem inline" role="status" data-testid="program-feed-lagging">
          {t('output.lagging', { programFps: Math.round(feed.load.programFps), fps: feed.load.targetFps })}
        </p>
      )}
      {feed.transcoding && (
        <p className="hint" role="note" data-testid="program-feed-cpu">
          {text.feed.cpuNote}
        </p>
      )}
      {feed.behind && feed.phase !== 'error' && (
        <p className="problem inline" role="status" data-testid="program-feed-behind">
          {fill(text.feed.behind, { mb: (feed.backlogBytes / (1024 * 1024)).toFixed(1) })}
        </p>
      )}
      {feed.phase === 'error' && (
        <p className="problem inline" role="alert" data-testid="program-feed-error">
          {feed.error === 'overflow'
            ? text.feed.stopped
            : feed.error === 'unsupported'
              ? text.feed.unsupported
              : t(`errors.${feed.error ?? 'internal'}`, { defaultValue: t('errors.internal') })}
        </p>
      )}
    </div>
  );
}
