import Conf from 'conf';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SecretCipher } from '../../src/main/core/settings/ports';
import { findFfmpeg } from '../../src/main/core/media/ffmpeg/find';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { SettingsService } from '../../src/main/core/settings/settings-service';
import { settingsChecks } from '../../src/main/core/settings-checks';
import { StudioError } from '../../src/shared/errors';
import { scratchDir } from '../support/scratch';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const KEY = `SK${'fedcba9876543210'.repeat(2)}`;
const SYNC = `IS${'00112233445566778899aabbccddeeff'}`;
const SECRET = 'Zx9-top-secret-value';

function makeService(cipher: SecretCipher = new SessionKeyCipher(), checkFfmpeg?: (path: string) => Promise<void>) {
  const dir = scratchDir('settings');
  const store = new Conf<Record<string, unknown>>({ projectName: 'onair-test', cwd: dir, configName: 'settings' });
  const changes: unknown[] = [];
  const service = new SettingsService(store, cipher, { ...settingsChecks(), ...(checkFfmpeg ? { ffmpeg: checkFfmpeg } : {}) }, (view) => changes.push(view));
  return { service, store, changes, file: join(dir, 'settings.json') };
}

describe('SettingsService', () => {
  it('starts in local mode with the seed room name', async () => {
    const { service } = makeService();
    const view = await service.view();
    expect(view).toMatchObject({ mode: 'local', roomName: 'myroom', configured: false, hasApiSecret: false });
    expect(view.missing).toEqual(['accountSid', 'apiKeySid', 'apiSecret', 'syncServiceSid']);
    expect(await service.credentials()).toBeNull();
  });

  it('stores credentials, masks the key id and keeps the secret encrypted at rest', async () => {
    const { service, file, changes } = makeService();
    const view = await service.update({ mode: 'twilio', accountSid: ACCOUNT, apiKeySid: KEY, apiSecret: SECRET, syncServiceSid: SYNC });
    expect(view).toMatchObject({ mode: 'twilio', configured: true, missing: [], hasApiSecret: true, apiKeySidMasked: 'SK••••••••••••3210' });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(KEY);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(SECRET);
    expect(raw).toContain(KEY); // the key id is not a secret; only the view masks it
    expect(JSON.stringify(changes)).not.toContain(SECRET);
    await expect(service.credentials()).resolves.toEqual({ accountSid: ACCOUNT, apiKeySid: KEY, apiSecret: SECRET, syncServiceSid: SYNC });
  });

  it('keeps what is stored when a patch leaves fields out, and clears a SID given as empty', async () => {
    const { service } = makeService();
    await service.update({ accountSid: ACCOUNT, roomName: 'studio-a' });
    await service.update({ identity: '配信者' });
    let view = await service.view();
    expect(view).toMatchObject({ accountSid: ACCOUNT, roomName: 'studio-a', identity: '配信者' });
    view = await service.update({ accountSid: '' });
    expect(view.accountSid).toBe('');
  });

  it('rejects bad formats with a field and a message key, writing nothing', async () => {
    const { service } = makeService();
    const attempt = service.update({ accountSid: 'AC-not-hex', roomName: 'ok-room' });
    await expect(attempt).rejects.toBeInstanceOf(StudioError);
    await expect(attempt).rejects.toMatchObject({
      code: 'settings.invalid',
      details: { issues: [{ path: 'accountSid', messageKey: 'validation.accountSid' }] },
    });
    expect((await service.view()).roomName).toBe('myroom');
  });

  it('refuses a secret when the vault is unavailable and says which backend', async () => {
    const noKeyring: SecretCipher = {
      status: async () => ({ available: false, backend: 'basic_text', persistent: true }),
      encrypt: async () => {
        throw new Error('must not be called');
      },
      decrypt: async () => {
        throw new Error('must not be called');
      },
    };
    const { service, file } = makeService(noKeyring);
    await expect(service.update({ apiSecret: SECRET, roomName: 'x1' })).rejects.toMatchObject({
      code: 'vault.unavailable',
      details: { reason: 'basic_text' },
    });
    expect((await service.view()).roomName).toBe('myroom');
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').not.toContain(SECRET);
  });

  it('treats a secret it can no longer decrypt as absent (session key after a restart)', async () => {
    const { service, store } = makeService();
    await service.update({ apiSecret: SECRET });
    const restarted = new SettingsService(store, new SessionKeyCipher(), settingsChecks());
    expect((await restarted.view()).hasApiSecret).toBe(false);
    expect(await restarted.credentials()).toBeNull();
  });

  it('survives a restart with a provided vault key', async () => {
    const keyHex = 'ab'.repeat(32);
    const { service, store } = makeService(new SessionKeyCipher(keyHex));
    await service.update({ apiSecret: SECRET });
    const restarted = new SettingsService(store, new SessionKeyCipher(keyHex), settingsChecks());
    expect((await restarted.view()).hasApiSecret).toBe(true);
    expect(() => new SessionKeyCipher('short')).toThrow(/64 hex digits/);
  });

  it('ignores hand-edited invalid values on disk', async () => {
    const { service, store } = makeService();
    store.set('settings', { mode: 'hacked', accountSid: 'nope', roomName: 'fine-room' });
    const view = await service.view();
    expect(view.mode).toBe('local');
    expect(view.accountSid).toBe('');
  });

  it('keeps an ffmpeg path only when it is absolute', async () => {
    const checked: string[] = [];
    const { service } = makeService(undefined, async (path) => void checked.push(path));
    expect((await service.view()).ffmpegPath).toBe('');
    await expect(service.update({ ffmpegPath: 'ffmpeg' })).rejects.toMatchObject({
      details: { issues: [{ path: 'ffmpegPath', messageKey: 'validation.ffmpegPath' }] },
    });
    expect((await service.update({ ffmpegPath: '/opt/ffmpeg/bin/ffmpeg' })).ffmpegPath).toBe('/opt/ffmpeg/bin/ffmpeg');
    expect((await service.update({ ffmpegPath: 'C:\\ffmpeg\\bin\\ffmpeg.exe' })).ffmpegPath).toBe('C:\\ffmpeg\\bin\\ffmpeg.exe');
    expect((await service.update({ ffmpegPath: '' })).ffmpegPath).toBe('');
    expect(checked).toEqual(['/opt/ffmpeg/bin/ffmpeg', 'C:\\ffmpeg\\bin\\ffmpeg.exe']);
  });

  it('keeps an ffmpeg path only when it is ffmpeg, and says why not (nothing is stored then)', async () => {
    const real = findFfmpeg({ env: { PATH: process.env.PATH } });
    expect(real, 'ffmpeg must be installed').not.toBeNull();
    const { service, changes } = makeService();
    expect((await service.update({ ffmpegPath: real!.path })).ffmpegPath).toBe(real!.path);

    const dir = scratchDir('settings-ffmpeg');
    const impostor = join(dir, 'ffmpeg');
    const stdin = join(dir, 'stdin.bin');
    writeFileSync(impostor, `#!/bin/sh\ncat >> '${stdin}'\necho "FFmpeg? No: version 1.0 of something else"\n`);
    chmodSync(impostor, 0o755);
    const plain = join(dir, 'plain');
    writeFileSync(plain, '');
    const refusals: Array<[string, string, string]> = [
      [impostor, 'ffmpeg.not_ffmpeg', 'not_ffmpeg'],
      ['/bin/cat', 'ffmpeg.not_ffmpeg', 'not_ffmpeg'],
      [join(dir, 'missing'), 'ffmpeg.not_found', 'not_found'],
      [plain, 'ffmpeg.not_executable', 'not_executable'],
    ];
    const before = changes.length;
    for (const [path, code, reason] of refusals) {
      await expect(service.update({ ffmpegPath: path, roomName: 'other-room' }), path).rejects.toMatchObject({
        code,
        details: { reason, issues: [{ path: 'ffmpegPath', messageKey: `errors.${code}` }] },
      });
    }
    expect(changes.length).toBe(before);
    expect(await service.view()).toMatchObject({ ffmpegPath: real!.path, roomName: 'myroom' });
    expect(existsSync(stdin) ? statSync(stdin).size : 0).toBe(0);
  });

  it('forgets the secret on request', async () => {
    const { service } = makeService();
    await service.update({ apiSecret: SECRET });
    expect((await service.clearSecret()).hasApiSecret).toBe(false);
  });
});
