import { randomBytes } from 'node:crypto';
import {
  DESTINATION_PRESET_IDS,
  type DestinationAddRequest,
  type DestinationUpdateRequest,
  type DestinationView,
  MAX_DESTINATIONS,
} from '../../../shared/destinations';
import { type FieldIssue, StudioError } from '../../../shared/errors';
import { maskKey } from '../media/rtmp/mask';
import type { SecretVault } from '../settings/secret-vault';
import type { KeyValueStore } from '../settings/ports';
import { type DestinationIssue, type DestinationPresetId, validateDestination } from './presets';

/** Where the destinations (never their keys) are kept in the settings store. */
const STORE_KEY = 'destinations';

/** What is stored per destination. The key is in the vault as `destination:<id>`. */
export interface StoredDestination {
  id: string;
  name: string;
  presetId: DestinationPresetId;
  serverUrl: string;
  enabled: boolean;
  /** The masked hint shown for the key (`••••abcd`); null without a key. Never the key. */
  keyHint: string | null;
}

export type DestinationChange =
  | { kind: 'added'; destination: StoredDestination }
  | { kind: 'updated'; destination: StoredDestination; keyChanged: boolean; targetChanged: boolean }
  | { kind: 'removed'; id: string };

export const vaultName = (id: string): string => `destination:${id}`;

/**
 * The user's destinations: validated with `validateDestination()`, kept in the settings store,
 * each stream key only in the vault. What leaves main is `DestinationView` (keyConfigured and a
 * masked hint), never a key.
 */
export class DestinationService {
  private readonly listeners = new Set<(change: DestinationChange) => void>();
  /** Serialises writes so two quick edits never lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly vault: SecretVault,
  ) {}

  subscribe(listener: (change: DestinationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stored(): StoredDestination[] {
    const raw = this.store.get(STORE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(isStored);
  }

  find(id: string): StoredDestination | null {
    return this.stored().find((destination) => destination.id === id) ?? null;
  }

  list(): DestinationView[] {
    return this.stored().map((destination) => this.view(destination));
  }

  view(destination: StoredDestination): DestinationView {
    const keyConfigured = this.vault.has(vaultName(destination.id));
    return {
      id: destination.id,
      name: destination.name,
      presetId: destination.presetId,
      serverUrl: destination.serverUrl,
      enabled: destination.enabled,
      keyConfigured,
      keyHint: keyConfigured ? destination.keyHint : null,
    };
  }

  /** Main only: the key to publish with. Null when none is stored; `vault.unreadable` when it cannot be read. */
  streamKey(id: string): Promise<string | null> {
    return this.vault.get(vaultName(id));
  }

  add(request: DestinationAddRequest): Promise<DestinationView> {
    return this.serial(async () => {
      const all = this.stored();
      if (all.length >= MAX_DESTINATIONS) throw new StudioError('destination.limit', `At most ${MAX_DESTINATIONS} destinations can be kept.`);
      const valid = check({ presetId: request.presetId, name: request.name, serverUrl: request.serverUrl, streamKey: request.streamKey });
      const id = randomBytes(8).toString('hex');
      const destination: StoredDestination = {
        id,
        name: valid.name,
        presetId: valid.presetId,
        serverUrl: valid.serverUrl,
        enabled: request.enabled ?? true,
        keyHint: request.streamKey !== undefined ? maskKey(request.streamKey) : null,
      };
      // The key first: a destination never points at a key that failed to be stored.
      if (request.streamKey !== undefined) await this.vault.put(vaultName(id), request.streamKey);
      this.write([...all, destination]);
      this.emit({ kind: 'added', destination });
      return this.view(destination);
    });
  }

  update(request: DestinationUpdateRequest): Promise<DestinationView> {
    return this.serial(async () => {
      const all = this.stored();
      const current = all.find((destination) => destination.id === request.id);
      if (!current) throw notFound();
      const presetId = request.presetId ?? current.presetId;
      // A new platform without a server: that platform's own server.
      const serverUrl = request.serverUrl !== undefined ? request.serverUrl : request.presetId && request.presetId !== current.presetId ? null : current.serverUrl;
      const valid = check({ presetId, name: request.name ?? current.name, serverUrl, streamKey: request.streamKey });
      const keyChanged = request.streamKey !== undefined;
      const next: StoredDestination = {
        ...current,
        name: valid.name,
        presetId: valid.presetId,
        serverUrl: valid.serverUrl,
        enabled: request.enabled ?? current.enabled,
        keyHint: keyChanged ? maskKey(request.streamKey as string) : current.keyHint,
      };
      if (keyChanged) await this.vault.put(vaultName(current.id), request.streamKey as string);
      this.write(all.map((destination) => (destination.id === current.id ? next : destination)));
      const targetChanged = keyChanged || next.serverUrl !== current.serverUrl;
      this.emit({ kind: 'updated', destination: next, keyChanged, targetChanged });
      return this.view(next);
    });
  }

  setEnabled(id: string, enabled: boolean): Promise<DestinationView> {
    return this.update({ id, enabled });
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const all = this.stored();
      if (!all.some((destination) => destination.id === id)) throw notFound();
      this.write(all.filter((destination) => destination.id !== id));
      this.vault.delete(vaultName(id));
      this.emit({ kind: 'removed', id });
    });
  }

  private write(all: StoredDestination[]): void {
    this.store.set(STORE_KEY, all);
  }

  private emit(change: DestinationChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }
}

function notFound(): StudioError {
  return new StudioError('destination.not_found', 'There is no destination with this id.');
}

/** Validates; without a key (kept or added later) the key's own checks are skipped. */
function check(input: { presetId: string; name: string; serverUrl?: string | null; streamKey?: string }): {
  presetId: DestinationPresetId;
  name: string;
  serverUrl: string;
} {
  const result = validateDestination({ presetId: input.presetId, name: input.name, serverUrl: input.serverUrl, streamKey: input.streamKey ?? 'placeholder-key' });
  if (result.ok) return result.value;
  const issues = result.issues.filter((issue) => input.streamKey !== undefined || issue.field !== 'streamKey');
  if (issues.length === 0) throw new StudioError('internal', 'Destination validation disagreed with itself.');
  throw invalid(issues);
}

function invalid(issues: DestinationIssue[]): StudioError {
  const fieldIssues: FieldIssue[] = issues.map((issue) => ({ path: issue.field, messageKey: `errors.${issue.code}` }));
  // Codes only: the message and details never carry what the user typed.
  return new StudioError('destination.invalid', `The destination is not valid: ${issues.map((issue) => issue.code).join(', ')}.`, {
    issues: fieldIssues,
    reason: issues[0]?.code,
  });
}

function isStored(value: unknown): value is StoredDestination {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<StoredDestination>;
  return (
    typeof candidate.id === 'string' &&
    /^[0-9a-f]{1,64}$/.test(candidate.id) &&
    typeof candidate.name === 'string' &&
    typeof candidate.presetId === 'string' &&
    (DESTINATION_PRESET_IDS as readonly string[]).includes(candidate.presetId) &&
    typeof candidate.serverUrl === 'string' &&
    typeof candidate.enabled === 'boolean' &&
    (candidate.keyHint === null || typeof candidate.keyHint === 'string')
  );
}
