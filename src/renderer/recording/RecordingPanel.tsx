import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatSize, type RecordingControl, useRecording } from './use-recording';

/**
 * The panel with its own subscription to the recording's status: main reports it every second while
 * recording (time, size), and only this panel redraws for it. The studio hears only whether a
 * recording runs (`onActive`, called when that changes).
 */
export function LiveRecordingPanel({ canRecord, onActive }: { canRecord: boolean; onActive: (recording: boolean) => void }) {
  const recording = useRecording();
  const active = recording.status?.state === 'recording';
  useEffect(() => onActive(active), [active, onActive]);
  return <RecordingPanel recording={recording} canRecord={canRecord} />;
}

export interface RecordingPanelProps {
  recording: RecordingControl;
  /** A recording needs the camera (the program feed has no video without it). */
  canRecord: boolean;
}

/**
 * Record / Stop recording, independent of Go live (as in OBS): elapsed time and size while
 * recording, "finalizing…" while the final file is written, the saved file's path when done,
 * what went wrong (from the error code) when a recording is refused or fails, and the recordings
 * a run that ended unexpectedly left, finished (or kept) at this start.
 */
export function RecordingPanel({ recording, canRecord }: RecordingPanelProps) {
  const { t } = useTranslation();
  const { status, pending, callError } = recording;
  const state = status?.state ?? 'idle';
  const [dismissed, setDismissed] = useState<string | null>(null);
  /** Recordings a killed run left, finished at this start (shown until dismissed). */
  const recovered = status?.recovered ?? [];
  const [recoveredDismissed, setRecoveredDismissed] = useState(false);
  const hintId = useId();

  const failure = state === 'failed' && status?.error ? status.error : null;
  const errorCode = failure?.code ?? (pending === null ? callError : null);
  /** Identifies what is shown below the button, so that Dismiss hides only that. */
  const outcomeKey = `${state}|${status?.startedAt ?? ''}|${status?.path ?? ''}|${errorCode ?? ''}`;
  const showOutcome = dismissed !== outcomeKey;

  const recordingNow = state === 'recording';
  const finalizing = state === 'finalizing' || pending === 'stop';
  const button = recordingNow && pending !== 'stop'
    ? { label: t('recording.stop'), onClick: () => void recording.stop(), disabled: false, className: 'record-button stop' }
    : finalizing
      ? { label: t('recording.finalizing'), onClick: undefined, disabled: true, className: 'record-button' }
      : pending === 'start'
        ? { label: t('recording.starting'), onClick: undefined, disabled: true, className: 'record-button' }
        : { label: t('recording.record'), onClick: () => void recording.start(), disabled: !canRecord || status === null, className: 'record-button' };

  return (
    <section
      className="card recording"
      aria-labelledby="recording-heading"
      data-testid="recording-panel"
      data-state={state}
      data-stop-wait={recording.stopWait?.outcome}
      data-stop-wait-ms={recording.stopWait?.ms}
    >
      <div className="card-head">
        <h2 id="recording-heading">{t('recording.heading')}</h2>
        {recordingNow && (
          <span className="rec-badge" data-testid="rec-badge">
            <span className="rec-dot" aria-hidden="true" />
            {t('recording.recordingBadge')}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className={button.className}
          disabled={button.disabled}
          onClick={button.onClick}
          data-testid="record-button"
          aria-describedby={state === 'idle' && !errorCode ? hintId : undefined}
          title={state === 'idle' && !errorCode ? t('recording.independent') : undefined}
        >
          {button.label}
        </button>
      </div>

      {(recordingNow || finalizing) && status && (
        <dl className="rec-figures">
          <div>
            <dt>{t('recording.elapsed')}</dt>
            <dd className="elapsed" data-testid="rec-elapsed">
              {formatDuration(status.elapsedMs)}
            </dd>
          </div>
          <div>
            <dt>{t('recording.size')}</dt>
            <dd data-testid="rec-size">{formatSize(status.bytesWritten)}</dd>
          </div>
        </dl>
      )}
      {finalizing && (
        <p className="hint" role="status" data-testid="rec-finalizing">
          {t('recording.finalizingHelp')}
        </p>
      )}

      {state === 'done' && status?.path && showOutcome && (
        <div className="rec-outcome" role="status" data-testid="rec-saved">
          <p>
            {t('recording.saved')} <code className="rec-path" data-testid="rec-path">{status.path}</code>
          </p>
          <p className="hint">{t('recording.savedHelp', { format: status.format.toUpperCase() })}</p>
        </div>
      )}

      {errorCode && showOutcome && (
        <div className="problem inline" role="alert" data-testid="rec-error" data-code={errorCode}>
          <p>
            <strong>{status?.startedAt && failure ? t('recording.failedTitle') : t('recording.refusedTitle')}</strong>
          </p>
          <p>{t(`errors.${errorCode}`, { defaultValue: t('errors.recording.failed') })}</p>
          {failure?.keptPath && (
            <p>
              {t('recording.keptAt')} <code className="rec-path">{failure.keptPath}</code>
            </p>
          )}
          <button type="button" className="link" onClick={() => setDismissed(outcomeKey)}>
            {t('recording.dismiss')}
          </button>
        </div>
      )}

      {recovered.length > 0 && !recoveredDismissed && (
        <div className="rec-outcome rec-recovered" role="status" data-testid="rec-recovered">
          {recovered.map((item) => (
            <div key={item.path} data-testid="rec-recovered-item" data-outcome={item.outcome}>
              <p>
                {item.outcome === 'saved' ? t('recording.recoveredSaved') : t('recording.recoveredKept')}{' '}
                <code className="rec-path" data-testid="rec-recovered-path">
                  {item.path}
                </code>
              </p>
              {item.outcome === 'saved' && item.durationSec !== null && (
                <p className="hint">{t('recording.recoveredDuration', { duration: formatDuration(item.durationSec * 1000) })}</p>
              )}
            </div>
          ))}
          <button type="button" className="link" onClick={() => setRecoveredDismissed(true)}>
            {t('recording.dismiss')}
          </button>
        </div>
      )}

      {state === 'idle' && !errorCode && (
        <p className="hint rec-independent" id={hintId}>
          {t('recording.independent')}
        </p>
      )}
    </section>
  );
}
