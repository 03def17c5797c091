import type { GuestState, JoinRefusal } from '../shared/guests';

/** What a transport reports: the network guest server (Local mode) or the Twilio Video room (Twilio mode). */
export interface GuestTransportEvents {
  /** In the studio, backstage or already on stage. */
  joined: (state: GuestState, muted: boolean) => void;
  /** The host moved or muted this guest. */
  state: (state: GuestState, muted: boolean) => void;
  /** The studio turned the join away (a bad, revoked or expired link, a full studio). */
  refused: (reason: JoinRefusal) => void;
  /** Could not reach the studio at all (a room error code or a network error), never a secret. */
  failed: (detail: string) => void;
  /** The connection is being re-established (Twilio mode); `joined`/`state` or `lost` follow. */
  reconnecting: () => void;
  reconnected: () => void;
  /** The connection ended without a word from the studio. */
  lost: () => void;
  /** The return feed: what the studio sends back (video, and the others' voices without this guest's own). */
  program: (stream: MediaStream) => void;
}

export interface GuestTransport {
  join(name: string, events: GuestTransportEvents): void;
  /** Leave the studio (the page closes or the guest was removed). */
  leave(): void;
}

/** What the page shows; the session calls these in a valid order only. */
export interface GuestSessionView {
  inRoom: (state: GuestState, muted: boolean) => void;
  refused: (reason: JoinRefusal) => void;
  failed: (detail: string) => void;
  reconnecting: (yes: boolean) => void;
  program: (stream: MediaStream) => void;
  /** Removed, refused or failed: the camera and microphone can be let go. */
  finished: () => void;
}

export type GuestPhase = 'idle' | 'joining' | 'in_room' | 'finished';

/**
 * One guest-session state machine for both transports: idle → joining → in the room (backstage,
 * on stage, muted) → finished (removed, refused, failed) — or dropped when the connection ends
 * without a word. Whatever a transport reports after the session finished is ignored, and a
 * removed guest's transport is closed.
 */
export class GuestSession {
  private phase: GuestPhase = 'idle';
  /** The return feed, kept for a transport that delivers it before the guest is in the room. */
  private returned: MediaStream | null = null;

  constructor(
    private readonly transport: GuestTransport,
    private readonly view: GuestSessionView,
  ) {}

  get current(): GuestPhase {
    return this.phase;
  }

  join(name: string): void {
    if (this.phase !== 'idle') return;
    this.phase = 'joining';
    this.transport.join(name, {
      joined: (state, muted) => this.enter(state, muted),
      state: (state, muted) => {
        if (this.phase === 'in_room') this.enter(state, muted);
      },
      refused: (reason) => this.finish(() => this.view.refused(reason)),
      failed: (detail) => this.finish(() => this.view.failed(detail)),
      reconnecting: () => {
        if (this.phase === 'in_room') this.view.reconnecting(true);
      },
      reconnected: () => {
        if (this.phase === 'in_room') this.view.reconnecting(false);
      },
      lost: () => {
        if (this.phase !== 'in_room' && this.phase !== 'joining') return;
        this.phase = 'finished';
        this.view.reconnecting(false);
        this.view.inRoom('dropped', false);
      },
      program: (stream) => {
        this.returned = stream;
        if (this.phase === 'in_room') this.view.program(stream);
      },
    });
  }

  leave(): void {
    if (this.phase === 'finished' || this.phase === 'idle') return;
    this.phase = 'finished';
    this.transport.leave();
  }

  private enter(state: GuestState, muted: boolean): void {
    if (this.phase === 'finished') return;
    if (state === 'removed') {
      this.finish(() => this.view.inRoom('removed', muted));
      this.transport.leave();
      return;
    }
    this.phase = 'in_room';
    this.view.reconnecting(false);
    this.view.inRoom(state, muted);
    if (this.returned) this.view.program(this.returned);
  }

  private finish(show: () => void): void {
    if (this.phase === 'finished') return;
    this.phase = 'finished';
    show();
    this.view.finished();
  }
}
