import type { Player } from '@twilio/live-player-sdk';
import { loadLivePlayerSdk } from '../../shared/live-player-sdk';
import { applyTexts, type GuestLanguage, guestMessages, initialGuestLanguage, lookup } from '../texts';

/**
 * The viewer page on the studio's network address ("Share the player on my network"): the seeds'
 * viewer — fetch a playback token, play it with the Twilio Live player — served by the studio's
 * guest server. The token's grant points the player at this server's `/watch/hls/`, so nothing
 * but this server is contacted. Waits while nothing is live and connects again when it ends.
 */
type ViewerState = 'waiting' | 'connecting' | 'playing' | 'error';
const RETRY_MS = 3_000;

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

async function fetchToken(): Promise<string | null> {
  const response = await fetch('./token', { cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`token ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function again(): void {
  setTimeout(() => void watch(), RETRY_MS);
}

async function watch(): Promise<void> {
  try {
    const token = await fetchToken();
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
