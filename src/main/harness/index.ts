import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SessionKeyCipher } from '../core/settings/session-key-cipher';
import { webSettingsStore } from '../core/settings/web-settings-store';
import { createStudioCore } from '../core/studio-core';
import { startWebHarness } from './web-server';

/**
 * `npm run studio:web`: the studio in any Chromium, without an Electron binary.
 * Same core, same handlers, same contract as the desktop app; the preload is
 * replaced by a WebSocket bridge on 127.0.0.1.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.ONAIR_WEB_PORT ?? '5180' },
    'data-dir': { type: 'string', default: process.env.ONAIR_DATA_DIR },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number between 0 and 65535, got "${values.port}".`);
  process.exit(2);
}

const here = fileURLToPath(new URL('.', import.meta.url));
const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
};
const store = webSettingsStore(values['data-dir']);

let cipher: SessionKeyCipher;
try {
  cipher = new SessionKeyCipher(process.env.ONAIR_VAULT_KEY);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const harness = await startWebHarness({
  rendererRoot: join(here, '../renderer'),
  port,
  log: (line) => console.info(`[onair] ${line}`),
  createCore: (isTrustedOrigin, origin) =>
    createStudioCore({
      store,
      cipher,
      dataDir: dirname(store.path),
      appOrigin: origin,
      twilioOrigin: process.env.ONAIR_TWILIO_API_ORIGIN,
      info: { name: 'OnAir Studio', version: packageVersion(), platform: process.platform, shell: 'web' },
      isTrustedSender: (sender) => isTrustedOrigin(sender.url),
      guestRoot: join(here, '../renderer/guest'),
      log: (line) => console.info(`[onair] ${line}`),
    }),
}).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} on 127.0.0.1 is in use. Start with --port 0 (any free port) or --port <number>.`
      : `Could not start the web studio: ${error.message}`,
  );
  process.exit(1);
});

console.info(`OnAir Studio (web) is running. Open this link in Chromium or Chrome:\n  ${harness.launchUrl}`);
console.info(`Settings file: ${store.path}`);
console.info(JSON.stringify({ event: 'ready', origin: harness.origin, url: harness.launchUrl }));

const shutdown = () => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
