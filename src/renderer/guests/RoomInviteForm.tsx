import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROOM_INVITE_MINUTES_MAX, type RoomInviteCreated } from '../../shared/guest-room';
import { INVITE_MINUTES_MIN } from '../../shared/guests';
import { InviteLink } from './InviteLink';
import type { GuestsControl } from './use-guests';

/**
 * Twilio mode: where the guest page is hosted (a setting, empty until the streamer sets it) and
 * invites whose link carries a room token that main mints (valid at most 24 hours).
 */
export function RoomInviteForm({ guests }: { guests: GuestsControl }) {
  const { t, i18n } = useTranslation();
  const saved = guests.snapshot!.config.guestPageUrl;
  const [pageUrl, setPageUrl] = useState(saved);
  const [name, setName] = useState('');
  const [minutes, setMinutes] = useState('120');
  const [created, setCreated] = useState<RoomInviteCreated | null>(null);
  return (
    <div className="invite room-invite" data-testid="room-invite">
      <h3>{t('guests.room.heading')}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void guests.configure({ guestPageUrl: pageUrl.trim() });
        }}
      >
        <label>
          {t('guests.room.pageUrl')} <input type="url" value={pageUrl} onChange={(event) => setPageUrl(event.target.value)} placeholder="https://…" data-testid="guest-page-url" size={40} />
        </label>
        <button type="submit">{t('guests.apply')}</button>
        <p className="hint">{t('guests.room.pageUrlHint')}</p>
      </form>
      {saved === '' ? (
        <p className="hint" data-testid="guest-page-url-missing">
          {t('guests.room.pageUrlMissing')}
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void guests.roomInvite({ name: name.trim() === '' ? null : name.trim(), validMinutes: Number(minutes) }).then(setCreated);
          }}
        >
          <label>
            {t('guests.invite.name')} <input value={name} onChange={(event) => setName(event.target.value)} maxLength={40} />
          </label>
          <label>
            {t('guests.room.minutes')} <input type="number" min={INVITE_MINUTES_MIN} max={ROOM_INVITE_MINUTES_MAX} value={minutes} onChange={(event) => setMinutes(event.target.value)} />
          </label>
          <button type="submit">{t('guests.invite.create')}</button>
        </form>
      )}
      {created && (
        <div className="invite-created" data-testid="room-invite-created">
          <InviteLink link={created.link} />
          <p className="hint">{t('guests.room.created', { room: created.room, identity: created.identity, expires: new Date(created.expiresAt).toLocaleString(i18n.language) })}</p>
        </div>
      )}
    </div>
  );
}
