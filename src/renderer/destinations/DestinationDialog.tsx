import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DestinationAddRequest, DestinationUpdateRequest, DestinationView } from '../../shared/destinations';
import type { FieldIssue } from '../../shared/errors';
import { asIpcError } from '../ipc/client';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { defaultServer, keyHelpUrl, PLATFORM_IDS, type PlatformId, serverForRequest } from './platforms';
import { StreamKeyField } from './StreamKeyField';

export interface DestinationDialogProps {
  /** The destination to edit; absent to add one. */
  editing?: DestinationView;
  onAdd: (request: DestinationAddRequest) => Promise<unknown>;
  onUpdate: (request: DestinationUpdateRequest) => Promise<unknown>;
  onClose: () => void;
}

type Field = 'presetId' | 'name' | 'serverUrl' | 'streamKey';

/** A preset with its own server shows it locked; the user may unlock it for a regional ingest. */
const hasOwnServer = (id: PlatformId) => defaultServer(id) !== null;

/**
 * Add or edit a destination. The stream key is write-only: it is sent once with Add (or with Save
 * when a new one was typed) and is never filled back in; editing keeps the saved key unless a new
 * one is typed.
 */
export function DestinationDialog({ editing, onAdd, onUpdate, onClose }: DestinationDialogProps) {
  const { t } = useTranslation();
  const uid = useId();
  const [presetId, setPresetId] = useState<PlatformId>(editing?.presetId ?? 'youtube');
  const [name, setName] = useState(editing?.name ?? t('destinations.presets.youtube'));
  // While the name is the platform's own name, it follows the platform picker.
  const [nameTouched, setNameTouched] = useState(!!editing);
  const [server, setServer] = useState(editing?.serverUrl ?? defaultServer('youtube') ?? '');
  const [serverUnlocked, setServerUnlocked] = useState(!!editing && hasOwnServer(editing.presetId) && editing.serverUrl !== defaultServer(editing.presetId));
  const [streamKey, setStreamKey] = useState('');
  const [keyShown, setKeyShown] = useState(false);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const issueFor = (field: Field) => issues.find((issue) => issue.path === field);
  const clearIssue = (field: Field) => issueFor(field) && setIssues(issues.filter((issue) => issue.path !== field));

  const choosePreset = (next: PlatformId) => {
    setPresetId(next);
    setServer(defaultServer(next) ?? '');
    setServerUnlocked(false);
    if (!nameTouched) setName(t(`destinations.presets.${next}`));
    setIssues(issues.filter((issue) => issue.path !== 'presetId' && issue.path !== 'serverUrl'));
  };

  // A server problem main reported is shown on an editable field.
  const locked = hasOwnServer(presetId) && !serverUnlocked && !issueFor('serverUrl');
  const helpUrl = keyHelpUrl(presetId);
  const platformName = t(`destinations.presets.${presetId}`);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    // Adding needs a key; editing keeps the saved one unless a new one is typed.
    if (!editing && streamKey === '') {
      setIssues([...issues.filter((issue) => issue.path !== 'streamKey'), { path: 'streamKey', messageKey: 'errors.destination.key_empty' }]);
      return;
    }
    const serverUrl = locked ? null : serverForRequest(presetId, server);
    setSaving(true);
    try {
      if (editing) {
        await onUpdate({ id: editing.id, name, presetId, serverUrl, ...(streamKey !== '' ? { streamKey } : {}) });
      } else {
        await onAdd({ name, presetId, serverUrl, streamKey, enabled: true });
      }
      setStreamKey('');
      onClose();
    } catch (error) {
      const ipcError = asIpcError(error);
      const found = ipcError.details?.issues ?? [];
      setIssues(found);
      if (found.length === 0 || ipcError.code !== 'destination.invalid') setFailure(t(`errors.${ipcError.code}`, { defaultValue: t('errors.internal') }));
      setSaving(false);
    }
  };

  const formId = `${uid}-form`;
  const presetIssue = issueFor('presetId');
  return (
    <Dialog
      title={editing ? t('destinations.dialog.editTitle', { name: editing.name }) : t('destinations.dialog.addTitle')}
      onCancel={onClose}
      testId="destination-dialog"
      actions={
        <>
          <button type="button" onClick={onClose}>
            {t('destinations.dialog.cancel')}
          </button>
          <button type="submit" form={formId} className="primary" disabled={saving}>
            {saving ? t('destinations.dialog.saving') : editing ? t('destinations.dialog.save') : t('destinations.dialog.add')}
          </button>
        </>
      }
    >
      <form id={formId} className="destination-form" noValidate onSubmit={(event) => void submit(event)}>
        <div className={`field${presetIssue ? ' invalid' : ''}`}>
          <label htmlFor={`${uid}-preset`}>{t('destinations.dialog.platform')}</label>
          <select
            id={`${uid}-preset`}
            name="presetId"
            value={presetId}
            data-autofocus
            aria-invalid={presetIssue ? true : undefined}
            aria-describedby={`${uid}-platform-help`}
            onChange={(event) => choosePreset(event.target.value as PlatformId)}
          >
            {PLATFORM_IDS.map((id) => (
              <option key={id} value={id}>
                {t(`destinations.presets.${id}`)}
              </option>
            ))}
          </select>
          {presetIssue && (
            <p className="field-error" role="alert">
              {t(presetIssue.messageKey, { defaultValue: t('validation.generic') })}
            </p>
          )}
        </div>
        <div className="platform-help" id={`${uid}-platform-help`} data-testid="platform-help">
          <p>{t(`destinations.help.${presetId}`)}</p>
          {helpUrl && (
            <a href={helpUrl} target="_blank" rel="noreferrer">
              {t('destinations.dialog.openDashboard', { platform: platformName })}
            </a>
          )}
        </div>
        <TextField
          id={`${uid}-name`}
          name="name"
          label={t('destinations.dialog.name')}
          value={name}
          issue={issueFor('name')}
          help={t('destinations.dialog.nameHelp')}
          onChange={(value) => {
            setName(value);
            setNameTouched(true);
            clearIssue('name');
          }}
        />
        {locked ? (
          <div className="field">
            <label htmlFor={`${uid}-server`}>{t('destinations.dialog.server')}</label>
            <input id={`${uid}-server`} name="serverUrl" value={server} readOnly aria-describedby={`${uid}-server-help`} />
            <p className="help" id={`${uid}-server-help`}>
              {t('destinations.dialog.serverHelpPreset', { platform: platformName })}
            </p>
          </div>
        ) : (
          <TextField
            id={`${uid}-server`}
            name="serverUrl"
            label={presetId === 'amazon_ivs' ? t('destinations.dialog.ivsServer') : t('destinations.dialog.server')}
            value={server}
            issue={issueFor('serverUrl')}
            help={presetId === 'amazon_ivs' ? t('destinations.dialog.ivsHelp') : t('destinations.dialog.serverHelp')}
            placeholder={presetId === 'amazon_ivs' ? 'a1b2c3d4e5f6.global-contribute.live-video.net' : 'rtmps://live.example.com/app'}
            onChange={(value) => {
              setServer(value);
              clearIssue('serverUrl');
            }}
          />
        )}
        {locked && (
          <button type="button" className="link change-server" onClick={() => setServerUnlocked(true)}>
            {t('destinations.dialog.changeServer')}
          </button>
        )}
        <StreamKeyField
          id={`${uid}-key`}
          value={streamKey}
          shown={keyShown}
          onShownChange={setKeyShown}
          onChange={(value) => {
            setStreamKey(value);
            clearIssue('streamKey');
          }}
          issue={issueFor('streamKey')}
          help={
            editing?.keyConfigured
              ? t('destinations.dialog.keyHelpKeep', { hint: editing.keyHint ?? '••••' })
              : t('destinations.dialog.keyHelpNew')
          }
          placeholder={editing?.keyConfigured ? editing.keyHint ?? '••••' : undefined}
        />
        {failure && (
          <p className="form-error" role="alert">
            {failure}
          </p>
        )}
      </form>
    </Dialog>
  );
}
