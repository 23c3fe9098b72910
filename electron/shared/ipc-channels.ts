/**
 * The two Electron IPC channels between the preload bridge and main, named
 * once for both sides: requests go up one invoke channel, events come down
 * one push channel. Browser mode carries the same envelopes over a WebSocket.
 */
export const IPC_CHANNELS = {
  /** Renderer → main, `ipcRenderer.invoke(request, method, params)`; answers `{ ok, result | error }`. */
  request: 'restora:request',
  /** Main → every window, `(name, payload)` of a contract event. */
  event: 'restora:event',
} as const;
