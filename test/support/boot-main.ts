import { vi } from 'vitest';
import { resetFakeElectron, state } from './fake-electron';

/** What every studio window must be created with (asserted for the built and the packaged main). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  webviewTag: false,
  allowRunningInsecureContent: false,
} as const;

/**
 * Imports a main bundle afresh against the fake electron (the test file must
 * `vi.mock('electron', …)`), then lets `app` become ready.
 */
export async function bootMainBundle(bundle: string, options: Parameters<typeof resetFakeElectron>[0]): Promise<void> {
  resetFakeElectron(options);
  vi.resetModules();
  await import(/* @vite-ignore */ bundle);
  state.readyResolve();
  await new Promise((resolve) => setTimeout(resolve, 100));
}
