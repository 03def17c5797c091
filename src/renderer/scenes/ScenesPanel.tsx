import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FADE_MS_MAX, FADE_MS_MIN, MAX_NAME_LENGTH, MAX_SCENES, SCENE_PRESETS, type ScenePreset, type ScenesDoc } from '../../shared/scenes';
import { TAKE_KEY } from '../app/shortcuts';
import { Dialog } from '../ui/Dialog';
import { addScene, canAddScene, chooseScene, HOTKEY_SCENES, moveScene, removeScene, renameScene, setStudioMode, setTransition, studioMode, take } from './scene-model';

const CARD_TITLES: Partial<Record<ScenePreset, 'starting_soon' | 'be_right_back'>> = { starting_soon: 'starting_soon', be_right_back: 'be_right_back' };

export interface ScenesPanelProps {
  doc: ScenesDoc;
  change: (edit: (doc: ScenesDoc) => ScenesDoc) => void;
}

/** The scene list (hotkey numbers, on air / preview), add from a preset, rename, reorder, delete; the transition; studio mode and Take. */
export function ScenesPanel({ doc, change }: ScenesPanelProps) {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<ScenePreset>('screen_pip');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const presetId = useId();
  const fadeId = useId();
  const studio = studioMode(doc);
  const last = doc.scenes.length <= 1;

  const add = () => {
    const card = CARD_TITLES[preset];
    change((current) => addScene(current, preset, t(`scenes.presets.${preset}`), card ? t(`scenes.titles.${card}`) : undefined));
  };

  return (
    <section className="card scenes-panel" aria-labelledby="scenes-heading" data-testid="scenes-panel">
      <header className="card-head">
        <h2 id="scenes-heading">{t('scenes.heading')}</h2>
        <span className="spacer" />
        <label className="check" title={t('scenes.studioModeHelp')}>
          <input type="checkbox" checked={studio} onChange={(event) => change((current) => setStudioMode(current, event.target.checked))} />
          {t('scenes.studioMode')}
        </label>
        {studio && (
          <button
            type="button"
            className="take"
            data-testid="take-button"
            disabled={doc.previewSceneId === doc.programSceneId}
            onClick={() => change(take)}
            aria-keyshortcuts={TAKE_KEY}
            title={t('scenes.takeHelp', { key: TAKE_KEY })}
          >
            {t('scenes.take')}
          </button>
        )}
      </header>
      <ol className="scene-list" aria-label={t('scenes.hotkeysHelp')}>
        {doc.scenes.map((scene, index) => {
          const onAir = scene.id === doc.programSceneId;
          const inPreview = studio && scene.id === doc.previewSceneId;
          const number = index + 1;
          return (
            <li key={scene.id} title={onAir ? t('scenes.onAir') : inPreview ? t('scenes.inPreview') : undefined} className={['scene-row', onAir ? 'on-air' : '', inPreview ? 'in-preview' : ''].join(' ').trim()} data-testid="scene-row">
              {renaming?.id === scene.id ? (
                <form
                  className="scene-rename"
                  onSubmit={(event) => {
                    event.preventDefault();
                    change((current) => renameScene(current, scene.id, renaming.name));
                    setRenaming(null);
                  }}
                >
                  <input
                    aria-label={t('scenes.nameLabel')}
                    value={renaming.name}
                    maxLength={MAX_NAME_LENGTH}
                    autoFocus
                    onChange={(event) => setRenaming({ id: scene.id, name: event.target.value })}
                    onKeyDown={(event) => event.key === 'Escape' && setRenaming(null)}
                  />
                  <button type="submit" disabled={!renaming.name.trim()}>
                    {t('scenes.save')}
                  </button>
                  <button type="button" className="link" onClick={() => setRenaming(null)}>
                    {t('scenes.cancel')}
                  </button>
                </form>
              ) : (
                <>
                  <button
                    type="button"
                    className="scene-choose"
                    aria-pressed={studio ? inPreview : onAir}
                    aria-keyshortcuts={number <= HOTKEY_SCENES ? String(number) : undefined}
                    onClick={() => change((current) => chooseScene(current, scene.id))}
                  >
                    {number <= HOTKEY_SCENES && (
                      <kbd className="scene-key" title={t('scenes.hotkey', { n: number })}>
                        {number}
                      </kbd>
                    )}
                    <span className="scene-name">{scene.name}</span>
                    {onAir && <span className="visually-hidden">{t('scenes.onAir')}</span>}
                    {inPreview && <span className="visually-hidden">{t('scenes.inPreview')}</span>}
                  </button>
                  <span className="row-actions">
                    <button type="button" className="icon" aria-label={`${t('scenes.moveUp')}: ${scene.name}`} title={t('scenes.moveUp')} disabled={index === 0} onClick={() => change((current) => moveScene(current, scene.id, index - 1))}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon"
                      aria-label={`${t('scenes.moveDown')}: ${scene.name}`}
                      title={t('scenes.moveDown')}
                      disabled={index === doc.scenes.length - 1}
                      onClick={() => change((current) => moveScene(current, scene.id, index + 1))}
                    >
                      ↓
                    </button>
                    <button type="button" className="icon" aria-label={`${t('scenes.rename')}: ${scene.name}`} title={t('scenes.rename')} onClick={() => setRenaming({ id: scene.id, name: scene.name })}>
                      ✎
                    </button>
                    <button
                      type="button"
                      className="icon danger"
                      aria-label={`${t('scenes.remove')}: ${scene.name}`}
                      title={last ? t('scenes.lastScene') : t('scenes.remove')}
                      disabled={last}
                      onClick={() => setRemoving({ id: scene.id, name: scene.name })}
                    >
                      ✕
                    </button>
                  </span>
                </>
              )}
            </li>
          );
        })}
      </ol>
      <div className="scenes-foot">
        <label htmlFor={presetId} className="visually-hidden">
          {t('scenes.addPreset')}
        </label>
        <select id={presetId} value={preset} onChange={(event) => setPreset(event.target.value as ScenePreset)}>
          {SCENE_PRESETS.map((name) => (
            <option key={name} value={name}>
              {t(`scenes.presets.${name}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={add} disabled={!canAddScene(doc)} title={canAddScene(doc) ? undefined : t('scenes.full', { max: MAX_SCENES })}>
          {t('scenes.add')}
        </button>
        <fieldset className="transition">
          <legend className="visually-hidden">{t('scenes.transition')}</legend>
          <label className="check">
            <input type="radio" name="scene-transition" checked={doc.transition.kind === 'cut'} onChange={() => change((current) => setTransition(current, 'cut'))} />
            {t('scenes.cut')}
          </label>
          <label className="check">
            <input type="radio" name="scene-transition" checked={doc.transition.kind === 'fade'} onChange={() => change((current) => setTransition(current, 'fade'))} />
            {t('scenes.fade')}
          </label>
          <label htmlFor={fadeId} className="visually-hidden">
            {t('scenes.fadeMs')}
          </label>
          <input
            id={fadeId}
            className="fade-ms"
            type="number"
            min={FADE_MS_MIN}
            max={FADE_MS_MAX}
            step={100}
            title={t('scenes.fadeMs')}
            disabled={doc.transition.kind !== 'fade'}
            value={doc.transition.durationMs}
            onChange={(event) => {
              const ms = Number(event.target.value);
              if (Number.isFinite(ms) && ms >= FADE_MS_MIN && ms <= FADE_MS_MAX) change((current) => setTransition(current, 'fade', ms));
            }}
          />
        </fieldset>
      </div>
      {removing && (
        <Dialog
          title={t('scenes.remove')}
          onCancel={() => setRemoving(null)}
          testId="scene-remove-dialog"
          actions={
            <>
              <button type="button" onClick={() => setRemoving(null)} data-autofocus>
                {t('scenes.cancel')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  change((current) => removeScene(current, removing.id));
                  setRemoving(null);
                }}
              >
                {t('scenes.remove')}
              </button>
            </>
          }
        >
          <p>{t('scenes.removeConfirm', { name: removing.name })}</p>
        </Dialog>
      )}
    </section>
  );
}
