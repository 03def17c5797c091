import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../ui/TextField';
import type { FieldIssue } from '../../shared/errors';
import { settingsPatchSchema } from '../../shared/settings';
import { zodIssues } from '../../shared/validation';
import { asIpcError, unwrap } from '../ipc/client';
import { ConnectionTestOutcome, TestConnectionButton } from './ConnectionTestControls';
import { useConnectionTest } from './use-connection-test';

const FIELDS = ['accountSid', 'apiKeySid', 'apiSecret', 'syncServiceSid'] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;
/** What Test connection needs; the Sync service is only needed to save. */
const TEST_FIELDS: readonly Field[] = ['accountSid', 'apiKeySid', 'apiSecret'];

/** Required and well-formed: the messages a person sees next to each field. */
export function credentialIssues(draft: Draft, fields: readonly Field[] = FIELDS): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of fields) if (draft[field].trim() === '') issues.push({ path: field, messageKey: 'firstRun.required' });
  const parsed = settingsPatchSchema.safeParse(Object.fromEntries(fields.filter((field) => draft[field].trim() !== '').map((field) => [field, draft[field]])));
  if (!parsed.success) issues.push(...zodIssues(parsed.error).filter((issue) => fields.includes(issue.path as Field)));
  return issues;
}

/** The first-run Twilio form: inline validation, Test connection, Save. */
export function TwilioCredentialsForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>({ accountSid: '', apiKeySid: '', apiSecret: '', syncServiceSid: '' });
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const connection = useConnectionTest();

  const validate = (fields: readonly Field[], values: Draft = draft) => {
    const found = credentialIssues(values, fields);
    setIssues([...issues.filter((issue) => !fields.includes(issue.path as Field)), ...found]);
    return found;
  };

  const testConnection = async () => {
    if (validate(TEST_FIELDS).length > 0) {
      connection.reset();
      return;
    }
    await connection.test(draft);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (validate(FIELDS).length > 0) return;
    setSaving(true);
    try {
      await unwrap(() => window.onair.settings.update({ mode: 'twilio', ...draft }));
      onSaved();
    } catch (error) {
      const ipcError = asIpcError(error);
      setIssues(ipcError.details?.issues ?? []);
      setFailure(t(`errors.${ipcError.code}`, { defaultValue: t('errors.internal') }));
    } finally {
      setSaving(false);
    }
  };

  const testIssues = connection.result.kind === 'failed' ? connection.result.issues : [];
  const field = (name: Field, options: { type?: string; placeholder?: string; autoComplete?: string } = {}) => {
    const issue = issues.find((entry) => entry.path === name) ?? testIssues.find((entry) => entry.path === name);
    const id = `setup-${name}`;
    return (
      <TextField
        id={id}
        name={name}
        label={t(`settings.${name}`)}
        value={draft[name]}
        issue={issue}
        type={options.type === 'password' ? 'password' : 'text'}
        placeholder={options.placeholder}
        autoComplete={options.autoComplete}
        required
        onChange={(value) => {
          const next = { ...draft, [name]: value };
          setDraft(next);
          // A shown error goes away as soon as the value is right, not later on blur:
          // the form must not jump under the pointer on its way to a button.
          if (issue) validate([name], next);
          if (connection.result.kind !== 'testing') connection.reset();
        }}
        onBlur={() => draft[name] !== '' && validate([name])}
      />
    );
  };

  const result = connection.result;
  return (
    <form className="credentials-form" onSubmit={(event) => void save(event)} noValidate aria-labelledby="credentials-heading">
      <h3 id="credentials-heading">{t('firstRun.credentials')}</h3>
      <p className="help">{t('firstRun.credentialsHelp')}</p>
      <div className="field-grid">
        {field('accountSid', { placeholder: 'AC…' })}
        {field('apiKeySid', { placeholder: 'SK…' })}
        {field('apiSecret', { type: 'password', autoComplete: 'new-password' })}
        {field('syncServiceSid', { placeholder: 'IS…' })}
      </div>
      <div className="actions">
        <TestConnectionButton result={result} onTest={() => void testConnection()} />
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('firstRun.saving') : t('firstRun.saveContinue')}
        </button>
      </div>
      <ConnectionTestOutcome result={result} />
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
    </form>
  );
}
