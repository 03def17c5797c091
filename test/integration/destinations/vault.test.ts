import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import { DestinationService } from '../../../src/main/core/destinations/destination-service';
import type { SecretCipher } from '../../../src/main/core/settings/ports';
import { SecretVault } from '../../../src/main/core/settings/secret-vault';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { StudioError } from '../../../src/shared/errors';

const KEY = 'live_vault_test_0123456789abcdef';

/** Linux without a keyring: safeStorage's `basic_text`. */
const noKeyring: SecretCipher = {
  status: async () => ({ available: false, backend: 'basic_text', persistent: false }),
  encrypt: async () => {
    throw new Error('must not be called');
  },
  decrypt: async () => {
    throw new Error('must not be called');
  },
};

describe('the vault of named secrets', () => {
  it('stores each secret encrypted under its name; get, has, delete', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(store, new SessionKeyCipher());
    await vault.put('destination:aa', KEY);
    await vault.put('destination:bb', 'another-secret-value');
    expect(vault.has('destination:aa')).toBe(true);
    expect(await vault.get('destination:aa')).toBe(KEY);
    expect(await vault.get('destination:cc')).toBeNull();
    expect(JSON.stringify(store.get('vaultSecrets'))).not.toContain(KEY);
    vault.delete('destination:aa');
    expect(vault.has('destination:aa')).toBe(false);
    expect(vault.names()).toEqual(['destination:bb']);
  });

  it('refuses to store without a secure backend, and keeps nothing', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(store, noKeyring);
    await expect(vault.put('destination:aa', KEY)).rejects.toMatchObject({ code: 'vault.unavailable', details: { reason: 'basic_text' } });
    expect(store.get('vaultSecrets')).toBeUndefined();

    // A destination with a key is then refused as a whole; without a key it may be kept.
    const destinations = new DestinationService(store, vault);
    await expect(destinations.add({ name: 'YouTube', presetId: 'youtube', streamKey: KEY })).rejects.toBeInstanceOf(StudioError);
    expect(destinations.list()).toEqual([]);
    const kept = await destinations.add({ name: 'YouTube', presetId: 'youtube' });
    expect(kept).toMatchObject({ keyConfigured: false, keyHint: null });
  });

  it('says when a stored secret cannot be read (another machine, a lost key) instead of returning garbage', async () => {
    const store = new MemoryStore();
    await new SecretVault(store, new SessionKeyCipher()).put('destination:aa', KEY);
    const elsewhere = new SecretVault(store, new SessionKeyCipher());
    expect(elsewhere.has('destination:aa')).toBe(true);
    await expect(elsewhere.get('destination:aa')).rejects.toMatchObject({ code: 'vault.unreadable' });
  });
});
