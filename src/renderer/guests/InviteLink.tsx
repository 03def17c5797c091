import { useTranslation } from 'react-i18next';
import { InviteQr } from './InviteQr';

/** A new invite's link (shown only now), a Copy button and its QR code. */
export function InviteLink({ link }: { link: string }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('guests.invite.link')} <input readOnly value={link} data-testid="invite-link" onFocus={(event) => event.target.select()} />
      </label>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(link).catch(() => {})}>
        {t('guests.invite.copy')}
      </button>
      <InviteQr text={link} label={t('guests.invite.qr')} />
    </>
  );
}
