/**
 * How the renderer reaches the services: Electron's preload bridge when it is
 * there, otherwise the browser-mode WebSocket on the page's own origin.
 */
import { ClientInbound, type RequestEnvelope } from '../../electron/shared/rpc.js';
import { RestoraError, type WireError } from '../../electron/shared/errors.js';

export type EventHandler = (name: string, payload: unknown) => void;

export interface Transport {
  readonly kind: 'electron' | 'browser';
  request(method: string, params: unknown): Promise<unknown>;
  subscribe(cb: EventHandler): () => void;
  mediaBase: string;
}

/** What electron/preload exposes on window.restora. */
export interface PreloadBridge {
  request(method: string, params: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: WireError }>;
  onEvent(cb: (name: string, payload: unknown) => void): () => void;
  /** Electron only: the filesystem path of a dropped File. */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    restora?: PreloadBridge;
  }
}

export function electronTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    mediaBase: 'restora-media://',
    async request(method, params) {
      const res = await bridge.request(method, params);
      if (res.ok) return res.result;
      throw RestoraError.fromWire(res.error);
    },
    subscribe: (cb) => bridge.onEvent(cb),
  };
}

export function webSocketTransport(url: string): Transport {
  let ws: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const listeners = new Set<EventHandler>();

  const connect = (): Promise<WebSocket> => {
    if (ws && ws.readyState === WebSocket.OPEN) return Promise.resolve(ws);
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const sock = new WebSocket(url);
      sock.onopen = () => {
        ws = sock;
        opening = null;
        resolve(sock);
      };
      sock.onerror = () => {
        opening = null;
        reject(new RestoraError('Internal', 'Cannot reach the Restora services. Is `npm start` still running?'));
      };
      sock.onclose = (ev) => {
        ws = null;
        // 1008: the host let this page go for breaking a limit, and says which.
        const why = ev.code === 1008 && ev.reason ? ev.reason : 'The connection to the Restora services closed';
        for (const p of pending.values()) p.reject(new RestoraError('Internal', why));
        pending.clear();
        // Reconnect in the background so events resume.
        setTimeout(() => connect().catch(() => undefined), 1000);
      };
      sock.onmessage = (ev) => {
        let raw: unknown;
        try {
          raw = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        const msg = ClientInbound.safeParse(raw);
        if (!msg.success) return;
        const m = msg.data;
        if (m.t === 'evt') {
          for (const l of listeners) l(m.name, m.payload);
          return;
        }
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(RestoraError.fromWire(m.error));
      };
    });
    return opening;
  };

  return {
    kind: 'browser',
    mediaBase: '/media/',
    async request(method, params) {
      const sock = await connect();
      const id = nextId++;
      const env: RequestEnvelope = { t: 'req', id, method, params };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        sock.send(JSON.stringify(env));
      });
    },
    subscribe(cb) {
      listeners.add(cb);
      void connect().catch(() => undefined);
      return () => listeners.delete(cb);
    },
  };
}

export function defaultTransport(): Transport {
  if (window.restora) return electronTransport(window.restora);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketTransport(`${proto}//${location.host}/ws`);
}
