import type { VaultStatus } from '../../../shared/settings';

/** Where settings live. electron-store (desktop) and conf (harness, CLI) both fit as they are. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Encrypts the API secret at rest. Electron's safeStorage in the app; see node-cipher for the harness. */
export interface SecretCipher {
  status(): Promise<VaultStatus>;
  /** Returns base64 ciphertext. */
  encrypt(plain: string): Promise<string>;
  /** Throws when the ciphertext cannot be read (other machine, lost key). */
  decrypt(ciphertext: string): Promise<{ value: string; shouldReEncrypt: boolean }>;
}
