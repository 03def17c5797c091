import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModeChoice } from '../ui/ModeChoice';
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
      <ModeChoice
        name="first-run-mode"
        legend={t('firstRun.choice')}
        value={choice}
        texts={{
          local: { title: t('firstRun.localTitle'), body: t('firstRun.localBody') },
          twilio: { title: t('firstRun.twilioTitle'), body: t('firstRun.twilioBody') },
        }}
        onChange={setChoice}
      />
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
