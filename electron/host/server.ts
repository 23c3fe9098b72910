/**
 * Browser mode's host: the built renderer, the contract over a WebSocket and
 * images over HTTP, all on 127.0.0.1 behind a per-session token. The token
 * arrives once in the URL printed at start; the page then holds it in an
 * HttpOnly, SameSite=Strict cookie. Requests without it get 401.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import type { Broker } from '../broker/broker.js';
import { RequestEnvelope, MAX_MESSAGE_BYTES, describeIssues, type ClientInbound } from '../shared/rpc.js';
import { RestoraError, toWireError } from '../shared/errors.js';
import { parseMediaPath } from '../shared/media.js';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';

export interface HostOptions {
  broker: Broker;
  token: string;
  rendererDir: string;
  port: number;
  /** Overrides of CLIENT_LIMITS (tests). */
  clientLimits?: Partial<typeof CLIENT_LIMITS>;
}

/**
 * What one WebSocket client may hold of the host: requests being answered at
 * once, requests waiting behind them (the socket is not read meanwhile), and
 * answers and events queued for it but not yet read. Past these it is told
 * (close code 1008 with the reason) and disconnected, so its memory returns.
 */
export const CLIENT_LIMITS = {
  inFlight: 16,
  waiting: 256,
  waitingBytes: 4 * 2 ** 20,
  queuedBytes: 16 * 2 ** 20,
  /** How long a disconnected client has to complete the close before its socket is destroyed. */
  closeGraceMs: 2000,
};

function byteLength(data: WebSocket.RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
}

export interface RunningHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'restora_session';
const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function securityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: http.IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const { broker, token } = opts;
  // Only files that exist in the built renderer at start are ever served: no path from a request reaches the filesystem.
  const staticFiles = new Map<string, string>();
  for (const name of fs.readdirSync(opts.rendererDir)) {
    const full = path.join(opts.rendererDir, name);
    if (fs.statSync(full).isFile()) staticFiles.set(`/${name}`, full);
  }
  let actualPort = opts.port;
  const allowedHosts = () => new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);

  const authorised = (req: http.IncomingMessage, url: URL) =>
    tokenMatches(token, cookieToken(req)) || tokenMatches(token, url.searchParams.get('token')) || tokenMatches(token, req.headers['x-restora-token'] as string | undefined);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(String((err as Error).message ?? err).slice(0, 200));
      } else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.statusCode = 403;
      res.end('Forbidden host');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${actualPort}`);
    if (!authorised(req, url)) {
      res.statusCode = 401;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Restora: this page needs the session link printed by `npm start` (it carries the session token).');
      return;
    }
    if (url.searchParams.has('token')) {
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname.startsWith('/media/')) return serveMedia(url.pathname.slice('/media/'.length), res);
    const file = staticFiles.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    res.setHeader('Content-Type', STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-cache');
    fs.createReadStream(file).pipe(res);
  }

  async function serveMedia(rest: string, res: http.ServerResponse): Promise<void> {
    const ref = parseMediaPath(rest);
    if (!ref) {
      res.statusCode = 400;
      res.end('Bad media reference');
      return;
    }
    try {
      const { path: file, mime } = await broker.resolveMedia(ref);
      res.setHeader('Content-Type', mime);
      res.setHeader('Cache-Control', 'private, max-age=60');
      const stream = fs.createReadStream(file);
      stream.on('error', () => {
        if (!res.headersSent) res.statusCode = 404;
        res.end();
      });
      stream.pipe(res);
    } catch (err) {
      const wire = toWireError(err);
      res.statusCode = wire.code === 'NotFound' ? 404 : wire.code === 'BadRequest' ? 400 : 500;
      res.end(wire.message);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${actualPort}`);
    const origin = req.headers.origin;
    const originOk = !origin || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (url.pathname !== '/ws' || !allowedHosts().has(req.headers.host ?? '') || !originOk || !authorised(req, url)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const limits = { ...CLIENT_LIMITS, ...opts.clientLimits };
    let inFlight = 0;
    const waiting: Array<{ data: WebSocket.RawData; isBinary: boolean }> = [];
    let waitingBytes = 0;
    let closing = false;
    // A client that breaks a limit is told why (close code 1008 with the reason) and cut off
    // if it does not finish the close in time; nothing more is read from it or queued for it.
    const disconnect = (reason: string) => {
      if (closing) return;
      closing = true;
      off();
      waiting.length = 0;
      waitingBytes = 0;
      try {
        ws.close(1008, reason.slice(0, 120));
      } catch {
        ws.terminate();
      }
      setTimeout(() => ws.terminate(), limits.closeGraceMs).unref();
    };
    const send = (msg: ClientInbound) => {
      if (closing || ws.readyState !== ws.OPEN) return;
      const text = JSON.stringify(msg);
      // Backpressure: what a client has not read stays bounded; one that stops reading is let go.
      if (ws.bufferedAmount + text.length > limits.queuedBytes) return disconnect(`Disconnected: more than ${limits.queuedBytes >> 20} MB of answers went unread`);
      ws.send(text);
    };
    const off = broker.onEvent((name, payload) => send({ t: 'evt', name, payload }));
    ws.on('close', () => {
      closing = true;
      off();
      waiting.length = 0;
    });
    ws.on('error', off);
    const handle = (data: WebSocket.RawData, isBinary: boolean) => {
      let id = 0;
      inFlight++;
      void (async () => {
        if (isBinary) throw new RestoraError('BadRequest', 'Binary messages are not part of the contract');
        let raw: unknown;
        try {
          raw = JSON.parse(data.toString());
        } catch {
          throw new RestoraError('BadRequest', 'Message is not valid JSON');
        }
        if (raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'number') id = (raw as { id: number }).id;
        const env = RequestEnvelope.safeParse(raw);
        if (!env.success) throw new RestoraError('BadRequest', `Malformed request: ${describeIssues(env.error)}`);
        if (env.data.job !== undefined) throw new RestoraError('BadRequest', 'Clients may not set job ids');
        const result = await broker.call(env.data.method, env.data.params, 'renderer');
        send({ t: 'res', id: env.data.id, ok: true, result });
      })()
        .catch((err) => send({ t: 'res', id: Number.isSafeInteger(id) && id >= 0 ? id : 0, ok: false, error: toWireError(err) }))
        .finally(() => {
          inFlight--;
          const next = waiting.shift();
          if (next && !closing) {
            waitingBytes -= byteLength(next.data);
            handle(next.data, next.isBinary);
          }
          if (!waiting.length && !closing && ws.isPaused) ws.resume();
        });
    };
    ws.on('message', (data, isBinary) => {
      if (closing) return;
      if (inFlight < limits.inFlight) return handle(data, isBinary);
      // At the cap: stop reading from this client until answers go out; what it already sent waits, up to a bound.
      ws.pause();
      waiting.push({ data, isBinary });
      waitingBytes += byteLength(data);
      if (waiting.length > limits.waiting || waitingBytes > limits.waitingBytes) {
        disconnect(`Disconnected: more than ${limits.inFlight + limits.waiting} requests at once`);
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new RestoraError('Conflict', `Port ${opts.port} on 127.0.0.1 is already in use. Close the other program or choose another port with --port N.`));
      else if (err.code === 'EACCES') reject(new RestoraError('Conflict', `Not allowed to listen on port ${opts.port}. Choose a port above 1024 with --port N.`));
      else reject(err);
    });
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  actualPort = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
