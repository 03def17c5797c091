import { guestNameSchema, inviteTokenFromFragment, type GuestState, type JoinRefusal } from '../shared/guests';
import { GuestSession } from './guest-session';
import { showLevel } from './level-meter';
import { applyTexts, type GuestLanguage, guestMessages, initialGuestLanguage, lookup } from './texts';

/**
 * The guest page: camera and microphone check with a level meter, a name, Join; then the green
 * room (backstage / on air / removed) with the program played back. The invite's secret is read
 * from the fragment once and removed from the address bar.
 */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let language: GuestLanguage = initialGuestLanguage();
let messages = guestMessages(language);
/** What the message line shows now, as a path into the messages (re-read on a language switch). */
let shown: string | null = null;
let roomState: GuestState | null = null;

function render(): void {
  document.documentElement.lang = language;
  document.title = messages.title;
  applyTexts(document, messages);
  $('language').textContent = messages.language;
  const message = $('message');
  message.hidden = shown === null;
  message.textContent = shown ? (lookup(messages, shown) ?? '') : '';
  if (roomState) $('state').textContent = lookup(messages, `state.${roomState}`) ?? '';
}

function say(path: string | null): void {
  shown = path;
  render();
}

function enterRoom(state: GuestState, muted: boolean): void {
  roomState = state;
  $('check').hidden = true;
  const room = $('room');
  room.hidden = false;
  room.dataset.state = state;
  $('muted').hidden = !muted;
  render();
}

$('language').addEventListener('click', () => {
  language = language === 'en' ? 'ja' : 'en';
  messages = guestMessages(language);
  render();
});

// Join waits for the camera and microphone, and the form never navigates: a click before they were
// ready used to submit it natively, reloading the page without its invite.
($('join-form') as HTMLFormElement).addEventListener('submit', (event) => event.preventDefault());
($('join') as HTMLButtonElement).disabled = true;

const invite = inviteTokenFromFragment(location.hash);
// The secret is not left in the address bar (or in a bookmark of it).
history.replaceState(null, '', location.pathname);
render();

async function start(): Promise<void> {
  if (!invite) {
    say('noLink');
    $('check').hidden = true;
    return;
  }
  let media: MediaStream;
  try {
    media = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: { echoCancellation: true } });
  } catch {
    say('mediaError');
    return;
  }
  ($('self') as HTMLVideoElement).srcObject = media;
  const stopLevel = showLevel(media, $('level') as HTMLMeterElement);
  const form = $('join-form') as HTMLFormElement;
  ($('join') as HTMLButtonElement).disabled = false;
  form.addEventListener('submit', () => {
    const name = guestNameSchema.safeParse(($('name') as HTMLInputElement).value);
    if (!name.success) {
      ($('name') as HTMLInputElement).setCustomValidity(messages.nameInvalid);
      form.reportValidity();
      return;
    }
    ($('join') as HTMLButtonElement).disabled = true;
    ($('join') as HTMLButtonElement).textContent = messages.joining;
    const session = new GuestSession(media, {
      welcome: (state, muted) => {
        say(null);
        enterRoom(state, muted);
      },
      state: (state, muted) => {
        enterRoom(state, muted);
        if (state === 'removed') {
          stopLevel();
          for (const track of media.getTracks()) track.stop();
        }
      },
      refused: (reason: JoinRefusal) => {
        $('check').hidden = true;
        say(`refused.${reason}`);
      },
      ended: () => enterRoom('dropped', false),
      program: (stream) => {
        const program = $('program') as HTMLVideoElement;
        if (program.srcObject !== stream) program.srcObject = stream;
        void program.play().catch(() => {});
      },
    });
    window.addEventListener('pagehide', () => session.leave());
    session.join(invite, name.data);
  });
  ($('name') as HTMLInputElement).addEventListener('input', (event) => (event.target as HTMLInputElement).setCustomValidity(''));
}

void start();
