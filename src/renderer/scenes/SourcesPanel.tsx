import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Crop, MAX_ITEMS_PER_SCENE, MAX_TEXT_LENGTH, type Scene, type SceneItem, type ScenesDoc, SOURCE_KINDS, type SourceKind } from '../../shared/scenes';
import { readImageFile } from './image-file';
import { addItem, canAddItem, editItem, moveItem, removeItem, setCrop, setVisible } from './scene-model';

export interface SourcesPanelProps {
  scene: Scene;
  change: (edit: (doc: ScenesDoc) => ScenesDoc) => void;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

type Problem = { key: 'sources.imageTooLarge'; size: number; max: number } | { key: 'sources.imageUnreadable' } | null;

/** The edited scene's sources, top first as they are drawn: visibility, order, add, remove, and the selected one's text, colours and crop. */
export function SourcesPanel({ scene, change, selectedId, onSelect }: SourcesPanelProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SourceKind>('text');
  const [problem, setProblem] = useState<Problem>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const kindId = useId();
  const selected = scene.items.find((item) => item.id === selectedId) ?? null;
  const kindName = (item: SceneItem) => t(`sources.kinds.${item.kind}`);
  // The list shows the top item first; the model counts from the bottom.
  const listed = scene.items.map((item, index) => ({ item, index })).reverse();

  const add = () => {
    setProblem(null);
    if (kind === 'image') {
      fileRef.current?.click();
      return;
    }
    const name = t(`sources.kinds.${kind}`);
    change((doc) =>
      addItem(
        doc,
        scene.id,
        kind === 'text'
          ? { kind, name, text: t('sources.newText') }
          : kind === 'color'
            ? { kind, name, color: '#202830' }
            : kind === 'guest'
              ? { kind, name: t('sources.guestSlot', { n: 1 }), slot: 0 }
              : { kind, name },
      ),
    );
  };

  const addImage = async (file: File | undefined) => {
    if (!file) return;
    const read = await readImageFile(file);
    if (!read.ok) {
      setProblem(read.problem === 'tooLarge' ? { key: 'sources.imageTooLarge', size: read.sizeMb, max: read.maxMb } : { key: 'sources.imageUnreadable' });
      return;
    }
    change((doc) => addItem(doc, scene.id, { kind: 'image', name: file.name.replace(/\.[^.]+$/, '') || t('sources.kinds.image'), src: read.src }));
  };

  return (
    <section className="card sources-panel" aria-labelledby="sources-heading" data-testid="sources-panel">
      <header className="card-head">
        <h2 id="sources-heading" title={t('sources.of', { scene: scene.name })}>
          {t('sources.of', { scene: scene.name })}
        </h2>
      </header>
      {scene.items.length === 0 ? (
        <p className="hint">{t('sources.empty')}</p>
      ) : (
        <ul className="source-list">
          {listed.map(({ item, index }) => (
            <li key={item.id} className={item.id === selectedId ? 'source-row selected' : 'source-row'} data-testid="source-row">
              <input
                type="checkbox"
                checked={item.visible}
                aria-label={`${t('sources.visible')}: ${item.name}`}
                title={t('sources.visible')}
                onChange={(event) => change((doc) => setVisible(doc, scene.id, item.id, event.target.checked))}
              />
              <button type="button" className="source-name" aria-pressed={item.id === selectedId} onClick={() => onSelect(item.id === selectedId ? null : item.id)}>
                {t('sources.itemLabel', { name: item.name, kind: kindName(item) })}
              </button>
              <span className="row-actions">
                <button type="button" className="icon" aria-label={`${t('sources.moveUp')}: ${item.name}`} title={t('sources.moveUp')} disabled={index === scene.items.length - 1} onClick={() => change((doc) => moveItem(doc, scene.id, item.id, index + 1))}>
                  ↑
                </button>
                <button type="button" className="icon" aria-label={`${t('sources.moveDown')}: ${item.name}`} title={t('sources.moveDown')} disabled={index === 0} onClick={() => change((doc) => moveItem(doc, scene.id, item.id, index - 1))}>
                  ↓
                </button>
                <button
                  type="button"
                  className="icon danger"
                  aria-label={`${t('sources.remove')}: ${item.name}`}
                  title={t('sources.remove')}
                  onClick={() => {
                    if (item.id === selectedId) onSelect(null);
                    change((doc) => removeItem(doc, scene.id, item.id));
                  }}
                >
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {selected && <ItemEditor key={selected.id} sceneId={scene.id} item={selected} change={change} />}
      <div className="sources-foot">
        <label htmlFor={kindId} className="visually-hidden">
          {t('sources.addKind')}
        </label>
        <select id={kindId} value={kind} onChange={(event) => setKind(event.target.value as SourceKind)}>
          {SOURCE_KINDS.map((name) => (
            <option key={name} value={name}>
              {t(`sources.kinds.${name}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={add} disabled={!canAddItem(scene)} title={canAddItem(scene) ? undefined : t('sources.full', { max: MAX_ITEMS_PER_SCENE })}>
          {kind === 'image' ? t('sources.chooseImage') : t('sources.add')}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          hidden
          data-testid="image-file"
          onChange={(event) => {
            void addImage(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
      {problem && (
        <p className="problem inline" role="alert" data-testid="sources-problem">
          {problem.key === 'sources.imageTooLarge' ? t(problem.key, { size: problem.size, max: problem.max }) : t(problem.key)}
        </p>
      )}
    </section>
  );
}

const CROP_SIDES: Array<keyof Crop> = ['left', 'top', 'right', 'bottom'];

/** The selected source's own settings: text and colours for a text, the colour of a colour, and the crop of a camera, screen or image. */
function ItemEditor({ sceneId, item, change }: { sceneId: string; item: SceneItem; change: SourcesPanelProps['change'] }) {
  const { t } = useTranslation();
  const edit = (patch: Parameters<typeof editItem>[3]) => change((doc) => editItem(doc, sceneId, item.id, patch));
  return (
    <div className="item-editor" data-testid="item-editor">
      {item.kind === 'text' && (
        <>
          <label className="field-inline wide">
            <span>{t('sources.text')}</span>
            <input value={item.text} maxLength={MAX_TEXT_LENGTH} onChange={(event) => edit({ text: event.target.value })} />
          </label>
          <label className="field-inline">
            <span>{t('sources.textColor')}</span>
            <input type="color" value={item.color} onChange={(event) => edit({ color: event.target.value })} />
          </label>
          <label className="field-inline">
            <input type="checkbox" checked={item.background !== null} onChange={(event) => edit({ background: event.target.checked ? '#000000' : null })} />
            <span>{t('sources.background')}</span>
          </label>
          {item.background !== null && (
            <input type="color" aria-label={t('sources.background')} value={item.background} onChange={(event) => edit({ background: event.target.value })} />
          )}
          <label className="field-inline">
            <span>{t('sources.size')}</span>
            <input type="range" min={2} max={30} value={Math.round(item.size * 100)} onChange={(event) => edit({ size: Number(event.target.value) / 100 })} />
          </label>
        </>
      )}
      {item.kind === 'color' && (
        <label className="field-inline">
          <span>{t('sources.color')}</span>
          <input type="color" value={item.color} onChange={(event) => edit({ color: event.target.value })} />
        </label>
      )}
      {(item.kind === 'camera' || item.kind === 'screen' || item.kind === 'guest' || item.kind === 'image') && (
        <fieldset className="crop">
          <legend>{t('sources.crop')}</legend>
          {CROP_SIDES.map((side) => (
            <label key={side} className="field-inline">
              <span>{t(`sources.cropSides.${side}`)}</span>
              <input
                type="number"
                min={0}
                max={90}
                step={1}
                value={Math.round(item.crop[side] * 100)}
                onChange={(event) => {
                  const percent = Number(event.target.value);
                  if (Number.isFinite(percent)) change((doc) => setCrop(doc, sceneId, item.id, { ...item.crop, [side]: percent / 100 }));
                }}
              />
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
