import { memo, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityEntry } from '../../shared/activity';
import { type ActivityFilter, domainsOf, filterActivity, isFailure } from './filter';

/**
 * Rows drawn at most (the newest): the feed keeps up to 500 calls, but a list of 500 rows in the page is
 * thousands of elements that every style and layout pass of the studio walks while it draws the program.
 * Older calls stay in the feed and are found through the filters.
 */
export const ACTIVITY_ROWS_SHOWN = 100;

const timeOf = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
};

/**
 * The live feed of REST calls, filterable by domain and to failures only. Memoised: it re-renders only
 * when an entry arrives or the filter changes, never because the studio around it did.
 */
export const ActivityPanel = memo(function ActivityPanel({ entries }: { entries: ActivityEntry[] }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<ActivityFilter>({ domain: 'all', errorsOnly: false });
  const shown = useMemo(() => filterActivity(entries, filter), [entries, filter]);
  const domains = useMemo(() => domainsOf(entries), [entries]);
  const domainId = useId();

  return (
    <section className="card activity" aria-labelledby="activity-heading">
      <header className="card-head">
        <h2 id="activity-heading">{t('activity.heading')}</h2>
        <span className="count" data-testid="activity-count">
          {t('activity.count', { shown: shown.length, total: entries.length })}
        </span>
      </header>
      <div className="activity-filters">
        <label htmlFor={domainId}>{t('activity.domain')}</label>
        <select id={domainId} value={filter.domain} onChange={(event) => setFilter({ ...filter, domain: event.target.value })}>
          <option value="all">{t('activity.allDomains')}</option>
          {domains.map((domain) => (
            <option key={domain} value={domain}>
              {domain}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={filter.errorsOnly} onChange={(event) => setFilter({ ...filter, errorsOnly: event.target.checked })} />
          {t('activity.errorsOnly')}
        </label>
      </div>
      <div className="activity-scroll" tabIndex={0} aria-label={t('activity.help')}>
        {shown.length === 0 ? (
          <p className="hint">{entries.length === 0 ? t('activity.empty') : t('activity.emptyFiltered')}</p>
        ) : (
          <ol className="activity-list" data-testid="activity-list">
            {shown.slice(0, ACTIVITY_ROWS_SHOWN).map((entry) => (
              <li key={entry.id} className={isFailure(entry) ? 'call failed' : 'call'} data-testid="activity-row">
                <span className="call-line">
                  <span className={`method m-${entry.method.toLowerCase()}`}>{entry.method}</span>
                  <span className="call-domain">{entry.domain}</span>
                  <span className="call-path" title={entry.path}>
                    {entry.path}
                  </span>
                </span>
                <span className="call-meta">
                  <time dateTime={entry.at}>{timeOf(entry.at)}</time>
                  <span className={`status s-${entry.status === null ? 'none' : String(entry.status)[0]}`}>
                    {entry.status === null ? t('activity.noResponse') : entry.status}
                  </span>
                  <span>{Math.round(entry.ms)} ms</span>
                  {entry.twilioCode !== undefined && <span className="code">{t('activity.code', { code: entry.twilioCode })}</span>}
                  {entry.attempt !== undefined && <span>{t('activity.retry', { n: entry.attempt })}</span>}
                </span>
              </li>
            ))}
          </ol>
        )}
        {shown.length > ACTIVITY_ROWS_SHOWN && (
          <p className="hint" data-testid="activity-older">
            {t('activity.older', { count: shown.length - ACTIVITY_ROWS_SHOWN })}
          </p>
        )}
      </div>
    </section>
  );
});
