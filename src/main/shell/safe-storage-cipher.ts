import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/settings/ports';
import type { VaultStatus } from '../../shared/settings';

/** The OS keyring through Electron's asynchronous safeStorage API. */
export function safeStorageCipher(): SecretCipher {
  return {
    async status(): Promise<VaultStatus> {
      const available = await safeStorage.isAsyncEncryptionAvailable();
      const backend =
        process.platform === 'linux'
          ? safeStorage.getSelectedStorageBackend()
          : process.platform === 'darwin'
            ? 'keychain'
            : 'dpapi';
      // basic_text means a hard-coded key: as good as plain text, so it counts as no keyring.
      return { available: available && backend !== 'basic_text' && backend !== 'unknown', backend, persistent: true };
    },
    async encrypt(plain) {
      return (await safeStorage.encryptStringAsync(plain)).toString('base64');
    },
    async decrypt(ciphertext) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(ciphertext, 'base64'));
      return { value: result, shouldReEncrypt };
    },
  };
}
