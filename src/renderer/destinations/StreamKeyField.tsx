import { useTranslation } from 'react-i18next';
import type { FieldIssue } from '../../shared/errors';

export interface StreamKeyFieldProps {
  id: string;
  value: string;
  shown: boolean;
  onShownChange: (shown: boolean) => void;
  onChange: (value: string) => void;
  issue?: FieldIssue;
  help: string;
  placeholder?: string;
}

/**
 * The stream key: masked unless the user asks to see what they typed. It only ever holds what
 * was typed in this dialog — a saved key never comes back from main.
 */
export function StreamKeyField({ id, value, shown, onShownChange, onChange, issue, help, placeholder }: StreamKeyFieldProps) {
  const { t } = useTranslation();
  return (
    <div className={`field stream-key${issue ? ' invalid' : ''}`}>
      <label htmlFor={id}>{t('destinations.dialog.key')}</label>
      <div className="stream-key-row">
        <input
          id={id}
          name="streamKey"
          type={shown ? 'text' : 'password'}
          value={value}
          placeholder={placeholder}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          data-testid="stream-key-input"
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? `${id}-error` : `${id}-help`}
          onChange={(event) => onChange(event.target.value)}
        />
        {/* A toggle: its name stays "Show", aria-pressed says whether the key is visible. */}
        <button type="button" className="show-key" aria-pressed={shown} aria-controls={id} title={t('destinations.dialog.showHelp')} onClick={() => onShownChange(!shown)}>
          {t('destinations.dialog.show')}
        </button>
      </div>
      {issue ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(issue.messageKey, { defaultValue: t('validation.generic') })}
        </p>
      ) : (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  );
}
