import { StudioError } from '../../../shared/errors';
import type { KeyValueStore, SecretCipher } from './ports';

/** Where the ciphertexts live in the settings store: one record, name → base64 ciphertext. */
const VAULT_KEY = 'vaultSecrets';

/** A secret's name: letters, digits and `:_-` (e.g. `destination:3f9a…`); never a dotted path. */
const NAME = /^[A-Za-z0-9:_-]{1,128}$/;

/**
 * A vault of named secrets (stream keys, …). Each value is encrypted with the studio's
 * SecretCipher (safeStorage in the app, AES-GCM in the harness) before it reaches the store, so
 * the settings file holds ciphertext only. Storing is refused when the cipher has no secure
 * backend (Linux `basic_text`), as for the API secret.
 */
export class SecretVault {
  constructor(
    private readonly store: KeyValueStore,
    private readonly cipher: SecretCipher,
  ) {}

  async put(name: string, value: string): Promise<void> {
    checkName(name);
    const vault = await this.cipher.status();
    if (!vault.available) {
      throw new StudioError('vault.unavailable', 'This computer offers no protected keyring, so the secret is not stored. Set up the system keyring and try again.', {
        reason: vault.backend,
      });
    }
    const ciphertext = await this.cipher.encrypt(value);
    this.write({ ...this.read(), [name]: ciphertext });
  }

  /** The secret, or null when none is stored. Throws `vault.unreadable` when it cannot be decrypted. */
  async get(name: string): Promise<string | null> {
    checkName(name);
    const ciphertext = this.read()[name];
    if (ciphertext === undefined) return null;
    let decrypted: { value: string; shouldReEncrypt: boolean };
    try {
      decrypted = await this.cipher.decrypt(ciphertext);
    } catch {
      throw new StudioError('vault.unreadable', 'A stored secret can no longer be read; enter it again.');
    }
    if (decrypted.shouldReEncrypt) {
      const fresh = await this.cipher.encrypt(decrypted.value);
      // Only if nobody replaced it meanwhile.
      if (this.read()[name] === ciphertext) this.write({ ...this.read(), [name]: fresh });
    }
    return decrypted.value;
  }

  has(name: string): boolean {
    checkName(name);
    return this.read()[name] !== undefined;
  }

  delete(name: string): void {
    checkName(name);
    const all = this.read();
    if (!(name in all)) return;
    delete all[name];
    this.write(all);
  }

  names(): string[] {
    return Object.keys(this.read());
  }

  private read(): Record<string, string> {
    const raw = this.store.get(VAULT_KEY);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && NAME.test(entry[0])));
  }

  private write(all: Record<string, string>): void {
    this.store.set(VAULT_KEY, all);
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new StudioError('internal', 'Invalid secret name.');
}
