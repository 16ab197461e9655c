/**
 * The preload (docs/architecture.md §2.5): builds the frozen window.api from the contract, one named function per
 * request channel and one `on…` subscribe function per event; nothing generic (no invoke/send/on) reaches the
 * page. Built as a self-contained CommonJS bundle because sandboxed preloads cannot require npm modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from '../../shared/ipc/build-api';
import { err, type Result } from '../../shared/ipc/result';

const api = buildApi({
  async invoke(channel, arg): Promise<Result<unknown>> {
    try {
      return (await ipcRenderer.invoke(channel, arg)) as Result<unknown>;
    } catch (e) {
      // A rejected invoke (no handler yet, main process restarting) still answers with a Result.
      return err('UNAVAILABLE', `The app did not answer ${channel}; try again or restart Sarix Commissioner.`, { cause: e instanceof Error ? e.message : String(e) });
    }
  },
  subscribe(event, listener) {
    // The IpcRendererEvent (with its sender) is dropped: the page only ever sees the payload.
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);
