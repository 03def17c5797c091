import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DestinationRuntime, DestinationView } from '../../shared/destinations';
import { asIpcError, type IpcCallError } from '../ipc/client';
import { Dialog } from '../ui/Dialog';
import { DestinationDialog } from './DestinationDialog';
import { canReconnect, needsEdit } from './health';
import { HealthBadge } from './HealthBadge';
import { type DestinationsController, useDestinations } from './use-destinations';

/**
 * The panel with its own subscription to main's destination snapshots: their health arrives every
 * second per output, and only this panel redraws for it (not the studio around it).
 */
export function LiveDestinationsPanel() {
  return <DestinationsPanel destinations={useDestinations()} />;
}

type Editing = { kind: 'add' } | { kind: 'edit'; destination: DestinationView } | null;

/**
 * Where the program goes besides the preview: every destination with its enable switch, its
 * health while live, Reconnect now, edit and remove.
 */
export function DestinationsPanel({ destinations }: { destinations: DestinationsController }) {
  const { t } = useTranslation();
  const { snapshot, loadError } = destinations;
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<DestinationView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<IpcCallError | null>(null);

  const runtimes = snapshot?.runtime ?? {};
  const list = snapshot?.destinations ?? [];

  const act = async (key: string, work: () => Promise<unknown>) => {
    setBusy(key);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(asIpcError(error));
    } finally {
      setBusy(null);
    }
  };

  const onCount = list.filter((destination) => destination.enabled).length;
  const problem = failure ?? loadError;

  return (
    <section className="card destinations" aria-labelledby="destinations-heading" data-testid="destinations-panel">
      <header className="card-head">
        <h2 id="destinations-heading">{t('destinations.heading')}</h2>
        {list.length > 0 && (
          <span className="count" data-testid="destinations-count">
            {t('destinations.count', { on: onCount, total: list.length })}
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="add-destination" onClick={() => setEditing({ kind: 'add' })} disabled={!snapshot}>
          {t('destinations.add')}
        </button>
      </header>

      {!snapshot && !loadError && (
        <p className="hint" aria-busy="true">
          {t('destinations.loading')}
        </p>
      )}
      {snapshot && list.length === 0 && <p className="hint">{t('destinations.empty')}</p>}

      {list.length > 0 && (
        <ul className="destination-list" data-testid="destination-list">
          {list.map((destination) => (
            <DestinationRow
              key={destination.id}
              destination={destination}
              runtime={runtimes[destination.id]}
              live={snapshot?.live ?? false}
              busy={busy}
              onToggle={(enabled) => void act(`toggle:${destination.id}`, () => destinations.update({ id: destination.id, enabled }))}
              onReconnect={() => void act(`reconnect:${destination.id}`, () => destinations.reconnect(destination.id))}
              onEdit={() => setEditing({ kind: 'edit', destination })}
              onRemove={() => setRemoving(destination)}
            />
          ))}
        </ul>
      )}

      {problem && (
        <div className="problem" role="alert" data-testid="destinations-error">
          <p>{t(`errors.${problem.code}`, { defaultValue: t('errors.internal') })}</p>
        </div>
      )}

      {editing && (
        <DestinationDialog
          editing={editing.kind === 'edit' ? editing.destination : undefined}
          onAdd={destinations.add}
          onUpdate={destinations.update}
          onClose={() => setEditing(null)}
        />
      )}

      {removing && (
        <Dialog
          title={t('destinations.confirmRemove.title', { name: removing.name })}
          onCancel={() => setRemoving(null)}
          testId="confirm-remove"
          actions={
            <>
              <button type="button" data-autofocus onClick={() => setRemoving(null)}>
                {t('destinations.confirmRemove.cancel')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  const { id } = removing;
                  setRemoving(null);
                  void act(`remove:${id}`, () => destinations.remove(id));
                }}
              >
                {t('destinations.confirmRemove.confirm')}
              </button>
            </>
          }
        >
          <p>{t('destinations.confirmRemove.body')}</p>
        </Dialog>
      )}
    </section>
  );
}

interface RowProps {
  destination: DestinationView;
  runtime: DestinationRuntime | undefined;
  /** The studio is live: destinations are being published to. */
  live: boolean;
  busy: string | null;
  onToggle: (enabled: boolean) => void;
  onReconnect: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

function DestinationRow({ destination, runtime, live, busy, onToggle, onReconnect, onEdit, onRemove }: RowProps) {
  const { t } = useTranslation();
  const { id, name } = destination;
  const failed = runtime?.state === 'failed';
  const dropped = runtime?.state === 'reconnecting';
  const reason = (failed || dropped) && runtime?.reason ? runtime.reason : null;
  return (
    <li className={`destination state-${runtime?.state ?? 'off'}`} data-testid="destination-row" data-destination={id}>
      <div className="destination-line">
        <label className="switch" title={t('destinations.enabledHelp')}>
          <input
            type="checkbox"
            role="switch"
            checked={destination.enabled}
            disabled={busy === `toggle:${id}`}
            aria-label={t('destinations.enabledLabel', { name })}
            onChange={(event) => onToggle(event.target.checked)}
          />
          <span className="switch-track" aria-hidden="true" />
        </label>
        <span className="destination-name" title={name}>
          {name}
        </span>
        <span className="destination-platform">{t(`destinations.presets.${destination.presetId}`)}</span>
        <span className="spacer" />
        <button type="button" className="link" onClick={onEdit} aria-label={t('destinations.editLabel', { name })}>
          {t('destinations.edit')}
        </button>
        <button type="button" className="link danger-link" onClick={onRemove} disabled={busy === `remove:${id}`} aria-label={t('destinations.removeLabel', { name })}>
          {t('destinations.remove')}
        </button>
      </div>
      <div className="destination-meta">
        <HealthBadge destination={destination} runtime={runtime} />
        <span className="key-hint" data-testid="key-hint">
          {destination.keyConfigured ? t('destinations.keyHint', { hint: destination.keyHint ?? '••••' }) : t('destinations.noKey')}
        </span>
      </div>
      {reason && (
        <div className={failed ? 'problem destination-problem' : 'notice-inline destination-problem'} role={failed ? 'alert' : 'status'} data-testid="destination-problem" title={t(`errors.destination.${reason}`)}>
          <p>{t(`errors.destination.${reason}`)}</p>
        </div>
      )}
      {(canReconnect(runtime, live) || needsEdit(runtime)) && (
        <div className="destination-actions">
          {canReconnect(runtime, live) && (
            <button type="button" onClick={onReconnect} disabled={busy === `reconnect:${id}`} aria-label={t('destinations.reconnectLabel', { name })}>
              {t('destinations.reconnect')}
            </button>
          )}
          {needsEdit(runtime) && (
            <button type="button" onClick={onEdit}>
              {t('destinations.fixIt')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
