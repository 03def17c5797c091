import { nameOfIdentity, readRoomToken, roomInviteFromFragment } from '../shared/guest-room';
import { guestNameSchema, inviteTokenFromFragment, type GuestState } from '../shared/guests';
import { GuestSession, type GuestTransport } from './guest-session';
import type { GuestRoomLike } from './room-transport';
import { NetworkTransport } from './network-transport';
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
/** What the message line shows now, as a path into the messages (re-read on a language switch), and its `{{detail}}`. */
let shown: string | null = null;
let detail = '';
let roomState: GuestState | null = null;

function render(): void {
  document.documentElement.lang = language;
  document.title = messages.title;
  applyTexts(document, messages);
  $('language').textContent = messages.language;
  const message = $('message');
  message.hidden = shown === null;
  message.textContent = shown ? (lookup(messages, shown) ?? '').replace('{{detail}}', detail) : '';
  if (roomState) $('state').textContent = lookup(messages, `state.${roomState}`) ?? '';
}

function say(path: string | null, withDetail = ''): void {
  shown = path;
  detail = withDetail;
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

// Local mode: `#invite=<id>.<secret>` for the studio's guest server; Twilio mode: `#room=<token>&host=<identity>`.
const invite = inviteTokenFromFragment(location.hash);
const roomInvite = invite ? null : roomInviteFromFragment(location.hash);
const roomClaims = roomInvite ? readRoomToken(roomInvite.token) : null;
// The secret is not left in the address bar (or in a bookmark of it).
history.replaceState(null, '', location.pathname);
render();

/** The transport the link asks for; the Twilio one (and twilio-video) is loaded only for a room invite. */
async function transportFor(media: MediaStream): Promise<GuestTransport> {
  if (invite) return new NetworkTransport(invite, media);
  const [{ RoomTransport }, { connect }] = await Promise.all([import('./room-transport'), import('twilio-video')]);
  return new RoomTransport(roomInvite!.token, roomInvite!.host, media, (token, options) => connect(token, options) as unknown as Promise<GuestRoomLike>);
}

async function start(): Promise<void> {
  if (!invite && !(roomInvite && roomClaims)) {
    say('noLink');
    $('check').hidden = true;
    return;
  }
  if (roomClaims && roomClaims.expiresAt * 1000 <= Date.now()) {
    say('room.expired');
    $('check').hidden = true;
    return;
  }
  const nameInput = $('name') as HTMLInputElement;
  if (roomClaims) {
    // A room guest's name is their identity in the token, which the page cannot change.
    nameInput.value = nameOfIdentity(roomClaims.identity);
    nameInput.readOnly = true;
    $('name-fixed').hidden = false;
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
  const letGo = () => {
    stopLevel();
    for (const track of media.getTracks()) track.stop();
  };
  const form = $('join-form') as HTMLFormElement;
  ($('join') as HTMLButtonElement).disabled = false;
  form.addEventListener('submit', () => {
    const name = guestNameSchema.safeParse(nameInput.value);
    if (!name.success) {
      nameInput.setCustomValidity(messages.nameInvalid);
      form.reportValidity();
      return;
    }
    ($('join') as HTMLButtonElement).disabled = true;
    ($('join') as HTMLButtonElement).textContent = messages.joining;
    void transportFor(media).then(
      (transport) => {
        const session = new GuestSession(transport, {
          inRoom: (state, muted) => {
            say(null);
            enterRoom(state, muted);
          },
          refused: (reason) => {
            $('check').hidden = true;
            say(`refused.${reason}`);
          },
          failed: (why) => {
            $('check').hidden = true;
            say('room.failed', why);
          },
          reconnecting: (yes) => {
            if (yes) say('room.reconnecting');
            else if (shown === 'room.reconnecting') say(null);
          },
          program: (stream) => {
            const program = $('program') as HTMLVideoElement;
            if (program.srcObject !== stream) program.srcObject = stream;
            void program.play().catch(() => {});
          },
          finished: letGo,
        });
        window.addEventListener('pagehide', () => session.leave());
        session.join(name.data);
      },
      () => say('room.failed', 'load'),
    );
  });
  nameInput.addEventListener('input', (event) => (event.target as HTMLInputElement).setCustomValidity(''));
}

void start();
