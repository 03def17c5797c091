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

/**
 * Studio keys: single keys for the scenes, as a vision mixer has them — 1–9 choose scene n, T takes
 * the preview to the program in studio mode. They only count while nothing takes typing: not in a
 * text field, a select, a textarea or an editable element, and never with Ctrl, ⌘ or Alt.
 */
export type StudioKey = { name: 'scene'; n: number } | { name: 'take' };
export const TAKE_KEY = 'T';

const NOT_TYPING_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

/** True when a key pressed at `target` types text (or picks an option) there. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable || element.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NOT_TYPING_INPUTS.has((element as HTMLInputElement).type);
}

export function studioKeyOf(event: KeyboardEvent): StudioKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTypingTarget(event.target)) return null;
  // The digit row or the keypad, whatever the layout (a key may not say "1" with an IME on).
  const digit = /^[1-9]$/.test(event.key) ? event.key : (/^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? null);
  if (digit && !event.shiftKey) return { name: 'scene', n: Number(digit) };
  if (!event.shiftKey && event.key.toUpperCase() === TAKE_KEY) return { name: 'take' };
  return null;
}

export type ShortcutHandlers = Partial<Record<ShortcutName, (() => void) | null>> & {
  /** Hotkeys 1–9. */
  scene?: ((n: number) => void) | null;
  take?: (() => void) | null;
};

/** Window-wide shortcuts; a handler that is `null` (cannot act now) is skipped. */
export function useShortcuts(handlers: ShortcutHandlers) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const name = shortcutOf(event);
      const studioKey = name ? null : studioKeyOf(event);
      if (!name && !studioKey) return;
      // A modal dialog owns the keyboard while it is open.
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      if (name) {
        const handler = ref.current[name];
        event.preventDefault();
        handler?.();
        return;
      }
      if (studioKey?.name === 'scene' && ref.current.scene) {
        event.preventDefault();
        ref.current.scene(studioKey.n);
      } else if (studioKey?.name === 'take' && ref.current.take) {
        event.preventDefault();
        ref.current.take();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
