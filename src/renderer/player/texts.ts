import { useTranslation } from 'react-i18next';

/**
 * The media path's own texts (preview player, program feed), in en and ja. Kept next to the
 * components so the shared locale files stay with the cockpit; error codes use `errors.*`.
 */
const TEXTS = {
  en: {
    state: {
      idle: 'Not live',
      connecting: 'Connecting…',
      buffering: 'Buffering…',
      playing: 'Playing',
      ended: 'Ended',
      error: 'Playback problem',
    },
    waiting: 'Waiting for the first frame of your broadcast…',
    offAir: 'Your own broadcast will play here, as viewers see it.',
    reconnecting: 'Behind the live edge — reconnecting.',
    soundOn: 'Play preview sound',
    soundOff: 'Silence preview',
    latency: 'Behind live: {{seconds}} s',
    feed: {
      recording: 'Sending program feed',
      cpuNote: 'This browser cannot record H.264, so the video is re-encoded (WebM/VP8 → H.264). That costs noticeably more CPU.',
      behind: 'The studio is falling behind packaging the broadcast ({{mb}} MB waiting). Close heavy programs or lower the resolution.',
      stopped: 'The program feed stopped: the studio could not keep up. Stop and go live again.',
      unsupported: 'This browser cannot record the program feed (no MediaRecorder format for H.264 or VP8).',
    },
  },
  ja: {
    state: {
      idle: '配信していません',
      connecting: '接続中…',
      buffering: 'バッファ中…',
      playing: '再生中',
      ended: '終了',
      error: '再生できません',
    },
    waiting: '配信の最初のフレームを待っています…',
    offAir: '視聴者が見るのと同じ配信映像がここに表示されます。',
    reconnecting: 'ライブから遅れているため再接続しています。',
    soundOn: 'プレビュー音声を出す',
    soundOff: 'プレビュー音声を消す',
    latency: 'ライブからの遅れ: {{seconds}} 秒',
    feed: {
      recording: '番組映像を送信中',
      cpuNote: 'このブラウザーは H.264 で録画できないため、映像を再エンコードしています（WebM/VP8 → H.264）。CPU 負荷が高くなります。',
      behind: '配信用の変換が追いついていません（{{mb}} MB 待機中）。負荷の高いアプリを閉じるか解像度を下げてください。',
      stopped: '変換が追いつかないため番組映像の送信を止めました。配信を停止して、もう一度開始してください。',
      unsupported: 'このブラウザーは番組映像を録画できません（H.264 / VP8 の MediaRecorder 形式がありません）。',
    },
  },
} as const;

export type MediaTexts = (typeof TEXTS)['en'];

export function useMediaTexts(): MediaTexts {
  const { i18n } = useTranslation();
  return (i18n.language?.startsWith('ja') ? TEXTS.ja : TEXTS.en) as MediaTexts;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}
