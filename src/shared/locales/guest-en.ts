/** The guest page's text (English). The page carries only these, not the studio's whole locale. */
const guestEn = {
  title: 'Join the studio',
  language: '日本語',
  check: 'Camera and microphone check',
  cameraPreview: 'Your camera',
  micLevel: 'Microphone level',
  name: 'Your name',
  nameInvalid: 'Enter a name of 1 to 40 letters, digits or spaces.',
  join: 'Join',
  joining: 'Joining…',
  mediaError: 'The camera or microphone could not be opened. Allow them for this page in your browser, then reload.',
  noLink: 'This link is incomplete. Open the whole invite link the host sent you.',
  state: {
    backstage: 'You are backstage. The host will bring you on air.',
    on_stage: 'You are on air.',
    removed: 'The host removed you from the studio.',
    dropped: 'The connection to the studio ended. Reload the page to join again.',
  },
  muted: 'The host muted your microphone.',
  refused: {
    unknown: 'This invite link is not valid. Ask the host for a new one.',
    revoked: 'The host revoked this invite. Ask for a new one.',
    expired: 'This invite has expired. Ask the host for a new one.',
    used_up: 'This invite has been used already. Ask the host for a new one.',
    full: 'The studio is full right now. Try again later.',
    busy: 'The studio is busy. Try again in a moment.',
    invalid: 'This link is incomplete. Open the whole invite link the host sent you.',
  },
  program: 'The program (what viewers see and hear)',
  /** The viewer page ("Share the player on my network"). */
  viewer: {
    title: 'Watch the broadcast',
    waiting: 'Nothing is on air yet. This page starts playing when the broadcast begins.',
    connecting: 'Connecting to the broadcast…',
    playing: 'Live',
    error: 'The broadcast could not be played. Trying again…',
    full: 'This stream is full. Please try again later — this page tries again by itself.',
    busy: 'Too many requests from this device. Trying again shortly…',
    unmute: 'Turn sound on',
  },
  /** Twilio mode (a room invite). */
  room: {
    nameFixed: 'The host invited you as this name.',
    expired: 'This invite has expired. Ask the host for a new one.',
    failed: 'Could not join the studio ({{detail}}). Check your connection and reload the page.',
    reconnecting: 'Connection lost, reconnecting…',
  },
};
export default guestEn;
export type GuestMessages = typeof guestEn;
