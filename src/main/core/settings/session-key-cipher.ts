import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { VaultStatus } from '../../../shared/settings';
import type { SecretCipher } from './ports';

/**
 * AES-256-GCM with a key that lives only in this process (or comes from
 * `ONAIR_VAULT_KEY`, 64 hex digits, for a harness that must survive restarts).
 * Used where Electron's safeStorage is not available: the browser harness and the
 * CLI. Without a provided key, a stored secret is unreadable after a restart and
 * the studio asks for it again — it is never written in the clear.
 */
export class SessionKeyCipher implements SecretCipher {
  private readonly key: Buffer;
  private readonly persistent: boolean;

  constructor(providedKeyHex?: string) {
    if (providedKeyHex !== undefined && providedKeyHex !== '') {
      if (!/^[0-9a-fA-F]{64}$/.test(providedKeyHex)) throw new Error('ONAIR_VAULT_KEY must be 64 hex digits (32 bytes).');
      this.key = Buffer.from(providedKeyHex, 'hex');
      this.persistent = true;
    } else {
      this.key = randomBytes(32);
      this.persistent = false;
    }
  }

  async status(): Promise<VaultStatus> {
    return { available: true, backend: this.persistent ? 'env-key' : 'session-key', persistent: this.persistent };
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async decrypt(ciphertext: string): Promise<{ value: string; shouldReEncrypt: boolean }> {
    const raw = Buffer.from(ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const value = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return { value, shouldReEncrypt: false };
  }
}
