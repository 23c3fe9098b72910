/**
 * The renderer's only door: one invoke channel for requests and one push
 * channel for events. Every request is checked for its sender (our own
 * renderer origin), its size and its shape; the broker then validates the
 * parameters against the contract and refuses internal methods.
 */
import { ipcMain, BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Broker } from '../broker/broker.js';
import { RestoraError, toWireError } from '../shared/errors.js';
import { MAX_MESSAGE_BYTES } from '../shared/rpc.js';
import { IPC_CHANNELS } from '../shared/ipc-channels.js';
import { APP_ORIGIN } from './protocols.js';

function trustedSender(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function wireIpc(broker: Broker): void {
  ipcMain.handle(IPC_CHANNELS.request, async (e, method: unknown, params: unknown) => {
    try {
      if (!trustedSender(e)) throw new RestoraError('Unauthorized', 'Requests are only accepted from the Restora window');
      if (typeof method !== 'string' || method.length > 100) throw new RestoraError('BadRequest', 'Method must be a short string');
      let size = 0;
      try {
        size = JSON.stringify(params ?? null).length;
      } catch {
        throw new RestoraError('BadRequest', 'Parameters must be plain data');
      }
      if (size > MAX_MESSAGE_BYTES) throw new RestoraError('TooLarge', `Request of ${size} bytes exceeds ${MAX_MESSAGE_BYTES}`);
      return { ok: true, result: await broker.call(method, params, 'renderer') };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  });
  broker.onEvent((name, payload) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(IPC_CHANNELS.event, name, payload);
  });
}
