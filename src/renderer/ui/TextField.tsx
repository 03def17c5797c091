import { useTranslation } from 'react-i18next';
import type { FieldIssue } from '../../shared/errors';

export interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  /** The validation problem to show under the field, if any. */
  issue?: FieldIssue;
  /** Shown under the field while it has no issue. */
  help?: string;
  type?: 'text' | 'password';
  placeholder?: string;
  autoComplete?: string;
  required?: boolean;
  onChange: (value: string) => void;
  onBlur?: () => void;
}

/** A labelled input with its help text or its validation message, wired for screen readers. */
export function TextField({ id, name, label, value, issue, help, type = 'text', placeholder, autoComplete = 'off', required, onChange, onBlur }: TextFieldProps) {
  const { t } = useTranslation();
  return (
    <div className={`field${issue ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        placeholder={placeholder}
        autoComplete={autoComplete}
        spellCheck={false}
        required={required}
        aria-invalid={issue ? true : undefined}
        aria-describedby={issue ? `${id}-error` : help ? `${id}-help` : undefined}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
      {help && !issue && (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {issue && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(issue.messageKey, { defaultValue: t('validation.generic') })}
        </p>
      )}
    </div>
  );
}
