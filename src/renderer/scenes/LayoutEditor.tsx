import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rect, Scene, ScenesDoc } from '../../shared/scenes';
import { setRect } from './scene-model';
import { type Guide, HANDLES, type Handle, nudge, snapMove, snapResize } from './snap';

export interface LayoutEditorProps {
  scene: Scene;
  change: (edit: (doc: ScenesDoc) => ScenesDoc) => void;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

type Drag = { itemId: string; handle: Handle | null; startX: number; startY: number; rect: Rect; others: Rect[] };

const percent = (value: number) => `${value * 100}%`;
const boxStyle = (rect: Rect) => ({ left: percent(rect.x), top: percent(rect.y), width: percent(rect.w), height: percent(rect.h) });

/**
 * The layout of a scene over its picture (a 16:9 box fitted into the preview): drag a source to
 * move it, drag a handle to resize it, both snapping to the frame's edges and centre and to the
 * other sources (guides show where); arrow keys nudge the focused source (Shift ×10, Alt resizes).
 * Every move is a `setRect` change, so the program follows while you drag.
 */
export function LayoutEditor({ scene, change, selectedId, onSelect }: LayoutEditorProps) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const [guides, setGuides] = useState<Guide[]>([]);
  const visible = scene.items.filter((item) => item.visible);

  const start = (event: PointerEvent, itemId: string, handle: Handle | null) => {
    if (event.button !== 0) return;
    const item = scene.items.find((candidate) => candidate.id === itemId);
    if (!item) return;
    event.stopPropagation();
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    onSelect(itemId);
    const others = visible.filter((other) => other.id !== itemId).map((other) => other.rect);
    drag.current = { itemId, handle, startX: event.clientX, startY: event.clientY, rect: item.rect, others };
  };

  const move = (event: PointerEvent) => {
    const current = drag.current;
    const box = frame.current?.getBoundingClientRect();
    if (!current || !box || box.width === 0 || box.height === 0) return;
    const dx = (event.clientX - current.startX) / box.width;
    const dy = (event.clientY - current.startY) / box.height;
    const snapped = current.handle ? snapResize(current.rect, current.handle, dx, dy, current.others) : snapMove(current.rect, dx, dy, current.others);
    setGuides(snapped.guides);
    change((doc) => setRect(doc, scene.id, current.itemId, snapped.rect));
  };

  const end = () => {
    drag.current = null;
    setGuides([]);
  };

  const onKey = (event: KeyboardEvent, itemId: string, rect: Rect) => {
    const next = nudge(rect, event.key, event.shiftKey, event.altKey);
    if (!next) return;
    event.preventDefault();
    event.stopPropagation();
    change((doc) => setRect(doc, scene.id, itemId, next));
  };

  return (
    <div
      ref={frame}
      className="layout-editor"
      role="group"
      aria-label={t('sources.layoutLabel', { scene: scene.name })}
      title={t('sources.layoutHelp')}
      data-testid="layout-editor"
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      onPointerDown={(event) => event.target === event.currentTarget && onSelect(null)}
    >
      {visible.map((item) => {
        const selected = item.id === selectedId;
        return (
          <div
            key={item.id}
            className={selected ? 'layout-item selected' : 'layout-item'}
            style={boxStyle(item.rect)}
            role="button"
            tabIndex={0}
            aria-pressed={selected}
            aria-label={t('sources.itemLabel', { name: item.name, kind: t(`sources.kinds.${item.kind}`) })}
            aria-describedby={undefined}
            data-testid="layout-item"
            data-item={item.id}
            onPointerDown={(event) => start(event, item.id, null)}
            onFocus={() => onSelect(item.id)}
            onKeyDown={(event) => onKey(event, item.id, item.rect)}
          >
            {selected &&
              HANDLES.map((handle) => (
                <span
                  key={handle}
                  className={`layout-handle h-${handle}`}
                  aria-label={t('sources.handle', { name: item.name })}
                  data-handle={handle}
                  onPointerDown={(event) => start(event, item.id, handle)}
                />
              ))}
          </div>
        );
      })}
      {guides.map((guide) => (
        <span
          key={`${guide.axis}-${guide.at}`}
          className={`layout-guide ${guide.axis}`}
          data-testid="layout-guide"
          style={guide.axis === 'x' ? { left: percent(guide.at) } : { top: percent(guide.at) }}
        />
      ))}
    </div>
  );
}
