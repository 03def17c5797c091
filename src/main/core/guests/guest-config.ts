import { defaultGuestsConfig, type GuestsConfig, type GuestsConfigPatch, guestsConfigSchema } from '../../../shared/guests';
import type { KeyValueStore } from '../settings/ports';

/** Where the guests' settings live in the studio's store. */
const STORE_KEY = 'guests';

/** The guests' settings: Share on my network (off by default), its listen address and port, the most guests at once. */
export class GuestConfigStore {
  constructor(private readonly store: KeyValueStore) {}

  read(): GuestsConfig {
    const parsed = guestsConfigSchema.safeParse({ ...defaultGuestsConfig(), ...(asRecord(this.store.get(STORE_KEY)) ?? {}) });
    return parsed.success ? parsed.data : defaultGuestsConfig();
  }

  /** `patch` is already checked by the contract's schema. */
  update(patch: GuestsConfigPatch): GuestsConfig {
    const next = guestsConfigSchema.parse({ ...this.read(), ...patch });
    this.store.set(STORE_KEY, next);
    return next;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
