import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GUEST_LAYOUTS, type GuestLayout } from '../../shared/guest-layouts';
import type { ScenesDoc } from '../../shared/scenes';
import { withGuestsScene } from './guests-scene';
import type { GuestsControl } from './use-guests';

const LAYOUT_KEY = 'onair.guestLayout';

function loadLayout(): GuestLayout {
  const saved = localStorage.getItem(LAYOUT_KEY);
  return (GUEST_LAYOUTS as readonly string[]).includes(saved ?? '') ? (saved as GuestLayout) : 'side_by_side';
}

export interface GuestsScene {
  layout: GuestLayout;
  setLayout: (layout: GuestLayout) => void;
  /** Puts a guest on stage and the Guests scene (host + everyone on stage) on air. */
  putOnStage: (guestId: string) => void;
}

/** The "Guests" scene kept laid out for the host and everyone on stage (side by side, grid or picture-in-picture). */
export function useGuestsScene(guests: GuestsControl, change: (edit: (doc: ScenesDoc) => ScenesDoc) => void): GuestsScene {
  const { t } = useTranslation();
  const [layout, setLayoutState] = useState<GuestLayout>(loadLayout);
  const onStage = guests.snapshot?.guests.filter((guest) => guest.stageSlot !== null).length ?? 0;
  const names = useMemo(() => ({ scene: t('guests.title'), camera: t('sources.kinds.camera'), guest: (slot: number) => t('sources.guestSlot', { n: slot + 1 }) }), [t]);

  useEffect(() => change((doc) => withGuestsScene(doc, layout, onStage, names, { create: false, toProgram: false })), [change, layout, onStage, names]);

  const setLayout = useCallback((next: GuestLayout) => {
    localStorage.setItem(LAYOUT_KEY, next);
    setLayoutState(next);
  }, []);

  const { act } = guests;
  const putOnStage = useCallback(
    (guestId: string) => {
      void act(guestId, 'stage').then((ok) => {
        if (ok) change((doc) => withGuestsScene(doc, layout, onStage + 1, names, { create: true, toProgram: true }));
      });
    },
    [act, change, layout, onStage, names],
  );

  return { layout, setLayout, putOnStage };
}
