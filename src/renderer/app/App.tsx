import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, rememberLanguage } from '../i18n';
import { FirstRun } from '../setup/FirstRun';
import { isFirstRunDone, markFirstRunDone } from '../setup/first-run';
import { SettingsScreen } from '../settings/SettingsScreen';
import { StudioScreen } from '../studio/StudioScreen';
import { type ShortcutName, shortcutLabel, TAKE_KEY } from './shortcuts';

const TABS = ['studio', 'settings'] as const;
type Tab = (typeof TABS)[number];
const SHORTCUTS: ShortcutName[] = ['goLive', 'stop', 'mute'];

export function App() {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<Tab>('studio');
  const [setUp, setSetUp] = useState(isFirstRunDone);

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <nav role="tablist" aria-label={t('app.title')}>
          {setUp &&
            TABS.map((name) => (
              <button
                key={name}
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`tabpanel-${name}`}
                className={tab === name ? 'tab active' : 'tab'}
                onClick={() => setTab(name)}
              >
                {t(`app.tabs.${name}`)}
              </button>
            ))}
        </nav>
        <details className="shortcuts-help">
          <summary>{t('shortcuts.title')}</summary>
          <dl>
            {SHORTCUTS.map((name) => (
              <div key={name}>
                <dt>
                  <kbd>{shortcutLabel(name)}</kbd>
                </dt>
                <dd>{t(`shortcuts.${name}`)}</dd>
              </div>
            ))}
            <div>
              <dt>
                <kbd>1</kbd>–<kbd>9</kbd>
              </dt>
              <dd>{t('shortcuts.scenes')}</dd>
            </div>
            <div>
              <dt>
                <kbd>{TAKE_KEY}</kbd>
              </dt>
              <dd>{t('shortcuts.take')}</dd>
            </div>
          </dl>
        </details>
        <label className="language">
          <span>{t('app.language')}</span>
          <select value={i18n.language} onChange={(event) => rememberLanguage(event.target.value as Language)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {language === 'ja' ? '日本語' : 'English'}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="notice" role="note">
        {t('app.liveRetired')}
      </p>
      {setUp ? (
        <main id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
          {tab === 'studio' ? <StudioScreen /> : <SettingsScreen />}
        </main>
      ) : (
        <main>
          <FirstRun
            onDone={() => {
              markFirstRunDone();
              setSetUp(true);
              setTab('studio');
            }}
          />
        </main>
      )}
    </div>
  );
}
