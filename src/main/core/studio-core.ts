import type { AppInfo } from '../../shared/contract';
import { createDispatcher, type Dispatch, type Handlers, type Sender } from './ipc/dispatcher';
import { EventHub } from './ipc/event-hub';
import type { KeyValueStore, SecretCipher } from './settings/ports';
import { SettingsService } from './settings/settings-service';

export interface StudioCoreOptions {
  store: KeyValueStore;
  cipher: SecretCipher;
  info: AppInfo;
  isTrustedSender: (sender: Sender) => boolean;
  log?: (line: string) => void;
}

export interface StudioCore {
  dispatch: Dispatch;
  events: EventHub;
  settings: SettingsService;
}

/**
 * The composition root shared by the Electron shell and the browser harness:
 * the same services and the same handlers behind either transport.
 */
export function createStudioCore({ store, cipher, info, isTrustedSender, log = () => {} }: StudioCoreOptions): StudioCore {
  const events = new EventHub();
  const settings = new SettingsService(store, cipher, (view) => events.emit('settings.changed', view));

  const handlers: Handlers = {
    'app.info': () => info,
    'settings.get': () => settings.view(),
    'settings.update': (patch) => settings.update(patch),
    'settings.clearSecret': () => settings.clearSecret(),
  };

  const dispatch = createDispatcher({
    handlers,
    isTrustedSender,
    onError: ({ channel, code }) => log(`ipc ${channel} failed: ${code}`),
  });

  return { dispatch, events, settings };
}
