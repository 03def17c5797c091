import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type Handlers } from '../../src/main/core/ipc/dispatcher';
import { CHANNEL_NAMES } from '../../src/shared/contract';
import { StudioError, normaliseIpcError } from '../../src/shared/errors';

const view = {
  mode: 'local' as const,
  accountSid: '',
  apiKeySidMasked: '',
  hasApiSecret: false,
  syncServiceSid: '',
  roomName: 'myroom',
  identity: 'streamer',
  roomType: 'group' as const,
  extension: 'video-composer-v1',
  maxDurationSeconds: 14400,
  ffmpegPath: '',
  recordingFolder: null,
  recordingFormat: 'mp4' as const,
  recordingDefaultFolder: '/home/streamer/Videos',
  outputResolution: '720p' as const,
  outputFps: 30 as const,
  outputVideoKbps: null,
  programEncoder: 'auto' as const,
  configured: false,
  missing: ['accountSid' as const],
  vault: { available: true, backend: 'test', persistent: true },
};

function setup(overrides: Partial<Handlers> = {}) {
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  const handlers: Handlers = {
    ...(Object.fromEntries(CHANNEL_NAMES.map((name) => [name, notUsed])) as unknown as Handlers),
    'app.info': () => ({ name: 'OnAir Studio', version: '1', platform: 'linux', shell: 'web' }),
    'settings.get': () => view,
    'settings.update': vi.fn(() => view),
    'settings.clearSecret': () => view,
    ...overrides,
  };
  const errors: unknown[] = [];
  const dispatch = createDispatcher({
    handlers,
    isTrustedSender: (sender) => sender.url === 'app://studio/index.html',
    onError: (entry) => errors.push(entry),
  });
  return { dispatch, handlers, errors };
}
const trusted = { url: 'app://studio/index.html' };

describe('dispatcher', () => {
  it('runs the handler for a trusted sender and a valid payload', async () => {
    const { dispatch } = setup();
    await expect(dispatch('settings.get', undefined, trusted)).resolves.toEqual({ ok: true, value: view });
  });

  it('rejects an untrusted sender before looking at the payload', async () => {
    const { dispatch, handlers } = setup();
    const reply = await dispatch('settings.update', { roomName: 'x' }, { url: 'https://evil.example' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
    expect(handlers['settings.update']).not.toHaveBeenCalled();
  });

  it('rejects unknown channels, including prototype names', async () => {
    const { dispatch } = setup();
    for (const channel of ['settings.delete', '__proto__', 'constructor', 'toString']) {
      await expect(dispatch(channel, undefined, trusted)).resolves.toMatchObject({ ok: false, error: { code: 'ipc.unknown_channel' } });
    }
  });

  it('validates payloads with the contract schema and reports field issues', async () => {
    const { dispatch, handlers } = setup();
    const cases: Array<[unknown, string]> = [
      [{ accountSid: 'AC12' }, 'validation.accountSid'],
      [{ apiKeySid: `AC${'0'.repeat(32)}` }, 'validation.apiKeySid'],
      [{ syncServiceSid: `IS${'g'.repeat(32)}` }, 'validation.syncServiceSid'],
      [{ identity: '<script>' }, 'validation.identity'],
      [{ roomName: '' }, 'validation.roomName'],
      [{ mode: 'cloud' }, 'validation.mode'],
    ];
    for (const [payload, messageKey] of cases) {
      const reply = await dispatch('settings.update', payload, trusted);
      expect(reply, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload', details: { issues: [{ messageKey }] } } });
    }
    expect(await dispatch('settings.update', { nope: 1 }, trusted)).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
    expect(await dispatch('settings.get', { sneaky: true }, trusted)).toMatchObject({ ok: false, error: { code: 'ipc.invalid_payload' } });
    expect(handlers['settings.update']).not.toHaveBeenCalled();
  });

  it('passes a StudioError through and hides unexpected errors', async () => {
    const secret = 'hunter2-secret';
    const { dispatch, errors } = setup({
      'settings.clearSecret': () => {
        throw new StudioError('vault.unreadable', 'gone');
      },
      'settings.get': () => {
        throw new Error(`exploded with ${secret}`);
      },
    });
    expect(await dispatch('settings.clearSecret', undefined, trusted)).toEqual({ ok: false, error: { code: 'vault.unreadable', message: 'gone' } });
    const hidden = await dispatch('settings.get', undefined, trusted);
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(hidden)).not.toContain(secret);
    expect(JSON.stringify(errors)).not.toContain(secret);
  });

  it('refuses to send a response that breaks the contract', async () => {
    const { dispatch } = setup({ 'settings.get': () => ({ ...view, apiSecret: 'leak' }) as never });
    const reply = await dispatch('settings.get', undefined, trusted);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('leak');
  });
});

describe('normaliseIpcError', () => {
  it('keeps known codes and maps anything else to ipc.transport', () => {
    expect(normaliseIpcError({ code: 'settings.invalid', message: 'm', details: { issues: [] } })).toEqual({
      code: 'settings.invalid',
      message: 'm',
      details: { issues: [] },
    });
    expect(normaliseIpcError({ code: 'weird', message: 'boom' })).toEqual({ code: 'ipc.transport', message: 'boom' });
    expect(normaliseIpcError(new Error('socket closed'))).toEqual({ code: 'ipc.transport', message: 'socket closed' });
    expect(normaliseIpcError(undefined)).toEqual({ code: 'ipc.transport', message: 'undefined' });
  });
});
