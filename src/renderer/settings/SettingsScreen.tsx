import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionTestOutcome, TestConnectionButton } from '../setup/ConnectionTestControls';
import { useConnectionTest } from '../setup/use-connection-test';
import { ModeChoice } from '../ui/ModeChoice';
import { TextField } from '../ui/TextField';
import type { FieldIssue } from '../../shared/errors';
import { defaultVideoKbps, OUTPUT_FPS, OUTPUT_RESOLUTIONS, OUTPUT_SIZES, type OutputFps, type OutputResolution, PROGRAM_ENCODERS, type ProgramEncoderChoice } from '../../shared/output';

/** Settings → Output → Encoder: the text for each choice. */
const ENCODER_LABELS: Record<ProgramEncoderChoice, string> = {
  auto: 'output.encoderAuto',
  'webcodecs-hardware': 'output.encoderWebcodecs-hardware',
  'webcodecs-software': 'output.encoderWebcodecs-software',
  mediarecorder: 'output.encoderMediarecorder',
};
import { RECORDING_FORMATS, type RecordingFormat } from '../../shared/recording';
import { type Mode, type SettingsPatch, settingsPatchSchema, type SettingsView } from '../../shared/settings';
import { zodIssues } from '../../shared/validation';
import { asIpcError } from '../ipc/client';
import { useSettings } from '../ipc/use-settings';

type FieldName = 'accountSid' | 'apiKeySid' | 'apiSecret' | 'syncServiceSid' | 'roomName' | 'identity' | 'ffmpegPath' | 'recordingFolder' | 'outputVideoKbps';
type Draft = Record<FieldName, string> & {
  mode: Mode;
  recordingFormat: RecordingFormat;
  outputResolution: OutputResolution;
  outputFps: OutputFps;
  programEncoder: ProgramEncoderChoice;
};

const draftFrom = (view: SettingsView): Draft => ({
  mode: view.mode,
  accountSid: view.accountSid,
  apiKeySid: '',
  apiSecret: '',
  syncServiceSid: view.syncServiceSid,
  roomName: view.roomName,
  identity: view.identity,
  ffmpegPath: view.ffmpegPath,
  recordingFolder: view.recordingFolder ?? '',
  recordingFormat: view.recordingFormat,
  outputResolution: view.outputResolution,
  outputFps: view.outputFps,
  outputVideoKbps: view.outputVideoKbps === null ? '' : String(view.outputVideoKbps),
  programEncoder: view.programEncoder,
});

/** Empty = the preset's bitrate; anything but digits stays invalid (NaN) for the schema to refuse. */
const kbpsFrom = (text: string): number | null => (text.trim() === '' ? null : /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/** Only what the user changed; empty key id and secret mean "keep what is stored". */
function patchFrom(draft: Draft, view: SettingsView): SettingsPatch {
  const patch: SettingsPatch = { mode: draft.mode, roomName: draft.roomName, identity: draft.identity };
  if (draft.accountSid.trim() !== view.accountSid) patch.accountSid = draft.accountSid;
  if (draft.syncServiceSid.trim() !== view.syncServiceSid) patch.syncServiceSid = draft.syncServiceSid;
  if (draft.apiKeySid.trim() !== '') patch.apiKeySid = draft.apiKeySid;
  if (draft.apiSecret !== '') patch.apiSecret = draft.apiSecret;
  if (draft.ffmpegPath.trim() !== view.ffmpegPath) patch.ffmpegPath = draft.ffmpegPath;
  // Empty = the Videos folder; main checks that a chosen folder exists and is writable.
  if (draft.recordingFolder.trim() !== (view.recordingFolder ?? '')) patch.recordingFolder = draft.recordingFolder.trim() || null;
  if (draft.recordingFormat !== view.recordingFormat) patch.recordingFormat = draft.recordingFormat;
  if (draft.outputResolution !== view.outputResolution) patch.outputResolution = draft.outputResolution;
  if (draft.outputFps !== view.outputFps) patch.outputFps = draft.outputFps;
  const kbps = kbpsFrom(draft.outputVideoKbps);
  if (kbps !== view.outputVideoKbps) patch.outputVideoKbps = kbps;
  if (draft.programEncoder !== view.programEncoder) patch.programEncoder = draft.programEncoder;
  return patch;
}

function issuesOf(patch: SettingsPatch): FieldIssue[] {
  const parsed = settingsPatchSchema.safeParse(patch);
  return parsed.success ? [] : zodIssues(parsed.error);
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useSettings();
  if (settings.loadError) return <p role="alert">{t(`errors.${settings.loadError.code}`)}</p>;
  if (!settings.view) return <p aria-busy="true">…</p>;
  return <SettingsForm {...settings} view={settings.view} />;
}

function SettingsForm({ view, update, clearSecret }: ReturnType<typeof useSettings> & { view: SettingsView }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(view));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [failure, setFailure] = useState<string | null>(null);
  const connection = useConnectionTest();

  const set = (field: keyof Draft) => (value: string) => {
    setDraft({ ...draft, [field]: value });
    setStatus('idle');
  };
  const validateField = (field: FieldName) => {
    const others = issues.filter((issue) => issue.path !== field);
    const mine = issuesOf(patchFrom(draft, view)).filter((issue) => issue.path === field);
    setIssues([...others, ...mine]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const patch = patchFrom(draft, view);
    const found = issuesOf(patch);
    setIssues(found);
    if (found.length > 0) return;
    setStatus('saving');
    try {
      const next = await update(patch);
      setDraft(draftFrom(next));
      setStatus('saved');
    } catch (error) {
      const ipcError = asIpcError(error);
      setIssues(ipcError.details?.issues ?? []);
      setFailure(t(`errors.${ipcError.code}`));
      setStatus('idle');
    }
  };

  const field = (name: FieldName, options: { type?: string; placeholder?: string; help?: string; autoComplete?: string; label?: string } = {}) => {
    const issue = issues.find((entry) => entry.path === name);
    const id = `field-${name}`;
    return (
      <TextField
        id={id}
        name={name}
        label={options.label ?? t(`settings.${name}`)}
        value={draft[name]}
        issue={issue}
        help={options.help}
        type={options.type === 'password' ? 'password' : 'text'}
        placeholder={options.placeholder}
        autoComplete={options.autoComplete}
        onChange={(value) => {
          set(name)(value);
          // Clear a shown error while typing, so the form does not jump under the pointer.
          if (issue) setIssues(issues.filter((entry) => entry.path !== name));
        }}
        onBlur={() => validateField(name)}
      />
    );
  };

  return (
    <section className="panel settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.heading')}</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <ModeChoice
          name="mode"
          legend={t('settings.mode')}
          value={draft.mode}
          texts={{
            local: { title: t('app.modeLocal'), body: t('settings.modeLocalHelp') },
            twilio: { title: t('app.modeTwilio'), body: t('settings.modeTwilioHelp') },
          }}
          onChange={(mode) => set('mode')(mode)}
        />

        <fieldset className="credentials">
          <legend>Twilio</legend>
          {field('accountSid', { placeholder: 'AC…' })}
          {field('apiKeySid', {
            placeholder: view.apiKeySidMasked || 'SK…',
            help: view.apiKeySidMasked ? t('settings.apiKeySidKeep', { masked: view.apiKeySidMasked }) : undefined,
          })}
          {field('apiSecret', {
            type: 'password',
            autoComplete: 'new-password',
            help: view.hasApiSecret ? t('settings.apiSecretStored') : t('settings.apiSecretNone'),
          })}
          {view.hasApiSecret && (
            <button type="button" className="link" onClick={() => void clearSecret()}>
              {t('settings.clearSecret')}
            </button>
          )}
          {field('syncServiceSid', { placeholder: 'IS…' })}
          <div className="actions">
            <TestConnectionButton
              result={connection.result}
              onTest={() => void connection.test({ accountSid: draft.accountSid, apiKeySid: draft.apiKeySid, apiSecret: draft.apiSecret })}
            />
          </div>
          <ConnectionTestOutcome result={connection.result} />
          <p className="vault-note" data-testid="vault-note">
            {!view.vault.available
              ? t('settings.vaultUnavailable', { backend: view.vault.backend })
              : !view.vault.persistent
                ? t('settings.vaultSession')
                : null}
          </p>
          <p data-testid="credentials-status">
            {view.configured
              ? t('settings.configured')
              : t('settings.missing', { fields: view.missing.map((name) => t(`settings.${name}`)).join(', ') })}
          </p>
        </fieldset>

        <fieldset>
          <legend>{t('settings.room')}</legend>
          {field('roomName')}
          {field('identity')}
        </fieldset>

        <fieldset>
          <legend>{t('settings.advanced')}</legend>
          {field('ffmpegPath', { placeholder: '/usr/bin/ffmpeg', help: t('settings.ffmpegPathHelp') })}
        </fieldset>

        <fieldset data-testid="settings-recording">
          <legend>{t('recording.settingsHeading')}</legend>
          {field('recordingFolder', {
            label: t('recording.folder'),
            placeholder: view.recordingDefaultFolder,
            help: t('recording.folderHelp', { folder: view.recordingDefaultFolder }),
          })}
          <div className="field">
            <label htmlFor="field-recordingFormat">{t('recording.format')}</label>
            <select
              id="field-recordingFormat"
              name="recordingFormat"
              value={draft.recordingFormat}
              aria-describedby="field-recordingFormat-help"
              onChange={(event) => {
                setDraft({ ...draft, recordingFormat: event.target.value as RecordingFormat });
                setStatus('idle');
              }}
            >
              {RECORDING_FORMATS.map((format) => (
                <option key={format} value={format}>
                  {t(format === 'mp4' ? 'recording.formatMp4' : 'recording.formatMkv')}
                </option>
              ))}
            </select>
            <p className="help" id="field-recordingFormat-help">
              {t('recording.formatHelp')}
            </p>
          </div>
        </fieldset>

        <fieldset data-testid="settings-output">
          <legend>{t('output.heading')}</legend>
          <div className="field">
            <label htmlFor="field-outputResolution">{t('output.resolution')}</label>
            <select
              id="field-outputResolution"
              name="outputResolution"
              value={draft.outputResolution}
              onChange={(event) => {
                setDraft({ ...draft, outputResolution: event.target.value as OutputResolution });
                setStatus('idle');
              }}
            >
              {OUTPUT_RESOLUTIONS.map((resolution) => (
                <option key={resolution} value={resolution}>
                  {`${OUTPUT_SIZES[resolution].width}×${OUTPUT_SIZES[resolution].height}`}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="field-outputFps">{t('output.fps')}</label>
            <select
              id="field-outputFps"
              name="outputFps"
              value={String(draft.outputFps)}
              onChange={(event) => {
                setDraft({ ...draft, outputFps: Number(event.target.value) as OutputFps });
                setStatus('idle');
              }}
            >
              {OUTPUT_FPS.map((fps) => (
                <option key={fps} value={String(fps)}>
                  {t('output.fpsValue', { fps })}
                </option>
              ))}
            </select>
          </div>
          {field('outputVideoKbps', {
            label: t('output.videoKbps'),
            placeholder: String(defaultVideoKbps(draft.outputResolution, draft.outputFps)),
            help: t('output.videoKbpsHelp', { kbps: defaultVideoKbps(draft.outputResolution, draft.outputFps) }),
          })}
          <div className="field">
            <label htmlFor="field-programEncoder">{t('output.encoder')}</label>
            <select
              id="field-programEncoder"
              name="programEncoder"
              value={draft.programEncoder}
              aria-describedby="field-programEncoder-help"
              onChange={(event) => {
                setDraft({ ...draft, programEncoder: event.target.value as ProgramEncoderChoice });
                setStatus('idle');
              }}
            >
              {PROGRAM_ENCODERS.map((encoder) => (
                <option key={encoder} value={encoder}>
                  {t(ENCODER_LABELS[encoder])}
                </option>
              ))}
            </select>
            <p className="help" id="field-programEncoder-help">
              {t('output.encoderHelp')} {t('output.appliesNext')}
            </p>
          </div>
        </fieldset>

        <div className="actions">
          <button type="submit" className="primary" disabled={status === 'saving'}>
            {status === 'saving' ? t('settings.saving') : t('settings.save')}
          </button>
          <span role="status" aria-live="polite">
            {status === 'saved' ? t('settings.saved') : ''}
          </span>
        </div>
        {failure && (
          <p className="form-error" role="alert" data-testid="settings-failure">
            {failure}
          </p>
        )}
      </form>
    </section>
  );
}
