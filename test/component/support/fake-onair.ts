import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { OnAirApi } from '../../../src/shared/api-surface';
import type { EventName, EventPayloadOf } from '../../../src/shared/contract';
import { type BroadcastStatus, IDLE_BROADCAST } from '../../../src/shared/domain';
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
