import Conf from 'conf';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SecretCipher } from '../../src/main/core/settings/ports';
import { SecretVault } from '../../src/main/core/settings/secret-vault';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { API_SECRET_NAME, SettingsService } from '../../src/main/core/settings/settings-service';
import { settingsChecks } from '../../src/main/core/settings-checks';
import { scratchDir } from '../support/scratch';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const KEY = `SK${'fedcba9876543210'.repeat(2)}`;
const SECRET = 'Qm7-legacy-api-secret-value';
const VAULT_KEY_HEX = 'cd'.repeat(32);

/** A settings file as a studio before the vault wrote it: the secret's ciphertext in its own slot. */
async function legacyStoreFile(cipher: SecretCipher): Promise<{ dir: string; file: string }> {
  const dir = scratchDir('settings-migration');
  const file = join(dir, 'settings.json');
  const old = {
    settings: { mode: 'twilio', accountSid: ACCOUNT, apiKeySid: KEY },
    vault: { apiSecret: await cipher.encrypt(SECRET) },
  };
  writeFileSync(file, JSON.stringify(old, null, '\t'));
  return { dir, file };
}

function open(dir: string, cipher: SecretCipher) {
  const store = new Conf<Record<string, unknown>>({ projectName: 'onair-test', cwd: dir, configName: 'settings' });
  return { store, service: new SettingsService(store, cipher, settingsChecks()) };
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => [path, readFileSync(path, 'utf8')]);
}

describe('the API secret in the vault of named secrets', () => {
  it('moves a secret from the old slot into the vault once, and the old slot is gone from the file', async () => {
    const cipher = new SessionKeyCipher(VAULT_KEY_HEX);
    const { dir, file } = await legacyStoreFile(cipher);
    const { store, service } = open(dir, cipher);

    const view = await service.view();
    expect(view).toMatchObject({ hasApiSecret: true, missing: ['syncServiceSid'] });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { vault?: { apiSecret?: unknown }; vaultSecrets?: Record<string, string> };
    expect(onDisk.vault?.apiSecret).toBeUndefined();
    expect(Object.keys(onDisk.vaultSecrets ?? {})).toEqual([API_SECRET_NAME]);
    expect(await new SecretVault(store, cipher).get(API_SECRET_NAME)).toBe(SECRET);
    expect((await service.credentials())?.apiSecret).toBe(SECRET);

    // After a restart the vault alone answers.
    const restarted = open(dir, new SessionKeyCipher(VAULT_KEY_HEX)).service;
    expect((await restarted.credentials())?.apiSecret).toBe(SECRET);
    for (const [path, text] of filesUnder(dir)) expect(text, path).not.toContain(SECRET);
  });

  it('leaves a secret it cannot decrypt where it is, reported as absent (as before)', async () => {
    const { dir, file } = await legacyStoreFile(new SessionKeyCipher(VAULT_KEY_HEX));
    const before = JSON.parse(readFileSync(file, 'utf8')) as { vault: { apiSecret: string } };
    const { service } = open(dir, new SessionKeyCipher('ef'.repeat(32)));

    expect((await service.view()).hasApiSecret).toBe(false);
    expect(await service.credentials()).toBeNull();
    const after = JSON.parse(readFileSync(file, 'utf8')) as { vault: { apiSecret: string }; vaultSecrets?: unknown };
    expect(after.vault.apiSecret).toBe(before.vault.apiSecret);
    expect(after.vaultSecrets).toBeUndefined();

    // With the right key again (the keyring is back), it moves then.
    const fixed = open(dir, new SessionKeyCipher(VAULT_KEY_HEX)).service;
    expect((await fixed.view()).hasApiSecret).toBe(true);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { vault?: { apiSecret?: string } }).vault?.apiSecret).toBeUndefined();
  });

  it('keeps the old slot when the vault cannot be written (no keyring any more), and still reads it', async () => {
    const real = new SessionKeyCipher(VAULT_KEY_HEX);
    const { dir, file } = await legacyStoreFile(real);
    // Decrypts what is there, but the machine now says it has no protected keyring.
    const lockedOut: SecretCipher = {
      status: async () => ({ available: false, backend: 'basic_text', persistent: true }),
      encrypt: async () => {
        throw new Error('must not be called');
      },
      decrypt: (ciphertext) => real.decrypt(ciphertext),
    };
    const { service } = open(dir, lockedOut);
    expect((await service.credentials())?.apiSecret).toBe(SECRET);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { vault?: { apiSecret?: string }; vaultSecrets?: unknown };
    expect(typeof onDisk.vault?.apiSecret).toBe('string');
    expect(onDisk.vaultSecrets).toBeUndefined();
  });

  it('clears the vault entry (and an old slot) on settings.clearSecret, leaving the stream keys alone', async () => {
    const cipher = new SessionKeyCipher(VAULT_KEY_HEX);
    const { dir, file } = await legacyStoreFile(cipher);
    const { store, service } = open(dir, cipher);
    const vault = new SecretVault(store, cipher);
    await vault.put('destination:aa', 'live_stream_key_0123456789');
    await service.update({ apiSecret: 'Zz1-new-secret-typed' });
    expect(vault.names().sort()).toEqual(['destination:aa', API_SECRET_NAME]);

    const view = await service.clearSecret();
    expect(view).toMatchObject({ hasApiSecret: false });
    expect(view.missing).toContain('apiSecret');
    expect(vault.names()).toEqual(['destination:aa']);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('apiSecret');
    expect(await service.credentials()).toBeNull();
  });

  it('writes a new secret into the vault and removes an old slot that still held one it could not read', async () => {
    const { dir, file } = await legacyStoreFile(new SessionKeyCipher());
    const cipher = new SessionKeyCipher(VAULT_KEY_HEX);
    const { service } = open(dir, cipher);
    expect((await service.view()).hasApiSecret).toBe(false);
    await service.update({ apiSecret: 'Zz1-new-secret-typed' });
    expect((await service.credentials())?.apiSecret).toBe('Zz1-new-secret-typed');
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { vault?: { apiSecret?: string }; vaultSecrets: Record<string, string> };
    expect(onDisk.vault?.apiSecret).toBeUndefined();
    expect(Object.keys(onDisk.vaultSecrets)).toEqual([API_SECRET_NAME]);
    for (const [path, text] of filesUnder(dir)) expect(text, path).not.toContain('Zz1-new-secret-typed');
  });
});
