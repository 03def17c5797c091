import { StudioError } from '../../../shared/errors';
import type { RecordingFormat } from '../../../shared/recording';
import {
  DEFAULT_OUTPUT_FPS,
  DEFAULT_OUTPUT_RESOLUTION,
  DEFAULT_PROGRAM_ENCODER,
  type OutputFps,
  type OutputPreset,
  outputPreset,
  type OutputResolution,
  type ProgramEncoderChoice,
  programEncoderChoice,
} from '../../../shared/output';
import {
  DEFAULT_EXTENSION,
  DEFAULT_IDENTITY,
  DEFAULT_MAX_DURATION_SECONDS,
  DEFAULT_ROOM_NAME,
  ROOM_TYPES,
  maskSid,
  type Mode,
  type SettingsPatch,
  settingsPatchSchema,
  type SettingsView,
} from '../../../shared/settings';
import { zodIssues } from '../../../shared/validation';
import type { KeyValueStore, SecretCipher } from './ports';
import { SecretVault } from './secret-vault';

const SETTINGS_KEY = 'settings';
/** The Twilio API secret's name in the vault of named secrets (next to the stream keys). */
export const API_SECRET_NAME = 'twilio:apiSecret';
/** Where studios before the vault kept the API secret's ciphertext; moved into the vault once (`migrateLegacySecret`). */
export const LEGACY_SECRET_KEY = 'vault.apiSecret';

export interface StoredSettings {
  mode: Mode;
  accountSid: string;
  apiKeySid: string;
  syncServiceSid: string;
  roomName: string;
  identity: string;
  roomType: (typeof ROOM_TYPES)[number];
  extension: string;
  maxDurationSeconds: number;
  ffmpegPath: string;
  /** null = the Videos folder. */
  recordingFolder: string | null;
  recordingFormat: RecordingFormat;
  outputResolution: OutputResolution;
  outputFps: OutputFps;
  /** null = the preset's default. */
  outputVideoKbps: number | null;
  programEncoder: ProgramEncoderChoice;
}

const DEFAULTS: StoredSettings = {
  mode: 'local',
  accountSid: '',
  apiKeySid: '',
  syncServiceSid: '',
  roomName: DEFAULT_ROOM_NAME,
  identity: DEFAULT_IDENTITY,
  roomType: 'group',
  extension: DEFAULT_EXTENSION,
  maxDurationSeconds: DEFAULT_MAX_DURATION_SECONDS,
  ffmpegPath: '',
  recordingFolder: null,
  recordingFormat: 'mp4',
  outputResolution: DEFAULT_OUTPUT_RESOLUTION,
  outputFps: DEFAULT_OUTPUT_FPS,
  outputVideoKbps: null,
  // WebCodecs on the GPU's encoder, then in software, then MediaRecorder (README, Media path).
  programEncoder: DEFAULT_PROGRAM_ENCODER,
};

/** Full Twilio credentials. Main-process only: never returned over IPC. */
export interface TwilioCredentials {
  accountSid: string;
  apiKeySid: string;
  apiSecret: string;
  syncServiceSid: string;
}

/**
 * Settings and the API secret. The secret lives in the vault of named secrets
 * (`API_SECRET_NAME`), encrypted before it is written and refused when the machine offers no
 * real keyring; the renderer only ever receives `view()`.
 */
/** What the settings service needs from the rest of the studio (`core/settings-checks.ts` gives the real ones). */
export interface SettingsChecks {
  /** Refuses an `ffmpegPath` that is not ffmpeg (`ffmpeg.*` errors). */
  ffmpeg: (path: string) => Promise<void>;
  /** Refuses a recording folder the studio cannot write to (`recording.*` errors). */
  recordingFolder: (folder: string) => Promise<void>;
  /** Where recordings go without a chosen folder (in Electron, `app.getPath('videos')`). */
  videosFolder: () => string;
}

export class SettingsService {
  private readonly vault: SecretVault;

  constructor(
    private readonly store: KeyValueStore,
    private readonly cipher: SecretCipher,
    /** The checks a setting is held to, and the default videos folder: handed in, so settings imports no other domain. */
    private readonly checks: SettingsChecks,
    private readonly onChange: (view: SettingsView) => void = () => {},
  ) {
    this.vault = new SecretVault(store, cipher);
  }

  /** The non-secret settings as stored (defaults filled in). */
  read(): StoredSettings {
    const raw = this.store.get(SETTINGS_KEY);
    const onDisk = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    // A choice an older version stored (`webcodecs`, before hardware and software were told
    // apart) reads as today's `auto`, and does not fail the whole record below.
    const stored = 'programEncoder' in onDisk ? { ...onDisk, programEncoder: programEncoderChoice(onDisk.programEncoder) } : onDisk;
    // Re-validate what is on disk: a hand-edited file must not smuggle bad values in.
    const parsed = settingsPatchSchema.omit({ apiSecret: true }).safeParse(stored);
    return { ...DEFAULTS, ...(parsed.success ? stripEmpty(parsed.data) : {}) };
  }

  /** The output preset (Settings → Output): frame size, rate and video bitrate (the preset's own when none is set). */
  outputPreset(): OutputPreset {
    const { outputResolution, outputFps, outputVideoKbps } = this.read();
    return outputPreset(outputResolution, outputFps, outputVideoKbps);
  }

  /** The API secret, or null when none is stored or it cannot be decrypted (reported as absent). */
  private async readSecret(): Promise<string | null> {
    await this.migrateLegacySecret();
    if (this.vault.has(API_SECRET_NAME)) {
      try {
        return await this.vault.get(API_SECRET_NAME);
      } catch {
        return null;
      }
    }
    // Still in the old slot (its migration could not write the vault): read it there, as before.
    return (await this.decryptLegacy())?.value ?? null;
  }

  /**
   * One-time move of a secret stored by an older studio from its own slot into the vault. The
   * old slot is removed only after the vault holds the secret; one that cannot be decrypted
   * (another machine, a lost key) or cannot be stored (no keyring now) stays where it is.
   */
  async migrateLegacySecret(): Promise<void> {
    const legacy = this.store.get(LEGACY_SECRET_KEY);
    if (legacy === undefined) return;
    if (this.vault.has(API_SECRET_NAME)) {
      // Written by this studio after the old slot: the vault's is the current one.
      this.store.delete(LEGACY_SECRET_KEY);
      return;
    }
    const decrypted = await this.decryptLegacy();
    if (!decrypted) return;
    try {
      await this.vault.put(API_SECRET_NAME, decrypted.value);
    } catch {
      return;
    }
    // Only if nobody changed the old slot meanwhile (a concurrent read already moved it).
    if (this.store.get(LEGACY_SECRET_KEY) === legacy) this.store.delete(LEGACY_SECRET_KEY);
  }

  private async decryptLegacy(): Promise<{ value: string } | null> {
    const ciphertext = this.store.get(LEGACY_SECRET_KEY);
    if (typeof ciphertext !== 'string' || !ciphertext) return null;
    try {
      return { value: (await this.cipher.decrypt(ciphertext)).value };
    } catch {
      return null;
    }
  }

  async view(): Promise<SettingsView> {
    const settings = this.read();
    const hasApiSecret = (await this.readSecret()) !== null;
    const missing = (
      [
        ['accountSid', settings.accountSid !== ''],
        ['apiKeySid', settings.apiKeySid !== ''],
        ['apiSecret', hasApiSecret],
        ['syncServiceSid', settings.syncServiceSid !== ''],
      ] as const
    )
      .filter(([, present]) => !present)
      .map(([field]) => field);
    return {
      mode: settings.mode,
      accountSid: settings.accountSid,
      apiKeySidMasked: maskSid(settings.apiKeySid),
      hasApiSecret,
      syncServiceSid: settings.syncServiceSid,
      roomName: settings.roomName,
      identity: settings.identity,
      roomType: settings.roomType,
      extension: settings.extension,
      maxDurationSeconds: settings.maxDurationSeconds,
      ffmpegPath: settings.ffmpegPath,
      recordingFolder: settings.recordingFolder,
      recordingFormat: settings.recordingFormat,
      recordingDefaultFolder: this.checks.videosFolder(),
      outputResolution: settings.outputResolution,
      outputFps: settings.outputFps,
      outputVideoKbps: settings.outputVideoKbps,
      programEncoder: settings.programEncoder,
      configured: missing.length === 0,
      missing: [...missing],
      vault: await this.cipher.status(),
    };
  }

  /** Validates the whole patch first; writes nothing unless all of it can be stored. */
  async update(patch: SettingsPatch): Promise<SettingsView> {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new StudioError('settings.invalid', 'Some settings are not valid.', { issues: zodIssues(parsed.error) });
    }
    const { apiSecret, ...fields } = parsed.data;
    // The studio pipes the program feed into this program: it must be ffmpeg, not just any executable.
    if (fields.ffmpegPath) await this.requireFfmpeg(fields.ffmpegPath);
    // Empty means the Videos folder; a chosen folder must exist and take a file now.
    if (fields.recordingFolder === '') fields.recordingFolder = null;
    if (fields.recordingFolder) await this.requireRecordingFolder(fields.recordingFolder);
    if (apiSecret !== undefined) {
      const vault = await this.cipher.status();
      if (!vault.available) {
        throw new StudioError(
          'vault.unavailable',
          'This computer offers no protected keyring, so the API secret is not stored. Set up the system keyring (or sign in to the desktop session) and try again.',
          { reason: vault.backend },
        );
      }
      // The secret first: if it cannot be stored, nothing of the patch is.
      await this.vault.put(API_SECRET_NAME, apiSecret);
      this.store.delete(LEGACY_SECRET_KEY);
    }
    this.store.set(SETTINGS_KEY, { ...this.read(), ...fields });
    return this.changed();
  }

  private async requireFfmpeg(path: string): Promise<void> {
    try {
      await this.checks.ffmpeg(path);
    } catch (error) {
      if (!(error instanceof StudioError)) throw error;
      // The form shows the reason at the field, in the user's language.
      throw new StudioError(error.code, error.message, { ...error.details, issues: [{ path: 'ffmpegPath', messageKey: `errors.${error.code}` }] });
    }
  }

  private async requireRecordingFolder(folder: string): Promise<void> {
    try {
      await this.checks.recordingFolder(folder);
    } catch (error) {
      if (!(error instanceof StudioError)) throw error;
      throw new StudioError(error.code, error.message, { ...error.details, issues: [{ path: 'recordingFolder', messageKey: `errors.${error.code}` }] });
    }
  }

  async clearSecret(): Promise<SettingsView> {
    this.vault.delete(API_SECRET_NAME);
    this.store.delete(LEGACY_SECRET_KEY);
    return this.changed();
  }

  /** For the Twilio client only. Null until the account, key and secret are present; the Sync service may be empty. */
  async credentials(): Promise<TwilioCredentials | null> {
    const settings = this.read();
    const apiSecret = await this.readSecret();
    if (!settings.accountSid || !settings.apiKeySid || !apiSecret) return null;
    return { accountSid: settings.accountSid, apiKeySid: settings.apiKeySid, apiSecret, syncServiceSid: settings.syncServiceSid };
  }

  private async changed(): Promise<SettingsView> {
    const view = await this.view();
    this.onChange(view);
    return view;
  }
}

function stripEmpty<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
