import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BroadcastStatus } from '../../shared/broadcast';
import type { Mode } from '../../shared/settings';
import { shortcutAria, shortcutLabel, useShortcuts } from '../app/shortcuts';
import { Dialog } from '../ui/Dialog';
import { useNow } from '../ui/use-now';
import { formatElapsed, stepsFor } from './steps';
import type { BroadcastController } from './use-broadcast';

export interface GoLivePanelProps {
  broadcast: BroadcastController;
  mode: Mode | null;
  /** False while the camera is not running: there is nothing to broadcast. */
  canGoLive: boolean;
  /**
   * Set by the media path / preview player: `false` while waiting for the first
   * frame, `true` once it arrived. Left `undefined` until a media path exists.
   */
  firstFrame?: boolean;
  onSwitchToLocal: () => void;
  /** Peers of Go live shown under its button (the studio puts Record there, as in OBS's Controls dock). */
  children?: ReactNode;
}


export function GoLivePanel({ broadcast, mode, canGoLive, firstFrame, onSwitchToLocal, children }: GoLivePanelProps) {
  const { t } = useTranslation();
  const { status, busy } = broadcast;
  const [confirming, setConfirming] = useState(false);
  const [orphanDismissed, setOrphanDismissed] = useState(false);
  const state = status?.state ?? null;
  const live = state === 'live';

  const canStart = !!status && (state === 'idle' || state === 'failed') && !busy && canGoLive;
  const canStop = live && !busy;
  const canClean = !!status && (state === 'idle' || state === 'failed' || state === 'orphaned') && !busy;

  useShortcuts({
    goLive: canStart ? () => void broadcast.start() : null,
    stop: canStop ? () => setConfirming(true) : null,
  });

  // A stop that finished (or a broadcast the cloud ended) closes the question.
  const askingToStop = confirming && live;

  const failure = broadcast.error ?? (state === 'failed' ? status?.error : null) ?? null;
  const failedStep = (broadcast.error?.details?.step ?? status?.error?.step) as string | undefined;
  const showSteps = state === 'starting' || live || (state === 'failed' && !!failedStep);
  const steps = stepsFor(status, firstFrame);

  return (
    <section className="card broadcast" aria-labelledby="broadcast-heading">
      <header className="card-head">
        <h2 id="broadcast-heading">{t('broadcast.heading')}</h2>
        {mode && (
          <span className="mode-badge" data-testid="mode-badge">
            {t(`app.modeBadge.${mode}`)}
          </span>
        )}
        <span className="spacer" />
        {live ? <LiveBadge status={status} /> : <span className="off-air">{t('broadcast.idle')}</span>}
      </header>

      <div className="broadcast-actions">
        {live || state === 'stopping' ? (
          <button
            type="button"
            className="danger"
            onClick={() => setConfirming(true)}
            disabled={!canStop}
            aria-keyshortcuts={shortcutAria('stop')}
            title={`${t('shortcuts.stop')} (${shortcutLabel('stop')})`}
          >
            {state === 'stopping' || busy === 'stop' ? t('broadcast.stopping') : t('broadcast.stop')}
          </button>
        ) : (
          <button
            type="button"
            className="primary go-live"
            onClick={() => void broadcast.start()}
            disabled={!canStart}
            aria-keyshortcuts={shortcutAria('goLive')}
            title={`${t('shortcuts.goLive')} (${shortcutLabel('goLive')})`}
          >
            {state === 'starting' || busy === 'start' ? t('broadcast.goingLive') : t('broadcast.goLive')}
          </button>
        )}
        <button type="button" onClick={() => void broadcast.cleanUp()} disabled={!canClean} title={t('broadcast.cleanupHelp')}>
          {busy === 'cleanup' ? t('broadcast.cleaning') : t('broadcast.cleanup')}
        </button>
      </div>

      {children}

      {!status && !broadcast.error && (
        <p className="hint" aria-busy="true">
          {t('broadcast.loading')}
        </p>
      )}
      {status && !canGoLive && !live && state !== 'stopping' && <p className="hint">{t('broadcast.needsCamera')}</p>}

      {showSteps && (
        <ol className="stepper" aria-label={t('broadcast.progress')} data-testid="go-live-steps">
          {steps.map(({ step, state: stepState }) => (
            <li key={step} className={`step ${stepState}`} data-step={step} data-state={stepState} aria-current={stepState === 'active' ? 'step' : undefined}>
              <span className="step-icon" aria-hidden="true" />
              <span className="step-name">{t(`broadcast.steps.${step}`)}</span>
              <span className="step-state">{t(`broadcast.stepState.${stepState}`)}</span>
            </li>
          ))}
        </ol>
      )}

      {failure && (
        <div className="problem" role="alert" data-testid="broadcast-error">
          {failedStep && <p>{t('broadcast.failedAt', { step: t(`broadcast.steps.${failedStep}`, { defaultValue: failedStep }) })}</p>}
          <p>{t(`errors.${failure.code}`, { defaultValue: t('errors.internal') })}</p>
          {mode === 'twilio' && failure.code.startsWith('twilio.') && (
            <button type="button" onClick={onSwitchToLocal}>
              {t('broadcast.switchToLocal')}
            </button>
          )}
        </div>
      )}

      {broadcast.cleanup && (
        <div className="cleanup-report" role="status" data-testid="cleanup-report">
          {broadcast.cleanup.ended.length === 0 && !broadcast.cleanup.deletedRecord ? (
            <p>{t('broadcast.cleanupNothing')}</p>
          ) : (
            <>
              {broadcast.cleanup.ended.length > 0 && (
                <>
                  <p>{t('broadcast.cleanupEnded', { count: broadcast.cleanup.ended.length })}</p>
                  <ul>
                    {broadcast.cleanup.ended.map((resource) => (
                      <li key={resource.sid}>
                        {resource.kind} <code>{resource.sid}</code>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {broadcast.cleanup.deletedRecord && <p>{t('broadcast.cleanupRecord')}</p>}
            </>
          )}
          <button type="button" className="link" onClick={broadcast.dismissCleanup}>
            {t('studio.dismiss')}
          </button>
        </div>
      )}

      {askingToStop && (
        <Dialog
          title={t('broadcast.confirmStop.title')}
          onCancel={() => setConfirming(false)}
          testId="confirm-stop"
          actions={
            <>
              <button type="button" data-autofocus onClick={() => setConfirming(false)}>
                {t('broadcast.confirmStop.cancel')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setConfirming(false);
                  void broadcast.stop();
                }}
              >
                {t('broadcast.confirmStop.confirm')}
              </button>
            </>
          }
        >
          <p>{t('broadcast.confirmStop.body')}</p>
        </Dialog>
      )}

      {state === 'orphaned' && !busy && !orphanDismissed && (
        <Dialog
          title={t('broadcast.orphan.title')}
          onCancel={() => setOrphanDismissed(true)}
          testId="orphan-dialog"
          actions={
            <>
              <button type="button" className="primary" data-autofocus onClick={() => void broadcast.resume()}>
                {t('broadcast.orphan.resume')}
              </button>
              <button type="button" className="danger" onClick={() => void broadcast.cleanUp()}>
                {t('broadcast.orphan.end')}
              </button>
            </>
          }
        >
          <p>{t('broadcast.orphan.body')}</p>
          {status?.startedAt && <p>{t('broadcast.orphan.since', { time: new Date(status.startedAt).toLocaleString() })}</p>}
          <ul className="sids">
            {status?.mediaProcessorSid && <li><code>{status.mediaProcessorSid}</code></li>}
            {status?.playerStreamerSid && <li><code>{status.playerStreamerSid}</code></li>}
          </ul>
        </Dialog>
      )}
      {state === 'orphaned' && orphanDismissed && !busy && (
        <div className="problem" role="status">
          <p>{t('broadcast.orphan.body')}</p>
          <div className="row">
            <button type="button" onClick={() => void broadcast.resume()}>
              {t('broadcast.orphan.resume')}
            </button>
            <button type="button" onClick={() => void broadcast.cleanUp()}>
              {t('broadcast.orphan.end')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** ON AIR and the time on air; the badge keeps its own clock, so its ticks redraw only the badge. */
function LiveBadge({ status }: { status: BroadcastStatus | null }) {
  const { t } = useTranslation();
  const now = useNow(true);
  return (
    <span className="live-badge" data-testid="live-badge">
      <span className="live-dot" aria-hidden="true" />
      {t('broadcast.live')}
      <time className="elapsed" data-testid="live-elapsed" aria-label={t('broadcast.elapsed')} dateTime={status?.startedAt ?? undefined}>
        {formatElapsed(status?.startedAt ?? null, now)}
      </time>
    </span>
  );
}
