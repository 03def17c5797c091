import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeClient, bridgeAddress, connectBridge } from '../../support/bridge-client';
import { type RunningHarness, startHarness } from '../../support/harness-process';

/**
 * The built harness (`out/main/harness.js`, its own process) against a client that holds the key
 * and then sends a broken WebSocket frame or bridge message, written byte by byte on a raw TCP
 * socket after a valid upgrade. Each one must close that connection (with a close code) and
 * nothing else: the process lives, an open connection and a new one still get `app.info`.
 */

const OPCODE = { text: 0x1, binary: 0x2, reserved3: 0x3, close: 0x8 } as const;
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
const CLOSE_WAIT_MS = 5_000;

interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv1?: boolean;
  mask?: boolean;
  /** Declare this payload length in the header instead of payload.length (the payload bytes are still sent as given). */
  declaredLength?: bigint;
}

/** One client → server frame, built by hand (RFC 6455 §5.2). */
function frame({ opcode, payload = Buffer.alloc(0), fin = true, rsv1 = false, mask = true, declaredLength }: FrameSpec): Buffer {
  const length = declaredLength ?? BigInt(payload.length);
  const first = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  const maskBit = mask ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, maskBit | Number(length)]);
  } else if (length < 65_536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = maskBit | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, masked]);
}

const text = (value: string | Buffer) => frame({ opcode: OPCODE.text, payload: Buffer.from(value) });

/** A binary bridge call: `[u32 header length][header JSON][bytes]`, with any header the test wants. */
function binaryCall(header: unknown, bytes = Buffer.from([1, 2, 3])): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return frame({ opcode: OPCODE.binary, payload: Buffer.concat([length, json, bytes]) });
}

interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** Server → client frames (unmasked) in what the socket received after the 101 response. */
function serverFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(start, start + length) });
    at = start + length;
  }
  return frames;
}

interface RawConnection {
  socket: Socket;
  /** Everything received after the upgrade response. */
  received: () => Buffer;
  /** Resolves when the TCP connection is closed. */
  closed: Promise<void>;
}

/** A valid upgrade, by hand: the page origin and the key as subprotocol. */
async function openRaw(launchUrl: string): Promise<RawConnection> {
  const address = bridgeAddress(launchUrl);
  const url = new URL(address.bridgeUrl);
  const socket = connect(Number(url.port), url.hostname);
  // Writing the rest of a 5 MiB frame to a connection the server has just closed fails with
  // EPIPE/ECONNRESET; that is the expected outcome, observed through `closed`.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const secKey = randomBytes(16).toString('base64');
  let buffer = Buffer.alloc(0);
  let headEnd = -1;
  const upgraded = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (headEnd >= 0) return;
      headEnd = buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buffer.subarray(0, headEnd).toString('latin1');
      const accept = createHash('sha1').update(`${secKey}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      if (!head.startsWith('HTTP/1.1 101 ')) reject(new Error(`upgrade refused: ${head}`));
      else if (!head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) reject(new Error(`bad accept: ${head}`));
      else if (!head.includes(address.protocol)) reject(new Error(`key subprotocol not selected: ${head}`));
      else resolve();
    });
    void closed.then(() => reject(new Error('closed during the upgrade')));
  });
  socket.write(
    [
      `GET ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${secKey}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${address.protocol}`,
      `Origin: ${address.origin}`,
      '',
      '',
    ].join('\r\n'),
  );
  await upgraded;
  return { socket, received: () => buffer.subarray(headEnd + 4), closed };
}

function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(what())), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Waits for the server's close frame, answers it as a client does (the closing handshake, after
 * which the server ends the TCP connection) and waits for the connection to close.
 */
async function closeFrameOf(raw: RawConnection): Promise<{ code: number; reason: string }> {
  const close = await within(
    (async () => {
      for (;;) {
        const found = serverFrames(raw.received()).find((f) => f.opcode === OPCODE.close);
        if (found) return found;
        if (raw.socket.destroyed) throw new Error(`closed without a close frame; received ${raw.received().toString('hex')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    CLOSE_WAIT_MS,
    () => `no close frame; received ${raw.received().toString('hex')}`,
  );
  if (!raw.socket.destroyed) raw.socket.write(frame({ opcode: OPCODE.close, payload: close.payload.subarray(0, 2) }));
  await within(raw.closed, CLOSE_WAIT_MS, () => 'the server did not end the connection after the closing handshake');
  return { code: close.payload.readUInt16BE(0), reason: close.payload.subarray(2).toString() };
}

/** The server's JSON reply to call `id` on a raw connection. */
function replyTo(raw: RawConnection, id: number): Promise<unknown> {
  return within(
    (async () => {
      for (;;) {
        for (const f of serverFrames(raw.received())) {
          if (f.opcode !== OPCODE.text) continue;
          const message = JSON.parse(String(f.payload)) as { id?: number };
          if (message.id === id) return message;
        }
        if (raw.socket.destroyed) throw new Error(`closed before replying to call ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    CLOSE_WAIT_MS,
    () => `no reply to call ${id}; received ${raw.received().toString('hex')}`,
  );
}

let harness: RunningHarness;
let steady: BridgeClient;

beforeAll(async () => {
  harness = await startHarness();
  steady = await connectBridge(harness.url);
}, 30_000);

afterAll(async () => {
  await steady?.close();
  await harness?.stop();
});

const APP_INFO_OK = { ok: true, value: { name: 'OnAir Studio', shell: 'web' } };

async function expectHarnessStillServes(): Promise<void> {
  await expect(steady.call('app.info'), 'the connection opened before still answers').resolves.toMatchObject(APP_INFO_OK);
  const fresh = await connectBridge(harness.url);
  try {
    await expect(fresh.call('app.info'), 'a new connection answers').resolves.toMatchObject(APP_INFO_OK);
  } finally {
    await fresh.close();
  }
  expect({ exitCode: harness.child.exitCode, signal: harness.child.signalCode }).toEqual({ exitCode: null, signal: null });
}

interface BadInput {
  name: string;
  bytes: () => Buffer;
  /** The close code the server must send. */
  code: number;
}

const bad: BadInput[] = [
  {
    name: 'a frame over 5 MiB',
    bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.alloc(MAX_MESSAGE_BYTES + 1) }),
    code: 1009,
  },
  {
    name: 'a declared payload length of 2^40',
    bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.from('x'), declaredLength: 2n ** 40n }),
    code: 1009,
  },
  { name: 'invalid UTF-8 in a text frame', bytes: () => text(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d])), code: 1007 },
  {
    name: 'an unmasked client frame',
    bytes: () => frame({ opcode: OPCODE.text, payload: Buffer.from('{"id":1,"channel":"app.info"}'), mask: false }),
    code: 1002,
  },
  { name: 'opcode 3 (reserved)', bytes: () => frame({ opcode: OPCODE.reserved3, payload: Buffer.from('x') }), code: 1002 },
  {
    name: 'RSV1 set without a negotiated extension',
    bytes: () => frame({ opcode: OPCODE.text, payload: Buffer.from('{"id":1,"channel":"app.info"}'), rsv1: true }),
    code: 1002,
  },
  { name: 'a text frame that is not JSON', bytes: () => text('app.info please'), code: 1003 },
  { name: 'a binary frame too short for its header length', bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.from([0, 0]) }), code: 1003 },
  { name: 'a channel {"toString":null}', bytes: () => text('{"id":1,"channel":{"toString":null}}'), code: 1008 },
  { name: 'a channel that is an array (["app.info"])', bytes: () => text('{"id":1,"channel":["app.info"]}'), code: 1008 },
  { name: 'a missing channel', bytes: () => text('{"id":1}'), code: 1008 },
  { name: 'an id that is not an integer (1.5)', bytes: () => text('{"id":1.5,"channel":"app.info"}'), code: 1008 },
  { name: 'an id beyond the safe integers (2^53 + 2)', bytes: () => text('{"id":9007199254740994,"channel":"app.info"}'), code: 1008 },
  { name: 'a JSON array instead of a call', bytes: () => text('[1,"app.info"]'), code: 1008 },
  {
    name: 'a binary call whose channel is a number',
    bytes: () => binaryCall({ id: 1, channel: 42, field: 'bytes', payload: {} }),
    code: 1008,
  },
  {
    name: 'a binary call whose channel is {"toString":null}',
    bytes: () => binaryCall({ id: 1, channel: { toString: null }, field: 'bytes', payload: {} }),
    code: 1008,
  },
];

describe('the harness bridge against malformed frames from a client holding the key', () => {
  it('answers well-formed hand-built frames (the raw client itself is right)', async () => {
    const raw = await openRaw(harness.url);
    raw.socket.write(text('{"id":7,"channel":"app.info"}'));
    await expect(replyTo(raw, 7)).resolves.toMatchObject({ id: 7, envelope: APP_INFO_OK });
    // A binary call is decoded and dispatched too (app.info takes no payload, so the dispatcher refuses it).
    raw.socket.write(binaryCall({ id: 8, channel: 'app.info', field: 'bytes', payload: {} }));
    await expect(replyTo(raw, 8)).resolves.toMatchObject({ id: 8, envelope: { ok: false, error: { code: 'ipc.invalid_payload' } } });
    raw.socket.destroy();
    await raw.closed;
  });

  it.each(bad)('$name: closes that connection with $code, and the harness lives on', { timeout: 20_000 }, async ({ bytes, code }) => {
    const raw = await openRaw(harness.url);
    raw.socket.write(bytes());
    expect((await closeFrameOf(raw)).code).toBe(code);
    // No reply was sent for the bad call.
    expect(serverFrames(raw.received()).filter((f) => f.opcode === OPCODE.text && String(f.payload).includes('"envelope"'))).toEqual([]);
    await expectHarnessStillServes();
  });

  it('refuses an upgrade whose URL cannot be parsed, before any key check, and lives on', async () => {
    const { port } = new URL(harness.origin);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await within(closed, CLOSE_WAIT_MS, () => `connection not closed; received ${response}`);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    await expectHarnessStillServes();
  });

  it('gives its own closes a reason', async () => {
    const raw = await openRaw(harness.url);
    raw.socket.write(text('{"id":1,"channel":["app.info"]}'));
    expect(await closeFrameOf(raw)).toEqual({ code: 1008, reason: expect.stringMatching(/channel/) });
    const notJson = await openRaw(harness.url);
    notJson.socket.write(text('app.info please'));
    expect(await closeFrameOf(notJson)).toEqual({ code: 1003, reason: expect.stringMatching(/malformed/) });
    await expectHarnessStillServes();
  });
});
