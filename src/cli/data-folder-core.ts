import { dirname } from 'node:path';
import { SessionKeyCipher } from '../main/core/settings/session-key-cipher';
import { webSettingsStore } from '../main/core/settings/web-settings-store';
import { createStudioCore, type StudioCore } from '../main/core/studio-core';
import { StudioError } from '../shared/errors';

/** `--data-dir`, else ONAIR_DATA_DIR, else the web studio's default folder. */
export function dataFolderOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return option ?? env.ONAIR_DATA_DIR ?? undefined;
}

/**
 * The studio core over a data folder, as `npm run studio:web` opens it: the same settings file
 * and the same destinations, with stream keys encrypted by ONAIR_VAULT_KEY. Without that key a
 * stored key could not be read back by the next run (or by the web studio), so it is required.
 */
export function dataFolderCore(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): StudioCore {
  const keyHex = env.ONAIR_VAULT_KEY ?? '';
  if (!/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    throw new StudioError(
      'vault.unavailable',
      'Set ONAIR_VAULT_KEY to 64 hex digits (the same key the web studio runs with, e.g. from `openssl rand -hex 32`): stream keys are stored encrypted with it.',
    );
  }
  const store = webSettingsStore(dataDir);
  return createStudioCore({
    store,
    cipher: new SessionKeyCipher(keyHex),
    dataDir: dirname(store.path),
    appOrigin: 'null',
    isTrustedSender: () => false,
    twilioOrigin: env.ONAIR_TWILIO_API_ORIGIN,
    info: { name: 'OnAir Studio CLI', version: '0', platform: process.platform, shell: 'web' },
    log,
  });
}
