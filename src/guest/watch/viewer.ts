import type { Player } from '@twilio/live-player-sdk';
import { loadLivePlayerSdk } from '../../shared/live-player-sdk';
import { VIEWER_ID_PARAM, type ViewerRefusal } from '../../shared/viewers';
import { applyTexts, type GuestLanguage, guestMessages, initialGuestLanguage, lookup } from '../texts';

/**
 * The viewer page on the studio's network address ("Share the player on my network"): the seeds'
 * viewer — fetch a playback token, play it with the Twilio Live player — served by the studio's
 * guest server. The token's grant points the player at this server's `/watch/hls/`, so nothing
 * but this server is contacted. Waits while nothing is live and connects again when it ends.
 * The page's own random id goes with each token request, and it asks again every few seconds
 * while open, so the studio counts it as one viewer (README "Viewers on the network").
 */
type ViewerState = 'waiting' | 'connecting' | 'playing' | 'error' | 'full' | 'busy';
const RETRY_MS = 3_000;
/** Well inside the studio's 30 s: while this page is open it keeps its place. */
const PRESENCE_MS = 10_000;
const FULL_RETRY_MS = 10_000;
const viewerId = randomId();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const video = $('viewer-video') as HTMLVideoElement;
const unmute = $('unmute') as HTMLButtonElement;
let language: GuestLanguage = initialGuestLanguage();
let state: ViewerState = 'waiting';
let player: Player | null = null;

function render(): void {
  const messages = guestMessages(language);
  document.documentElement.lang = language;
  document.title = messages.viewer.title;
  applyTexts(document, messages);
  $('language').textContent = messages.language;
  const line = $('viewer-state');
  line.dataset.state = state;
  line.textContent = lookup(messages, `viewer.${state}`) ?? '';
}

function show(next: ViewerState): void {
  state = next;
  render();
}

$('language').addEventListener('click', () => {
  language = language === 'en' ? 'ja' : 'en';
  render();
});
unmute.addEventListener('click', () => {
  if (player) player.isMuted = false;
  video.muted = false;
  unmute.hidden = true;
});

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A token; null while nothing is live; the refusal when the studio turns this page away. */
async function fetchToken(): Promise<string | null | { refused: ViewerRefusal }> {
  const response = await fetch(`./token?${VIEWER_ID_PARAM}=${viewerId}`, { cache: 'no-store' });
  if (response.status === 404) return null;
  if (response.status === 503 || response.status === 429) return { refused: response.status === 503 ? 'full' : 'too_many_requests' };
  if (!response.ok) throw new Error(`token ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function again(delay = RETRY_MS): void {
  setTimeout(() => void watch(), delay);
}

/** While connecting or playing, ask again now and then: the studio counts this page as watching only while it does. */
setInterval(() => {
  if (state === 'connecting' || state === 'playing') void fetch(`./token?${VIEWER_ID_PARAM}=${viewerId}`, { cache: 'no-store' }).then((response) => response.body?.cancel(), () => undefined);
}, PRESENCE_MS);

async function watch(): Promise<void> {
  try {
    const token = await fetchToken();
    if (token && typeof token === 'object') {
      show(token.refused === 'full' ? 'full' : 'busy');
      again(FULL_RETRY_MS);
      return;
    }
    if (!token) {
      show('waiting');
      again();
      return;
    }
    show('connecting');
    const Sdk = await loadLivePlayerSdk('./player');
    Sdk.setLogLevel(Sdk.LogLevel.Error);
    const current = await Sdk.connect(token, { playerWasmAssetsPath: new URL('./player', location.href).href });
    player = current;
    current.attach(video);
    current.isMuted = true;
    current.on(Sdk.Event.StateChanged, (next: Player.State) => {
      if (next === Sdk.State.Ready) current.play();
      if (next === Sdk.State.Playing) {
        show('playing');
        unmute.hidden = !video.muted;
      }
      if (next === Sdk.State.Ended) {
        current.removeAllListeners();
        player = null;
        show('waiting');
        again();
      }
    });
  } catch {
    show('error');
    again();
  }
}

render();
void watch();
