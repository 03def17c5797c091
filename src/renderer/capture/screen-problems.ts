import type { ErrorCode } from '../../shared/errors';

export type ScreenProblem = 'denied' | 'system_denied' | 'unsupported' | 'busy' | 'other';

/**
 * getDisplayMedia's and the picker's failures, as what the user can do about them. Chromium says
 * "Permission denied by system" when the OS (macOS Screen Recording) refused, and plain
 * "Permission denied" when the user cancelled its picker.
 */
export function screenProblemOf(error: unknown): { problem: ScreenProblem; name: string } {
  const name = error instanceof DOMException || error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error || error instanceof DOMException ? error.message : '';
  switch (name) {
    case 'NotAllowedError':
      return { problem: /system/i.test(message) ? 'system_denied' : 'denied', name };
    case 'SecurityError':
      return { problem: 'denied', name };
    case 'NotFoundError':
    case 'NotReadableError':
    case 'AbortError':
      return { problem: 'busy', name };
    case 'NotSupportedError':
      return { problem: 'unsupported', name };
    default:
      return { problem: 'other', name };
  }
}

/** A refusal from main's picker (`capture.*`), as a problem; null: not a refusal the user can act on here. */
export function problemOfCode(code: ErrorCode): ScreenProblem | null {
  if (code === 'capture.screen_denied') return 'system_denied';
  return null;
}
