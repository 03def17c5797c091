import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import type { ScenesDoc } from '../../shared/scenes';
import { asIpcError, unwrap } from '../ipc/client';
import { useSubscribeThenFetch } from '../ipc/use-subscribe-then-fetch';

/** How long edits gather before one `scenes.save` (a drag saves once it rests, not per pixel). */
export const SAVE_DELAY_MS = 300;

export interface ScenesControl {
  /** The document as the studio uses it now (edits show at once); null until loaded. */
  doc: ScenesDoc | null;
  /** Loading failed (the studio then shows the camera alone). */
  loadError: ErrorCode | null;
  /** The last save was refused (the document went back to main's). */
  saveError: ErrorCode | null;
  /** Applies a change (a `scene-model` function) now and saves it shortly after. */
  change: (edit: (doc: ScenesDoc) => ScenesDoc) => void;
  retry: () => void;
  dismissError: () => void;
}

/**
 * The scenes over IPC: loaded with `scenes.get`, saved debounced with `scenes.save`, kept fresh by
 * `scenes.changed` (another window) — except while an edit of this window waits to be saved, so
 * the echo of an older save never undoes a newer edit.
 */
export function useScenes(): ScenesControl {
  const [doc, setDoc] = useState<ScenesDoc | null>(null);
  const [loadError, setLoadError] = useState<ErrorCode | null>(null);
  const [saveError, setSaveError] = useState<ErrorCode | null>(null);
  const [attempt, setAttempt] = useState(0);
  const current = useRef<ScenesDoc | null>(null);
  /** The last document main accepted (what a refused save goes back to). */
  const saved = useRef<ScenesDoc | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saving = useRef(0);

  const show = useCallback((next: ScenesDoc) => {
    current.current = next;
    setDoc(next);
  }, []);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const next = current.current;
    if (!next || next === saved.current) return;
    saving.current += 1;
    unwrap(() => window.onair.scenes.save(next))
      .then((accepted) => {
        saved.current = accepted;
        setSaveError(null);
      })
      .catch((error: unknown) => {
        setSaveError(asIpcError(error).code);
        // Main kept its document; show it again unless a newer edit is on its way.
        if (current.current === next && saved.current) show(saved.current);
      })
      .finally(() => {
        saving.current -= 1;
      });
  }, [show]);

  useSubscribeThenFetch(
    'scenes.changed',
    () => window.onair.scenes.get(),
    {
      onEvent: (next) => {
        if (timer.current || saving.current > 0) return;
        saved.current = next;
        show(next);
      },
      onAnswer: (value) => {
        if (current.current) return;
        saved.current = value;
        setLoadError(null);
        show(value);
      },
      onError: (error) => setLoadError(error.code),
    },
    [attempt],
  );

  // Leaving the studio (or closing the window) saves what is pending.
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  const change = useCallback(
    (edit: (doc: ScenesDoc) => ScenesDoc) => {
      const before = current.current;
      if (!before) return;
      const next = edit(before);
      if (next === before) return;
      show(next);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush, show],
  );

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const dismissError = useCallback(() => setSaveError(null), []);

  return { doc, loadError, saveError, change, retry, dismissError };
}
