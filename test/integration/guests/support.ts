import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { GuestService, type GuestServiceOptions } from '../../../src/main/core/guests/guest-service';
import type { JoinLimits } from '../../../src/main/core/guests/join-limiter';
import type { ViewerSource } from '../../../src/main/core/guests/viewer-routes';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { SecretVault } from '../../../src/main/core/settings/secret-vault';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { GuestSignal, GuestsSnapshot, GuestWireOut } from '../../../src/shared/guests';
import { scratchDir } from '../../support/scratch';

/** A stand-in for the built guest page: the only files the guest server may serve. */
export function fakeGuestRoot(): string {
  const root = scratchDir('guest-root');
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>guest page</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'guest.js'), 'console.log("guest")');
  return root;
}

export interface GuestServiceUnderTest {
  service: GuestService;
  store: MemoryStore;
  snapshots: GuestsSnapshot[];
  signals: GuestSignal[];
  now: { value: number };
}

export function guestService(options: { limits?: JoinLimits; viewers?: ViewerSource; viewerLimits?: GuestServiceOptions['viewerLimits'] } = {}): GuestServiceUnderTest {
  const store = new MemoryStore();
  const snapshots: GuestsSnapshot[] = [];
  const signals: GuestSignal[] = [];
  const now = { value: Date.now() };
  const service = new GuestService({
    store,
    vault: new SecretVault(store, new SessionKeyCipher()),
    guestRoot: fakeGuestRoot(),
    onChange: (snapshot) => snapshots.push(snapshot),
    onSignal: (signal) => signals.push(signal),
    now: () => now.value,
    limits: options.limits,
    viewers: options.viewers,
    viewerLimits: options.viewerLimits,
  });
  return { service, store, snapshots, signals, now };
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fingerprint: string;
}

/** One HTTPS request to the guest server; the certificate is checked by the test (fingerprint), not by a CA. */
export function httpsGet(url: string, method = 'GET'): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, rejectUnauthorized: false }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A guest page's WebSocket, as a test drives it: every message it receives, and how it closed. */
export interface TestGuest {
  ws: WebSocket;
  received: GuestWireOut[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<boolean>;
  sendJson: (value: unknown) => void;
  next: (type: GuestWireOut['type']) => Promise<GuestWireOut>;
}

export function connectGuest(origin: string, options: { path?: string; origin?: string } = {}): TestGuest {
  const ws = new WebSocket(`${origin.replace('https:', 'wss:')}${options.path ?? '/signal'}`, { rejectUnauthorized: false, origin: options.origin ?? origin });
  const received: GuestWireOut[] = [];
  const waiters: Array<{ type: string; resolve: (message: GuestWireOut) => void }> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as GuestWireOut;
    received.push(message);
    for (const waiter of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
  });
  return {
    ws,
    received,
    closed,
    opened,
    sendJson: (value) => ws.send(JSON.stringify(value)),
    next: (type) => {
      const seen = received.find((message) => message.type === type);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
  };
}

/** A guest that joins with `token` and is welcomed (or refused). */
export async function joinAs(origin: string, token: string, name = 'Aiko'): Promise<TestGuest> {
  const guest = connectGuest(origin);
  if (!(await guest.opened)) throw new Error('the guest could not connect');
  guest.sendJson({ type: 'hello', seq: 1, invite: token, name });
  return guest;
}

export const tokenOf = (link: string) => link.split('#invite=')[1]!;
