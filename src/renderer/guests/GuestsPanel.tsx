import { useId, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { GUEST_LAYOUTS, type GuestLayout } from '../../shared/guest-layouts';
import { type GuestView, type InviteCreated, INVITE_MINUTES_MAX, INVITE_MINUTES_MIN, INVITE_USES_MAX, MAX_GUESTS_LIMIT, MAX_VIEWERS_LIMIT } from '../../shared/guests';
import { GAIN_DB_MAX, GAIN_DB_MIN } from '../../shared/scenes';
import type { Mode } from '../../shared/settings';
import { formatDb } from '../mixer/db';
import type { GuestMeterStore } from '../mixer/guest-meter-store';
import { GuestVideo } from './GuestVideo';
import { InviteLink } from './InviteLink';
import { RoomInviteForm } from './RoomInviteForm';
import type { GuestMedia } from './use-guest-media';
import type { GuestAudio } from './use-guest-return';
import type { GuestsControl } from './use-guests';
import type { GuestsScene } from './use-guests-scene';

export interface GuestsPanelProps {
  guests: GuestsControl;
  media: GuestMedia;
  audio: GuestAudio;
  meters: GuestMeterStore;
  scene: GuestsScene;
  /** Twilio mode adds invites to the room (the hosted guest page); null while settings load. */
  mode?: Mode | null;
}

/** Share on my network, invites (link, QR code, fingerprint), and the guests backstage and on stage. */
export function GuestsPanel({ guests, media, audio, meters, scene, mode = null }: GuestsPanelProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const snapshot = guests.snapshot;
  if (!snapshot) return null;
  const server = snapshot.server;
  return (
    <section className="guests-panel" aria-labelledby={headingId} data-testid="guests-panel">
      <h2 id={headingId}>{t('guests.title')}</h2>
      <ShareForm guests={guests} mode={mode} />
      <p className="guests-server" data-testid="guest-server" data-state={server.state}>
        {server.state === 'on' ? t('guests.server.on', { url: server.url }) : server.state === 'failed' ? t('guests.server.failed', { error: server.error }) : t(`guests.server.${server.state}`)}
      </p>
      {server.state === 'on' && snapshot.config.sharePlayer && server.url && (
        <p className="guests-viewers" data-testid="viewer-url">
          {t('guests.viewers.at')} <code>{new URL('watch/', server.url).href}</code>
        </p>
      )}
      {server.state === 'on' && snapshot.config.shareOnNetwork && <InviteForm guests={guests} />}
      {mode === 'twilio' && <RoomInviteForm guests={guests} />}
      {guests.error && (
        <p className="problem inline" role="alert" data-testid="guests-problem">
          {t(`errors.${guests.error}`)}
        </p>
      )}
      <InviteList guests={guests} />
      <label className="guests-layout">
        {t('guests.layout.label')}{' '}
        <select value={scene.layout} onChange={(event) => scene.setLayout(event.target.value as GuestLayout)} data-testid="guest-layout">
          {GUEST_LAYOUTS.map((name) => (
            <option key={name} value={name}>
              {t(`guests.layout.${name}`)}
            </option>
          ))}
        </select>
      </label>
      {snapshot.guests.length === 0 ? (
        <p className="guests-none">{t('guests.none')}</p>
      ) : (
        <ul className="guest-list">
          {snapshot.guests.map((guest) => (
            <GuestCard key={guest.id} guest={guest} guests={guests} media={media} audio={audio} meters={meters} onStage={scene.putOnStage} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShareForm({ guests, mode }: { guests: GuestsControl; mode: Mode | null }) {
  const { t } = useTranslation();
  const config = guests.snapshot!.config;
  const [address, setAddress] = useState(config.listenAddress);
  const [port, setPort] = useState(String(config.port));
  const [max, setMax] = useState(String(config.maxGuests));
  const [maxViewers, setMaxViewers] = useState(String(config.maxViewers));
  return (
    <form
      className="guests-share"
      onSubmit={(event) => {
        event.preventDefault();
        void guests.configure({ listenAddress: address, port: Number(port), maxGuests: Number(max), maxViewers: Number(maxViewers) });
      }}
    >
      <label>
        <input type="checkbox" checked={config.shareOnNetwork} onChange={(event) => void guests.configure({ shareOnNetwork: event.target.checked, listenAddress: address, port: Number(port) })} />{' '}
        {t('guests.share')}
      </label>
      <p className="hint">{t('guests.shareHint')}</p>
      {mode !== 'twilio' && (
        <>
          <label>
            <input type="checkbox" checked={config.sharePlayer} onChange={(event) => void guests.configure({ sharePlayer: event.target.checked, listenAddress: address, port: Number(port) })} />{' '}
            {t('guests.viewers.share')}
          </label>
          <p className="hint">{t('guests.viewers.hint')}</p>
          <label>
            {t('guests.viewers.max')}{' '}
            <input type="number" min={1} max={MAX_VIEWERS_LIMIT} value={maxViewers} onChange={(event) => setMaxViewers(event.target.value)} data-testid="max-viewers" />
          </label>
          <p className="hint">{t('guests.viewers.maxHint')}</p>
        </>
      )}
      <label>
        {t('guests.listenAddress')} <input value={address} onChange={(event) => setAddress(event.target.value)} size={16} />
      </label>
      <label>
        {t('guests.port')} <input type="number" min={0} max={65535} value={port} onChange={(event) => setPort(event.target.value)} />
      </label>
      <label>
        {t('guests.maxGuests')} <input type="number" min={1} max={MAX_GUESTS_LIMIT} value={max} onChange={(event) => setMax(event.target.value)} />
      </label>
      <button type="submit">{t('guests.apply')}</button>
    </form>
  );
}

function InviteForm({ guests }: { guests: GuestsControl }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [uses, setUses] = useState('1');
  const [created, setCreated] = useState<InviteCreated | null>(null);
  return (
    <div className="invite">
      <h3>{t('guests.invite.heading')}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void guests.invite({ name: name.trim() === '' ? null : name.trim(), validMinutes: Number(minutes), maxUses: Number(uses) }).then(setCreated);
        }}
      >
        <label>
          {t('guests.invite.name')} <input value={name} onChange={(event) => setName(event.target.value)} maxLength={40} />
        </label>
        <label>
          {t('guests.invite.minutes')} <input type="number" min={INVITE_MINUTES_MIN} max={INVITE_MINUTES_MAX} value={minutes} onChange={(event) => setMinutes(event.target.value)} />
        </label>
        <label>
          {t('guests.invite.uses')} <input type="number" min={1} max={INVITE_USES_MAX} value={uses} onChange={(event) => setUses(event.target.value)} />
        </label>
        <button type="submit">{t('guests.invite.create')}</button>
      </form>
      {created && (
        <div className="invite-created" data-testid="invite-created">
          <InviteLink link={created.link} />
          <p>
            {t('guests.fingerprint')}: <code data-testid="invite-fingerprint">{created.fingerprint}</code>
          </p>
          <p className="hint">{t('guests.certificateHint')}</p>
        </div>
      )}
    </div>
  );
}

function InviteList({ guests }: { guests: GuestsControl }) {
  const { t } = useTranslation();
  const invites = guests.snapshot!.invites;
  if (invites.length === 0) return null;
  return (
    <div className="invite-list">
      <h3>{t('guests.invite.list')}</h3>
      <ul>
        {invites.map((invite) => (
          <li key={invite.id} data-testid="invite-row" data-state={invite.state}>
            <span>{invite.name ?? t('guests.invite.anyone')}</span> · <span>{t(`guests.invite.state.${invite.state}`)}</span> ·{' '}
            <span>{t('guests.invite.usage', { uses: invite.uses, max: invite.maxUses })}</span>
            {invite.state === 'active' && (
              <button type="button" onClick={() => void guests.revoke(invite.id)}>
                {t('guests.invite.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface GuestCardProps {
  guest: GuestView;
  guests: GuestsControl;
  media: GuestMedia;
  audio: GuestAudio;
  meters: GuestMeterStore;
  onStage: (guestId: string) => void;
}

function GuestCard({ guest, guests, media, audio, meters, onStage }: GuestCardProps) {
  const { t } = useTranslation();
  const quality = media.quality[guest.id];
  const here = guest.state === 'backstage' || guest.state === 'on_stage';
  const gainDb = audio.gains[guest.id] ?? 0;
  const level = useSyncExternalStore(meters.subscribe, () => meters.get()[guest.id]?.rmsDb ?? -100);
  return (
    <li className="guest-card" data-testid="guest-card" data-guest={guest.name} data-state={guest.state} data-muted={guest.muted}>
      <GuestVideo stream={media.streams[guest.id] ?? null} label={t('guests.video', { name: guest.name })} />
      <div className="guest-card-head">
        <strong>{guest.name}</strong> <span data-testid="guest-state">{t(`guests.state.${guest.state}`)}</span>
        {guest.muted && <span> · {t('guests.muted')}</span>}
      </div>
      {here && (
        <p className={`guest-quality ${quality?.grade ?? 'unknown'}`} data-testid="guest-quality" data-grade={quality?.grade ?? 'unknown'}>
          <span className="dot" aria-hidden="true" /> {t('guests.quality.label')}: {t(`guests.quality.${quality?.grade ?? 'unknown'}`)}
          {quality && quality.grade !== 'unknown' && ` — ${t('guests.quality.detail', { kbps: quality.kbps, loss: quality.lossPercent, rtt: quality.rttMs ?? '–' })}`}
        </p>
      )}
      {here && (
        <div className="guest-channel" role="group" aria-label={t('guests.channel', { name: guest.name })}>
          <meter min={-60} max={0} value={Math.max(-60, level)} aria-label={t('mixer.meter', { channel: guest.name })} data-testid="guest-meter" data-db={level.toFixed(1)} />
          <input
            type="range"
            min={GAIN_DB_MIN}
            max={GAIN_DB_MAX}
            step={0.5}
            value={gainDb}
            aria-label={t('mixer.gain', { channel: guest.name })}
            aria-valuetext={t('mixer.gainValue', { db: formatDb(gainDb) })}
            onChange={(event) => audio.setGain(guest.id, Number(event.target.value))}
          />
        </div>
      )}
      <div className="guest-actions">
        {guest.state === 'backstage' && (
          <button type="button" onClick={() => onStage(guest.id)}>
            {t('guests.actions.stage')}
          </button>
        )}
        {(guest.state === 'on_stage' || (guest.state === 'dropped' && guest.stageSlot !== null)) && (
          <button type="button" onClick={() => void guests.act(guest.id, 'backstage')}>
            {t('guests.actions.backstage')}
          </button>
        )}
        {here && (
          <button type="button" aria-pressed={guest.muted} onClick={() => void guests.act(guest.id, guest.muted ? 'unmute' : 'mute')}>
            {guest.muted ? t('guests.actions.unmute') : t('guests.actions.mute')}
          </button>
        )}
        {guest.state !== 'removed' && (
          <button type="button" onClick={() => void guests.act(guest.id, 'remove')}>
            {t('guests.actions.remove')}
          </button>
        )}
      </div>
    </li>
  );
}
