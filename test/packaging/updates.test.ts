import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetFakeElectron } from '../support/fake-electron';

vi.mock('electron', async () => {
  const fake = await import('../support/fake-electron');
  return { ...fake.electronModule, default: fake.electronModule };
});

const updater = vi.hoisted(() => ({
  loaded: 0,
  checks: 0,
  failWith: null as Error | null,
  autoUpdater: {
    logger: null as unknown,
    async checkForUpdatesAndNotify() {
      updater.checks++;
      if (updater.failWith) throw updater.failWith;
      return null;
    },
  },
}));
vi.mock('electron-updater', () => {
  updater.loaded++;
  return { default: { autoUpdater: updater.autoUpdater } };
});

const { checkForUpdates } = await import('../../src/main/shell/updates');

describe('checkForUpdates', () => {
  beforeEach(() => {
    Object.assign(updater, { loaded: 0, checks: 0, failWith: null });
    delete process.env.ONAIR_DISABLE_UPDATES;
  });
  afterEach(() => {
    delete process.env.ONAIR_DISABLE_UPDATES;
  });

  it('does nothing, and does not even load electron-updater, when the app is not packaged', async () => {
    resetFakeElectron({ isPackaged: false });
    await expect(checkForUpdates({ log: () => {} })).resolves.toBe(false);
    expect(updater).toMatchObject({ loaded: 0, checks: 0 });
  });

  it('checks GitHub releases once in a packaged app, logging through the studio log', async () => {
    resetFakeElectron({ isPackaged: true });
    const lines: string[] = [];
    await expect(checkForUpdates({ log: (line) => lines.push(line) })).resolves.toBe(true);
    expect(updater.checks).toBe(1);
    (updater.autoUpdater.logger as { info(message: string): void }).info('Checking for update');
    expect(lines).toEqual(['updates: Checking for update']);
  });

  it('survives an offline or failing check', async () => {
    resetFakeElectron({ isPackaged: true });
    updater.failWith = new Error('net::ERR_INTERNET_DISCONNECTED');
    const lines: string[] = [];
    await expect(checkForUpdates({ log: (line) => lines.push(line) })).resolves.toBe(false);
    expect(lines).toEqual(['updates: check failed: net::ERR_INTERNET_DISCONNECTED']);
  });

  it('can be turned off for managed installs', async () => {
    resetFakeElectron({ isPackaged: true });
    process.env.ONAIR_DISABLE_UPDATES = '1';
    await expect(checkForUpdates({ log: () => {} })).resolves.toBe(false);
    expect(updater.checks).toBe(0);
  });
});
