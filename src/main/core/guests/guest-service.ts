import { StudioError } from '../../../shared/errors';
import type {
  GuestAction,
  GuestServerView,
  GuestSignal,
  GuestsConfigPatch,
  GuestsSnapshot,
  GuestView,
  InviteCreated,
  InviteCreateRequest,
  InviteView,
  RoomParticipantRequest,
  Signal,
} from '../../../shared/guests';
import { inviteIdOfIdentity, nameOfIdentity, roomGuestIdentity, roomInviteFragment, type RoomInviteCreated, type RoomInviteRequest } from '../../../shared/guest-room';
import type { KeyValueStore } from '../settings/ports';
import type { SecretVault } from '../settings/secret-vault';
import { guestCertificate } from './certificate';
import { GuestConfigStore } from './guest-config';
import { GuestRoster, isPresent } from './guest-roster';
import { type GuestLink, type GuestServer, type GuestServerHandler, startGuestServer } from './guest-server';
import { InviteBook, newInviteId } from './invite-book';
import type { JoinLimits } from './join-limiter';
import type { ViewerLimits } from './viewer-room';
import type { ViewerSource } from './viewer-routes';

export interface GuestServiceOptions {
  store: KeyValueStore;
  vault: SecretVault;
  /** The built guest page; null where there is none (the CLI): sharing is then refused. */
  guestRoot: string | null;
  onChange?: (snapshot: GuestsSnapshot) => void;
  /** A guest page's signalling for the renderer, which owns the peer connections. */
  onSignal?: (signal: GuestSignal) => void;
  now?: () => number;
  limits?: JoinLimits;
  /** How long a viewer counts after its last token request and the per-address request rate (tests shorten them); the most viewers is the setting. */
  viewerLimits?: Partial<Omit<ViewerLimits, 'max'>>;
  log?: (line: string) => void;
  /** Twilio mode: disconnects a room participant the host removed. */
  disconnectParticipant?: (participantSid: string) => Promise<void>;
  /** Twilio mode: a token for the streamer's room, minted in main (refuses outside Twilio mode). */
  /** "Share the player on my network" (Local mode): the viewer page's token and HLS; absent (CLI): refused. */
  viewers?: ViewerSource;
  roomTokens?: (identity: string, ttlSeconds: number) => Promise<{ token: string; expiresAt: string; room: string; host: string }>;
}

/**
 * Guests on air, one owner for the IPC handlers and the CLI: the guests' settings, the invites,
 * who is backstage or on stage, and (Local mode) the network guest server, which relays each
 * guest page's WebRTC signalling to and from the renderer.
 */
export class GuestService {
  private readonly config: GuestConfigStore;
  private readonly invites: InviteBook;
  private readonly roster: GuestRoster;
  private readonly links = new Map<string, GuestLink>();
  /** Twilio mode: participant SID → guest id. */
  private readonly participants = new Map<string, string>();
  private server: GuestServer | null = null;
  private serverView: GuestServerView = { state: 'off', url: null, fingerprint: null, error: null };
  /** Serialises starts and stops of the server. */
  private switching: Promise<void> = Promise.resolve();

  constructor(private readonly options: GuestServiceOptions) {
    this.config = new GuestConfigStore(options.store);
    this.invites = new InviteBook(options.store, options.now);
    this.roster = new GuestRoster(options.now);
  }

  snapshot(): GuestsSnapshot {
    return { config: this.config.read(), server: { ...this.serverView }, invites: this.invites.list(), guests: this.roster.list() };
  }

  /** Starts the guest server if the user left "Share on my network" (or the player) on. */
  async resume(): Promise<GuestsSnapshot> {
    const config = this.config.read();
    if (config.shareOnNetwork || config.sharePlayer) await this.apply();
    return this.snapshot();
  }

  async configure(patch: GuestsConfigPatch): Promise<GuestsSnapshot> {
    const before = this.config.read();
    const after = this.config.update(patch);
    const network =
      before.shareOnNetwork !== after.shareOnNetwork || before.sharePlayer !== after.sharePlayer || before.listenAddress !== after.listenAddress || before.port !== after.port;
    if (network || ((after.shareOnNetwork || after.sharePlayer) && this.serverView.state !== 'on')) await this.apply();
    this.changed();
    return this.snapshot();
  }

  /** A new invite and its link (shown once: only its hash is kept). Needs the guest server on. */
  invite(request: InviteCreateRequest): InviteCreated {
    if (!this.config.read().shareOnNetwork || this.serverView.state !== 'on' || !this.serverView.url || !this.serverView.fingerprint) {
      throw new StudioError('guests.not_sharing', 'Turn on “Share on my network” first: the invite link points at it.');
    }
    const { invite, token } = this.invites.create(request);
    this.changed();
    return { invite, link: `${this.serverView.url}#invite=${token}`, fingerprint: this.serverView.fingerprint };
  }

  /**
   * Twilio mode: an invite whose link opens the guest page at the streamer's URL with a room token
   * in its fragment. The guest's identity is their name + the invite's id, so the studio knows
   * which invite a participant came with (a revoked one is turned away when they connect).
   */
  async roomInvite(request: RoomInviteRequest): Promise<RoomInviteCreated> {
    const pageUrl = this.config.read().guestPageUrl;
    if (!pageUrl) throw new StudioError('guests.no_page_url', 'Set the guest page URL first (where you host the guest page; see the README).');
    if (!this.options.roomTokens) throw new StudioError('guests.not_twilio', 'Invites for the Twilio room need Twilio mode.');
    const id = newInviteId();
    const identity = roomGuestIdentity(request.name, id);
    const minted = await this.options.roomTokens(identity, request.validMinutes * 60);
    const { invite } = this.invites.create({ ...request, maxUses: 1 }, id);
    this.changed();
    return { invite, link: `${pageUrl}${roomInviteFragment({ token: minted.token, host: minted.host })}`, identity, room: minted.room, expiresAt: minted.expiresAt };
  }

  revoke(id: string): InviteView {
    const invite = this.invites.revoke(id);
    this.changed();
    return invite;
  }

  act(guestId: string, action: GuestAction): GuestView {
    const guest = this.roster.act(guestId, action);
    if (action === 'remove' && guest.via === 'room' && this.options.disconnectParticipant) {
      // Off the program at once; the room follows (a failure is logged, never the host's problem).
      this.options.disconnectParticipant(guest.inviteId).catch((error: unknown) => this.options.log?.(`could not disconnect a removed room guest: ${(error as { code?: string }).code ?? 'failed'}`));
    }
    const link = this.links.get(guestId);
    if (link) {
      link.send({ type: 'state', state: guest.state, muted: guest.muted });
      if (action === 'remove') {
        this.links.delete(guestId);
        link.close('removed');
      }
    }
    this.changed();
    return guest;
  }

  /**
   * Twilio mode: the studio's room reports a participant. One who connects arrives backstage (or
   * the same guest again after a reconnect; null when the studio is full); one who leaves drops.
   */
  fromRoom({ event, participantSid, identity }: RoomParticipantRequest): GuestView | null {
    const known = this.participants.get(participantSid);
    const guest = known ? this.roster.get(known) : undefined;
    if (event === 'disconnected') {
      const dropped = guest ? this.roster.drop(guest.id) : undefined;
      if (dropped) this.changed();
      return dropped ?? guest ?? null;
    }
    if (guest && isPresent(guest.state)) return guest;
    const inviteId = inviteIdOfIdentity(identity);
    const inviteState = inviteId ? this.invites.stateOf(inviteId) : null;
    if (inviteState === 'revoked') {
      // A revoked invite's token may still be valid at Twilio: the studio turns its holder away.
      this.options.disconnectParticipant?.(participantSid).catch(() => this.options.log?.('could not disconnect a revoked room guest'));
      return null;
    }
    if (this.roster.present() >= this.config.read().maxGuests) return null;
    const arrived = this.roster.arrive(nameOfIdentity(identity), participantSid, 'room');
    if (inviteId && inviteState !== null && !known) this.invites.countUse(inviteId);
    this.participants.set(participantSid, arrived.id);
    this.changed();
    return arrived;
  }

  /** The renderer's answer, offer or candidate for a guest's page. */
  signal({ guestId, signal }: GuestSignal): void {
    const link = this.links.get(guestId);
    const guest = this.roster.get(guestId);
    if (!link || !guest || !isPresent(guest.state)) throw new StudioError('guests.guest_gone', 'This guest has left.');
    link.send({ type: 'signal', signal });
  }

  /** Stops the guest server (the studio is closing); the setting stays as the user left it. */
  async close(): Promise<void> {
    await this.stopServer();
  }

  private readonly handler: GuestServerHandler = {
    join: (link, hello) => {
      const config = this.config.read();
      const checked = this.invites.check(hello.invite);
      if (!checked.ok) return checked;
      if (this.roster.present() >= config.maxGuests) return { ok: false, reason: 'full' };
      const redeemed = this.invites.redeem(hello.invite);
      if (!redeemed.ok) return redeemed;
      const guest = this.roster.arrive(hello.name, redeemed.invite.id);
      this.links.set(guest.id, link);
      link.send({ type: 'welcome', guestId: guest.id, state: guest.state, muted: guest.muted });
      this.options.log?.(`guest joined backstage (${guest.id})`);
      this.changed();
      return { ok: true, guestId: guest.id };
    },
    message: (guestId, message) => {
      if (message.type === 'leave') {
        this.links.get(guestId)?.close('left');
        return;
      }
      this.relay(guestId, message.signal);
    },
    closed: (guestId) => {
      this.links.delete(guestId);
      if (this.roster.drop(guestId)) this.changed();
    },
  };

  private relay(guestId: string, signal: Signal): void {
    const guest = this.roster.get(guestId);
    if (!guest || !isPresent(guest.state)) return;
    this.options.onSignal?.({ guestId, signal });
  }

  /** Brings the server in line with the settings: off, or on at the chosen address and port. */
  private apply(): Promise<void> {
    const step = this.switching.then(async () => {
      await this.stopServer();
      const config = this.config.read();
      if (!config.shareOnNetwork && !config.sharePlayer) return;
      if (!this.options.guestRoot) {
        this.serverView = { state: 'failed', url: null, fingerprint: null, error: 'no_guest_page' };
        return;
      }
      if (config.sharePlayer && !this.options.viewers) {
        this.serverView = { state: 'failed', url: null, fingerprint: null, error: 'no_viewer_page' };
        return;
      }
      this.serverView = { state: 'starting', url: null, fingerprint: null, error: null };
      this.changed();
      try {
        const certificate = await guestCertificate(this.options.vault, config.listenAddress, this.options.now);
        this.server = await startGuestServer({
          address: config.listenAddress,
          port: config.port,
          certificate,
          guestRoot: this.options.guestRoot,
          guestPage: config.shareOnNetwork,
          viewers: config.sharePlayer ? this.options.viewers : null,
          handler: this.handler,
          limits: this.options.limits,
          viewerLimits: { ...this.options.viewerLimits, max: () => this.config.read().maxViewers },
          log: this.options.log,
        });
        this.serverView = { state: 'on', url: `${this.server.origin}/`, fingerprint: certificate.fingerprint, error: null };
        this.options.log?.(`guest server listening on ${this.server.origin}`);
      } catch (error) {
        const code = error instanceof StudioError ? error.code : ((error as NodeJS.ErrnoException).code ?? 'failed');
        this.serverView = { state: 'failed', url: null, fingerprint: null, error: code };
        this.options.log?.(`guest server could not start: ${code}`);
      }
    });
    this.switching = step.catch(() => undefined);
    return step;
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.serverView = { state: 'off', url: null, fingerprint: null, error: null };
    if (!server) return;
    for (const [guestId, link] of this.links) {
      link.close('sharing stopped');
      this.roster.drop(guestId);
    }
    this.links.clear();
    await server.close();
  }

  /** How many viewers watch the shared player now. */
  viewersWatching(): number {
    return this.server?.viewersWatching() ?? 0;
  }

  /** The running server's refusals (tests and the activity log). */
  refusals(): Record<string, number> {
    return this.server?.refusals() ?? {};
  }

  private changed(): void {
    this.options.onChange?.(this.snapshot());
  }
}
