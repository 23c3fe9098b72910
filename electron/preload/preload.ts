/**
 * The only bridge between the sandboxed renderer and the app: `window.restora`
 * with `request(method, params)` and `onEvent(cb)`. Nothing else of Electron or
 * Node is exposed. Requests are checked against the contract here already, so
 * a malformed call fails fast with a typed error; main checks again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { methods, isMethodName } from '../shared/contract/index.js';
import { describeIssues } from '../shared/rpc.js';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';

contextBridge.exposeInMainWorld('restora', {
  request(method: unknown, params: unknown) {
    if (typeof method !== 'string' || !isMethodName(method) || methods[method].exposure !== 'renderer') {
      return Promise.resolve({ ok: false, error: { code: 'UnknownMethod', message: `Unknown method: ${String(method).slice(0, 100)}` } });
    }
    const checked = methods[method].params.safeParse(params);
    if (!checked.success) {
      return Promise.resolve({ ok: false, error: { code: 'BadRequest', message: `Invalid parameters for ${method}: ${describeIssues(checked.error)}` } });
    }
    return ipcRenderer.invoke(IPC_CHANNELS.request, method, params);
  },
  /** The path of a file dropped on the window (for importing by drag and drop); '' for anything else. */
  pathForFile(file: unknown) {
    try {
      return file instanceof File ? webUtils.getPathForFile(file) : '';
    } catch {
      return '';
    }
  },
  onEvent(cb: (name: string, payload: unknown) => void) {
    if (typeof cb !== 'function') return () => undefined;
    const handler = (_e: unknown, name: string, payload: unknown) => cb(name, payload);
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
    };
  },
});
