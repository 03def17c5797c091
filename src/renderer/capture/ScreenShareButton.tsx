import { useTranslation } from 'react-i18next';
import { isMac } from '../app/shortcuts';
import { ScreenSourcePicker } from './ScreenSourcePicker';
import type { ScreenCapture } from './use-screen-capture';

/** What went wrong, in the user's language; macOS's refusal says where to allow Screen Recording. */
function useProblemText(capture: ScreenCapture): string | null {
  const { t } = useTranslation();
  const { state } = capture;
  if (state.status !== 'error') return null;
  if (state.problem === 'system_denied') return t(isMac() || state.code === 'capture.screen_denied' ? 'screenShare.problems.system_denied_mac' : 'screenShare.problems.system_denied');
  if (state.code) return t(`errors.${state.code}`);
  return t(`screenShare.problems.${state.problem}`, { name: state.name });
}

/**
 * Share screen / Stop sharing, what is shared (and whether its sound comes along), what went wrong,
 * and the studio's picker while choosing. The hook lives with the caller (`useScreenCapture`), whose
 * stream goes to the compositor and whose audio goes to the mixer.
 */
export function ScreenShareButton({ capture }: { capture: ScreenCapture }) {
  const { t } = useTranslation();
  const { state } = capture;
  const problem = useProblemText(capture);
  return (
    <div className="screen-share" data-testid="screen-share" data-state={state.status}>
      {state.status === 'live' ? (
        <button type="button" className="screen-share-stop" onClick={capture.stop}>
          {t('screenShare.stop')}
        </button>
      ) : (
        <button type="button" onClick={capture.start} disabled={state.status === 'starting'}>
          {state.status === 'error' ? t('screenShare.retry') : t('screenShare.share')}
        </button>
      )}
      <span className="screen-share-status" role="status">
        {state.status === 'choosing' && (state.sources === null ? t('screenShare.loading') : t('screenShare.choosing'))}
        {state.status === 'starting' && t('screenShare.starting')}
        {state.status === 'live' && (
          <>
            {state.label ? t('screenShare.live', { name: state.label }) : t('screenShare.liveUnnamed')}{' '}
            {state.hasAudio ? t('screenShare.withAudio') : t('screenShare.noAudio')}
          </>
        )}
      </span>
      {problem && (
        <p className="screen-share-problem" role="alert">
          {problem}
        </p>
      )}
      {state.status === 'choosing' && state.sources !== null && (
        <ScreenSourcePicker sources={state.sources} systemAudio={state.systemAudio} onChoose={capture.choose} onCancel={capture.cancel} />
      )}
    </div>
  );
}
