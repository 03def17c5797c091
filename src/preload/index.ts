import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from '../shared/api-surface';
import { type Envelope, ipcChannel, ipcEventChannel } from '../shared/contract';

/**
 * Exposes exactly one frozen object, `window.onair`, derived from the contract.
 * The renderer never sees ipcRenderer, the event object or any Node API.
 */
const api = buildApi(
  (channel, request) => ipcRenderer.invoke(ipcChannel(channel), request) as Promise<Envelope<unknown>>,
  (event, listener) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(ipcEventChannel(event), wrapped);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel(event), wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('onair', api);
