import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useCamera } from './use-camera';

export function StudioScreen() {
  const { t } = useTranslation();
  const { state, retry } = useCamera();
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = state.status === 'ready' ? state.stream : null;
  }, [state]);

  return (
    <section className="panel studio" aria-labelledby="studio-heading">
      <h2 id="studio-heading">{t('studio.heading')}</h2>
      <div className="preview-frame">
        <video
          ref={videoRef}
          data-testid="camera-preview"
          className="camera-preview"
          autoPlay
          muted
          playsInline
          aria-label={t('studio.heading')}
          hidden={state.status !== 'ready'}
        />
        {state.status === 'starting' && <p className="preview-note">{t('studio.starting')}</p>}
        {state.status === 'error' && (
          <div className="preview-note" role="alert">
            <p data-testid="camera-error">{t(`studio.errors.${state.problem}`, { name: state.name })}</p>
            <button type="button" onClick={retry}>
              {t('studio.retry')}
            </button>
          </div>
        )}
      </div>
      {state.status === 'ready' && (
        <p className="status-line">
          <span className="dot ok" aria-hidden="true" /> {t('studio.ready')}
          {state.label ? ` — ${state.label}` : ''}
        </p>
      )}
    </section>
  );
}
