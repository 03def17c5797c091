import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DestinationRuntime, DestinationView } from '../../shared/destinations';
import { useNow } from '../ui/use-now';
import { badgeKind, formatDuration, secondsUntilNextTry, uptimeNow } from './health';

/**
 * One destination's state in a word, and while live its health: bitrate · fps · dropped · uptime;
 * while reconnecting the attempt and a countdown to the next try. The badge keeps its own clock for
 * the uptime and the countdown, so their ticks redraw only the badge.
 */
export function HealthBadge({ destination, runtime }: { destination: DestinationView; runtime: DestinationRuntime | undefined }) {
  const { t, i18n } = useTranslation();
  const kind = badgeKind(destination, runtime);
  const now = useNow(kind === 'live' || kind === 'reconnecting', 250);
  const number = useMemo(() => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }), [i18n.language]);

  let detail: string | null = null;
  let label: string | undefined;
  if (runtime && kind === 'live') {
    const { bitrateKbps, fps, droppedFrames, reconnects } = runtime.health;
    const uptime = formatDuration(uptimeNow(runtime, now));
    const values = { bitrate: number.format(bitrateKbps), fps: number.format(fps), dropped: number.format(droppedFrames), uptime, reconnects };
    detail = t('destinations.health.line', values);
    label = t('destinations.health.label', values);
  } else if (runtime && kind === 'reconnecting') {
    const seconds = secondsUntilNextTry(runtime, now);
    detail = seconds > 0 ? t('destinations.retry.wait', { attempt: runtime.attempt ?? 1, seconds }) : t('destinations.retry.now', { attempt: runtime.attempt ?? 1 });
  } else if (runtime && kind === 'connecting' && (runtime.attempt ?? 1) > 1) {
    detail = t('destinations.retry.attempt', { attempt: runtime.attempt });
  } else if (runtime && kind === 'failed' && runtime.reason) {
    detail = t(`destinations.reason.${runtime.reason}`);
  } else if (kind === 'standby') {
    detail = t('destinations.standbyHelp');
  }

  return (
    <div className={`health health-${kind}`} data-testid="health" data-state={kind}>
      <span className="health-badge">
        <span className="health-dot" aria-hidden="true" />
        {t(`destinations.state.${kind}`)}
      </span>
      {detail && (
        <span className="health-detail" data-testid="health-detail" aria-label={label} title={label ?? detail}>
          {detail}
        </span>
      )}
    </div>
  );
}
