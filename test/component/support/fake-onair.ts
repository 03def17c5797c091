import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { OnAirApi } from '../../../src/shared/api-surface';
import type { EventName, EventPayloadOf } from '../../../src/shared/contract';
import {
  DESTINATION_PRESET_DEFAULTS,
  type DestinationAddRequest,
  type DestinationRuntime,
  type DestinationsSnapshot,
  type DestinationUpdateRequest,
  type DestinationView,
  IDLE_DESTINATION_HEALTH,
} from '../../../src/shared/destinations';
import { type BroadcastStatus, IDLE_BROADCAST } from '../../../src/shared/broadcast';
import type { FieldIssue } from '../../../src/shared/errors';
import en from '../../../src/shared/locales/en';
import ja from '../../../src/shared/locales/ja';

export async function setupTestI18n(language: 'en' | 'ja' = 'en') {
  if (!i18next.isInitialized) {
    await i18next.use(initReactI18next).init({
      resources: { en: { translation: en }, ja: { translation: ja } },
      lng: language,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
    });
  }
  await i18next.changeLanguage(language);
}

export const IDLE: BroadcastStatus = IDLE_BROADCAST;

type Handler = (request?: unknown) => Promise<unknown>;

/**
 * A stand-in for `window.onair`: every call answers from `handlers` (an envelope
 * or a value to wrap), and `emit` delivers events like main does.
 */
export function installFakeOnair(handlers: Record<string, Handler>) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<{ channel: string; request: unknown }> = [];
  const proxy = new Proxy(
    {},
    {
      get(_target, namespace: string) {
        if (namespace === 'on') {
          return (event: string, listener: (payload: unknown) => void) => {
            if (!listeners.has(event)) listeners.set(event, new Set());
            listeners.get(event)!.add(listener);
            return () => listeners.get(event)!.delete(listener);
          };
        }
        return new Proxy(
          {},
          {
            get(_inner, method: string) {
              return async (request?: unknown) => {
                const channel = `${namespace}.${method}`;
                calls.push({ channel, request });
                const handler = handlers[channel];
                if (!handler) return { ok: false, error: { code: 'ipc.unknown_channel', message: channel } };
                try {
                  return { ok: true, value: await handler(request) };
                } catch (error) {
                  return { ok: false, error };
                }
              };
            },
          },
        );
      },
    },
  );
  Object.defineProperty(window, 'onair', { value: proxy as OnAirApi, configurable: true, writable: true });
  return {
    calls,
    emit<E extends EventName>(event: E, payload: EventPayloadOf<E>) {
      listeners.get(event)?.forEach((listener) => listener(payload));
    },
  };
}

/** A promise with its resolve/reject outside: the test decides when main answers. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A destination view as main sends it (never a key). */
export function destinationView(overrides: Partial<DestinationView> & { id: string }): DestinationView {
  return {
    name: 'YouTube',
    presetId: 'youtube',
    serverUrl: 'rtmps://a.rtmps.youtube.com:443/live2',
    enabled: true,
    keyConfigured: true,
    keyHint: '••••abcd',
    ...overrides,
  };
}

/** What one destination's output reports, `at` now unless given. */
export function destinationRuntime(overrides: Partial<DestinationRuntime> = {}): DestinationRuntime {
  return { state: 'off', attempt: null, nextTryInMs: null, reason: null, at: Date.now(), health: { ...IDLE_DESTINATION_HEALTH }, ...overrides };
}

/**
 * The `destinations.*` channels over an in-memory list, as main answers them: keys go into
 * `keys` (what main's vault would hold) and only a masked hint comes back. `invalid` makes the
 * next add/update fail with these field issues, as main's validation does.
 */
export function fakeDestinations(initial: DestinationView[] = []) {
  const state = {
    live: false,
    destinations: [...initial],
    runtime: {} as Record<string, DestinationRuntime>,
    keys: new Map<string, string>(),
    invalid: null as FieldIssue[] | null,
  };
  let next = 1;
  const snapshot = (): DestinationsSnapshot => ({ live: state.live, destinations: state.destinations.map((destination) => ({ ...destination })), runtime: { ...state.runtime } });
  const hint = (key: string) => (key.length >= 16 ? `••••${key.slice(-4)}` : '••••');
  const refuse = () => {
    const issues = state.invalid;
    state.invalid = null;
    if (issues) throw { code: 'destination.invalid', message: 'The destination is not valid.', details: { issues } };
  };
  const handlers: Record<string, Handler> = {
    'destinations.list': async () => snapshot(),
    'destinations.add': async (request) => {
      refuse();
      const { name, presetId, serverUrl, streamKey, enabled } = request as DestinationAddRequest;
      const id = `d${next++}`;
      if (streamKey !== undefined) state.keys.set(id, streamKey);
      const view: DestinationView = {
        id,
        name: name.trim(),
        presetId,
        serverUrl: serverUrl || DESTINATION_PRESET_DEFAULTS[presetId].serverUrl || '',
        enabled: enabled ?? true,
        keyConfigured: streamKey !== undefined,
        keyHint: streamKey !== undefined ? hint(streamKey) : null,
      };
      state.destinations.push(view);
      return view;
    },
    'destinations.update': async (request) => {
      refuse();
      const { id, streamKey, serverUrl, ...rest } = request as DestinationUpdateRequest;
      const current = state.destinations.find((destination) => destination.id === id);
      if (!current) throw { code: 'destination.not_found', message: 'not found' };
      if (streamKey !== undefined) state.keys.set(id, streamKey);
      const view: DestinationView = {
        ...current,
        ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
        ...(serverUrl !== undefined ? { serverUrl: serverUrl || DESTINATION_PRESET_DEFAULTS[rest.presetId ?? current.presetId].serverUrl || '' } : {}),
        ...(streamKey !== undefined ? { keyConfigured: true, keyHint: hint(streamKey) } : {}),
      };
      state.destinations = state.destinations.map((destination) => (destination.id === id ? view : destination));
      return view;
    },
    'destinations.remove': async (request) => {
      const { id } = request as { id: string };
      state.destinations = state.destinations.filter((destination) => destination.id !== id);
      state.keys.delete(id);
      delete state.runtime[id];
      return snapshot();
    },
    'destinations.reconnect': async (request) => {
      const { id } = request as { id: string };
      const runtime = destinationRuntime({ state: 'connecting', attempt: (state.runtime[id]?.attempt ?? 0) + 1 });
      state.runtime[id] = runtime;
      return runtime;
    },
  };
  return { state, snapshot, handlers };
}
