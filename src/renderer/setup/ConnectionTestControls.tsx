import { useTranslation } from 'react-i18next';
import type { ConnectionTestResult } from './use-connection-test';

/** The Test connection button: one cheap authenticated call with what is in the form. */
export function TestConnectionButton({ result, onTest }: { result: ConnectionTestResult; onTest: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" onClick={onTest} disabled={result.kind === 'testing'}>
      {result.kind === 'testing' ? t('firstRun.testing') : t('firstRun.test')}
    </button>
  );
}

/** What the last Test connection found: success with its time, or the failure in plain words. */
export function ConnectionTestOutcome({ result }: { result: ConnectionTestResult }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite" data-testid="connection-result">
      {result.kind === 'ok' && <p className="ok-text">{t('firstRun.testOk', { ms: result.ms })}</p>}
      {result.kind === 'failed' && (
        <p className="form-error" role="alert">
          {t(`errors.${result.code}`, { defaultValue: t('errors.internal') })}
        </p>
      )}
    </div>
  );
}
