import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, rememberLanguage } from '../i18n';
import { SettingsScreen } from '../settings/SettingsScreen';
import { StudioScreen } from '../studio/StudioScreen';

const TABS = ['studio', 'settings'] as const;
type Tab = (typeof TABS)[number];

export function App() {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<Tab>('studio');

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <nav role="tablist" aria-label={t('app.title')}>
          {TABS.map((name) => (
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
      <main id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'studio' ? <StudioScreen /> : <SettingsScreen />}
      </main>
    </div>
  );
}
