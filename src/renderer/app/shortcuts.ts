import { useEffect, useRef } from 'react';

export type ShortcutName = 'goLive' | 'stop' | 'mute';

/** Ctrl+Shift (⌘⇧ on macOS) plus a letter: never a single key, so typing never triggers one. */
export const SHORTCUT_KEYS: Record<ShortcutName, string> = { goLive: 'L', stop: 'S', mute: 'M' };

export const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The text people read, e.g. `Ctrl+Shift+L` or `⌘⇧L`. */
export const shortcutLabel = (name: ShortcutName) => (isMac() ? `⌘⇧${SHORTCUT_KEYS[name]}` : `Ctrl+Shift+${SHORTCUT_KEYS[name]}`);

/** For `aria-keyshortcuts`. */
export const shortcutAria = (name: ShortcutName) => `${isMac() ? 'Meta' : 'Control'}+Shift+${SHORTCUT_KEYS[name]}`;

export function shortcutOf(event: KeyboardEvent): ShortcutName | null {
  const modifier = isMac() ? event.metaKey : event.ctrlKey;
  if (!modifier || !event.shiftKey || event.altKey || event.repeat) return null;
  const key = event.key.toUpperCase();
  return (Object.keys(SHORTCUT_KEYS) as ShortcutName[]).find((name) => SHORTCUT_KEYS[name] === key) ?? null;
}

/** Window-wide shortcuts; a handler that is `null` (cannot act now) is skipped. */
export function useShortcuts(handlers: Partial<Record<ShortcutName, (() => void) | null>>) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const name = shortcutOf(event);
      if (!name) return;
      // A modal dialog owns the keyboard while it is open.
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const handler = ref.current[name];
      event.preventDefault();
      handler?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
