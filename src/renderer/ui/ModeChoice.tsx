import { MODES, type Mode } from '../../shared/settings';

export interface ModeChoiceProps {
  /** The radio group's name (unique per form). */
  name: string;
  legend: string;
  value: Mode;
  /** The title and one-sentence explanation shown for each mode. */
  texts: Record<Mode, { title: string; body: string }>;
  onChange: (mode: Mode) => void;
}

/** Local or Twilio, as two labelled cards: used by the first run and by Settings. */
export function ModeChoice({ name, legend, value, texts, onChange }: ModeChoiceProps) {
  return (
    <fieldset className="modes">
      <legend>{legend}</legend>
      {MODES.map((mode) => (
        <label key={mode} className={value === mode ? 'mode-option chosen' : 'mode-option'}>
          <input type="radio" name={name} value={mode} checked={value === mode} onChange={() => onChange(mode)} />
          <span>
            <strong>{texts[mode].title}</strong>
            <small>{texts[mode].body}</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
