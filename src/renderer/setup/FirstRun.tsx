import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Mode } from '../../shared/settings';
import { asIpcError, unwrap } from '../ipc/client';
import { TwilioCredentialsForm } from './TwilioCredentialsForm';

/** The first screen a newcomer sees: Local (default, nothing to set up) or their Twilio account. */
export function FirstRun({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Mode>('local');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const startLocal = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(() => window.onair.settings.update({ mode: 'local' }));
      onDone();
    } catch (error) {
      setFailure(t(`errors.${asIpcError(error).code}`, { defaultValue: t('errors.internal') }));
      setBusy(false);
    }
  };

  return (
    <section className="panel first-run" aria-labelledby="first-run-heading">
      <h2 id="first-run-heading">{t('firstRun.heading')}</h2>
      <p>{t('firstRun.intro')}</p>
      <fieldset className="modes">
        <legend>{t('firstRun.choice')}</legend>
        {(['local', 'twilio'] as const).map((mode) => (
          <label key={mode} className={choice === mode ? 'mode-option chosen' : 'mode-option'}>
            <input type="radio" name="first-run-mode" value={mode} checked={choice === mode} onChange={() => setChoice(mode)} />
            <span>
              <strong>{t(mode === 'local' ? 'firstRun.localTitle' : 'firstRun.twilioTitle')}</strong>
              <small>{t(mode === 'local' ? 'firstRun.localBody' : 'firstRun.twilioBody')}</small>
            </span>
          </label>
        ))}
      </fieldset>
      {choice === 'local' ? (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void startLocal()} disabled={busy}>
            {t('firstRun.startLocal')}
          </button>
        </div>
      ) : (
        <TwilioCredentialsForm onSaved={onDone} />
      )}
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
    </section>
  );
}
