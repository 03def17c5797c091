import guestEn, { type GuestMessages } from '../shared/locales/guest-en';
import guestJa from '../shared/locales/guest-ja';

export type GuestLanguage = 'en' | 'ja';
const MESSAGES: Record<GuestLanguage, GuestMessages> = { en: guestEn, ja: guestJa };

export function initialGuestLanguage(): GuestLanguage {
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

export function guestMessages(language: GuestLanguage): GuestMessages {
  return MESSAGES[language];
}

/** Fills every `[data-text]` element with its message (a dotted path), as text, never as markup. */
export function applyTexts(root: ParentNode, messages: GuestMessages): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-text]')) {
    const text = lookup(messages, element.dataset.text ?? '');
    if (text !== null) element.textContent = text;
  }
}

export function lookup(messages: GuestMessages, path: string): string | null {
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], messages);
  return typeof value === 'string' ? value : null;
}
