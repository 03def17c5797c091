import { type KeyboardEvent, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaptureSource } from '../../shared/capture';
import { Dialog } from '../ui/Dialog';

export interface ScreenSourcePickerProps {
  sources: CaptureSource[];
  systemAudio: boolean;
  onChoose: (id: string) => void;
  onCancel: () => void;
}

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * The studio's own picker (desktop app): screens, then windows, each a button with its thumbnail
 * and name. Tab or the arrow keys move between them, Enter or Space shares, Escape cancels.
 */
export function ScreenSourcePicker({ sources, systemAudio, onChoose, onCancel }: ScreenSourcePickerProps) {
  const { t } = useTranslation();
  const grid = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = STEP[event.key];
    if (!step || !grid.current) return;
    const tiles = [...grid.current.querySelectorAll<HTMLButtonElement>('button.screen-source')];
    const at = tiles.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    tiles[(at + step + tiles.length) % tiles.length]?.focus();
  };
  const group = (kind: CaptureSource['kind'], heading: string) => {
    const listed = sources.filter((source) => source.kind === kind);
    if (listed.length === 0) return null;
    return (
      <section className="screen-source-group" aria-label={heading}>
        <h3>{heading}</h3>
        <div className="screen-source-grid">
          {listed.map((source) => (
            <button
              key={source.id}
              type="button"
              className="screen-source"
              data-testid="screen-source"
              data-autofocus={source === sources[0] ? true : undefined}
              onClick={() => onChoose(source.id)}
            >
              {source.thumbnail ? <img src={source.thumbnail} alt="" /> : <span className="screen-source-blank" aria-hidden="true" />}
              <span className="screen-source-name">
                {source.icon && <img className="screen-source-icon" src={source.icon} alt="" />}
                {source.name}
              </span>
            </button>
          ))}
        </div>
      </section>
    );
  };
  return (
    <Dialog
      title={t('screenShare.pickerTitle')}
      onCancel={onCancel}
      testId="screen-source-picker"
      actions={
        <button type="button" onClick={onCancel}>
          {t('screenShare.cancel')}
        </button>
      }
    >
      <p>{t('screenShare.pickerHelp')}</p>
      {systemAudio && <p>{t('screenShare.systemAudio')}</p>}
      <div ref={grid} onKeyDown={onKeyDown}>
        {sources.length === 0 ? (
          <p role="status">{t('screenShare.none')}</p>
        ) : (
          <>
            {group('screen', t('screenShare.screens'))}
            {group('window', t('screenShare.windows'))}
          </>
        )}
      </div>
    </Dialog>
  );
}
