import { tmpdir } from 'node:os';
import { SessionKeyCipher } from '../main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../main/core/studio-core';
import { checkRoomName } from '../main/core/twilio/rooms';
import { checkIdentity } from '../main/core/twilio/tokens';
import { StudioError } from '../shared/errors';
import { cliLedgerStore } from './cli-ledger-store';
import { MemoryStore } from './memory-store';

export interface CliTwilioOptions {
  accountSid?: string;
  apiKey?: string;
  apiSecret?: string;
  syncService?: string;
  origin?: string;
  room?: string;
  identity?: string;
}

/**
 * The studio core for one CLI command, configured from flags over the Twilio CLI's
 * environment names. Always "Twilio mode": against Twilio, or against any
 * Twilio-compatible origin such as `onair cloud serve`. Settings (and the secret) live
 * in memory for this one run; only the broadcast's resource ledger is kept on disk.
 */
export async function coreFromOptions(options: CliTwilioOptions, env: NodeJS.ProcessEnv = process.env): Promise<StudioCore> {
  // The names first: a rejected --room or --identity is reported as such, before anything else.
  const roomName = options.room === undefined ? undefined : checkRoomName(options.room);
  const identity = options.identity === undefined ? undefined : checkIdentity(options.identity);
  const accountSid = options.accountSid ?? env.TWILIO_ACCOUNT_SID ?? '';
  const apiKeySid = options.apiKey ?? env.TWILIO_API_KEY ?? '';
  const apiSecret = options.apiSecret ?? env.TWILIO_API_SECRET ?? '';
  const syncServiceSid = options.syncService ?? env.TWILIO_SYNC_SERVICE_SID ?? '';
  if (!accountSid || !apiKeySid || !apiSecret) {
    throw new StudioError(
      'twilio.not_configured',
      'Set TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET (and TWILIO_SYNC_SERVICE_SID for broadcasts), or pass --account-sid, --api-key, --api-secret. For the local cloud, use the values `onair cloud serve` prints.',
    );
  }
  const core = createStudioCore({
    store: new MemoryStore(),
    ledgerStore: cliLedgerStore(accountSid, env),
    cipher: new SessionKeyCipher(),
    info: { name: 'OnAir Studio CLI', version: '0', platform: process.platform, shell: 'web' },
    dataDir: tmpdir(),
    appOrigin: 'null',
    isTrustedSender: () => false,
    twilioOrigin: options.origin ?? env.ONAIR_TWILIO_API_ORIGIN,
    localCloud: () => Promise.reject(new Error('the CLI does not start a local cloud; run `onair cloud serve`')),
  });
  await core.settings.update({
    mode: 'twilio',
    accountSid,
    apiKeySid,
    apiSecret,
    ...(syncServiceSid ? { syncServiceSid } : {}),
    ...(roomName ? { roomName } : {}),
    ...(identity ? { identity } : {}),
  });
  return core;
}
