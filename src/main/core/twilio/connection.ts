import { StudioError } from '../../../shared/errors';
import type { ConnectionTest } from '../../../shared/twilio';
import { SID_PATTERNS } from '../../../shared/settings';
import type { Mode } from '../../../shared/settings';
import type { LocalCloud } from '../local-cloud/index';
import type { SettingsService } from '../settings/settings-service';
import type { ActivityFeed } from './activity-feed';
import { createTwilioClient, type StudioTwilio, type TwilioTarget } from './client';
import type { RetryPolicy } from './request-client';

/** Credentials to try (omitted fields: the stored ones). */
export type ConnectionTestRequest = { mode?: 'local' | 'twilio'; accountSid?: string; apiKeySid?: string; apiSecret?: string };

/** Everything a Twilio operation needs: the client, and where the studio keeps its record. */
export interface Connection {
  mode: Mode;
  twilio: StudioTwilio;
  target: TwilioTarget;
  syncServiceSid: string;
}

export interface ConnectionOptions {
  settings: SettingsService;
  activity: ActivityFeed;
  /** Starts the embedded local cloud on first use. */
  localCloud: () => Promise<LocalCloud>;
  /** `ONAIR_TWILIO_API_ORIGIN`: send Twilio-mode calls to another Twilio-compatible server. */
  twilioOrigin?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Resolves the current mode to a Twilio target: the local cloud's own
 * credentials and origin, or the user's account (optionally at another origin).
 */
export class Connections {
  private cached: { key: string; connection: Connection } | null = null;

  constructor(private readonly options: ConnectionOptions) {}

  async current(): Promise<Connection> {
    const mode = this.options.settings.read().mode;
    return mode === 'local' ? this.local() : this.twilio();
  }

  /**
   * Test connection: one cheap authenticated call (list one room) with the stored credentials, or
   * with credentials typed into the form but not saved yet; how long it took.
   */
  async test(request: ConnectionTestRequest): Promise<ConnectionTest> {
    const connection = await this.toTest(request);
    const started = performance.now();
    await connection.twilio.guard('video', () => connection.twilio.rest.video.v1.rooms.list({ limit: 1 }));
    return { mode: connection.mode, accountSid: connection.target.accountSid, ms: Math.round(performance.now() - started) };
  }

  /** A Twilio-mode connection for credentials that are not stored yet (Test connection before Save). */
  forTwilio(credentials: { accountSid: string; apiKeySid: string; apiSecret: string }): Connection {
    const target = { ...credentials, origin: this.options.twilioOrigin || undefined };
    return { mode: 'twilio', target, syncServiceSid: '', twilio: this.client(target) };
  }

  /** The embedded local cloud, whatever the stored mode. */
  async local(): Promise<Connection> {
    let cloud: LocalCloud;
    try {
      cloud = await this.options.localCloud();
    } catch (error) {
      throw new StudioError('local_cloud.unavailable', `The local cloud could not start: ${(error as Error).message}`);
    }
    const { accountSid, apiKeySid, apiSecret, syncServiceSid } = cloud.credentials;
    return this.memo('local', { accountSid, apiKeySid, apiSecret, origin: cloud.origin }, syncServiceSid);
  }

  /** The stored connection, or one built from credentials typed into the form but not saved yet. */
  private async toTest(request: ConnectionTestRequest): Promise<Connection> {
    const { settings } = this.options;
    const stored = settings.read();
    const mode = request.mode ?? stored.mode;
    if (mode === 'local') return this.local();
    const credentials = await settings.credentials();
    const accountSid = request.accountSid?.trim() || stored.accountSid;
    const apiKeySid = request.apiKeySid?.trim() || stored.apiKeySid;
    const apiSecret = request.apiSecret || credentials?.apiSecret || '';
    const issues = [
      !SID_PATTERNS.accountSid.test(accountSid) && { path: 'accountSid', messageKey: 'validation.accountSid' },
      !SID_PATTERNS.apiKeySid.test(apiKeySid) && { path: 'apiKeySid', messageKey: 'validation.apiKeySid' },
      !apiSecret && { path: 'apiSecret', messageKey: 'validation.apiSecret' },
    ].filter((issue): issue is { path: string; messageKey: string } => Boolean(issue));
    if (issues.length > 0) {
      throw new StudioError('twilio.not_configured', 'Enter the Account SID, API key SID and secret to test the connection.', { issues });
    }
    return this.forTwilio({ accountSid, apiKeySid, apiSecret });
  }

  private async twilio(): Promise<Connection> {
    const credentials = await this.options.settings.credentials();
    if (!credentials) {
      throw new StudioError('twilio.not_configured', 'Twilio mode needs the Account SID, API key SID and secret. Add them in Settings.');
    }
    const { accountSid, apiKeySid, apiSecret, syncServiceSid } = credentials;
    return this.memo('twilio', { accountSid, apiKeySid, apiSecret, origin: this.options.twilioOrigin || undefined }, syncServiceSid);
  }

  private memo(mode: Mode, target: TwilioTarget, syncServiceSid: string): Connection {
    const key = JSON.stringify([mode, target, syncServiceSid]);
    if (this.cached?.key !== key) this.cached = { key, connection: { mode, target, syncServiceSid, twilio: this.client(target) } };
    return this.cached.connection;
  }

  private client(target: TwilioTarget): StudioTwilio {
    return createTwilioClient(target, {
      activity: this.options.activity,
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      sleep: this.options.sleep,
    });
  }
}
