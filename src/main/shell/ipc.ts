import { ipcMain, type WebContents } from 'electron';
import { CHANNEL_NAMES, ipcChannel, ipcEventChannel } from '../../shared/contract';
import type { StudioCore } from '../core/studio-core';

/** Registers one `ipcMain.handle` per contract channel; all of them go through the core's dispatcher. */
export function registerIpc(core: StudioCore): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(ipcChannel(channel), (event, payload: unknown) =>
      core.dispatch(channel, payload, { url: event.senderFrame?.url ?? null }),
    );
  }
}

/** Forwards core events to the window. */
export function forwardEvents(core: StudioCore, contents: WebContents): () => void {
  return core.events.connect((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEventChannel(event), payload);
  });
}
