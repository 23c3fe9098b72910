/**
 * Connections to the queue server. The first contact is a bounded probe, so an
 * unreachable address or a wrong password ends at once with a message a user
 * can act on. After that, connections retry for ever: a queue server that goes
 * away pauses submitters and workers (their commands wait in ioredis' offline
 * queue) and both carry on when it returns.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { RestoraError } from '../shared/errors.js';
import { parseQueueUrl, redact, type QueueAddress } from './queue-url.js';

export interface QueueConnection {
  address: QueueAddress;
  /** For blobs, batch records and BullMQ's Queue; commands wait while the server is away. */
  client: Redis;
  /** A further connection with the same settings (BullMQ workers and event readers block on theirs). */
  duplicate(): Redis;
  /** Called when the server goes away (up = false) and when it is back. */
  onStatus(cb: (up: boolean, reason: string) => void): () => void;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 5000;

function baseOptions(a: QueueAddress): RedisOptions {
  return {
    host: a.host,
    port: a.port,
    db: a.db,
    ...(a.username ? { username: a.username } : {}),
    ...(a.password ? { password: a.password } : {}),
    ...(a.tls ? { tls: { servername: a.host } } : {}),
    connectionName: 'restora',
  };
}

/** Turns a connection failure into a sentence that names the queue (never its password) and what to do. */
export function describeConnectError(err: unknown, a: QueueAddress): RestoraError {
  const e = err as { code?: string; message?: string };
  const msg = redact(String(e?.message ?? err));
  const where = `the queue server at ${a.display}`;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) {
    return new RestoraError('Unauthorized', `${capital(where)} refused the password (check the password in the queue URL or $RESTORA_QUEUE_PASSWORD)`);
  }
  if (/NOAUTH|Authentication required/i.test(msg)) {
    return new RestoraError('Unauthorized', `${capital(where)} needs a password: give it as redis://:PASSWORD@HOST:PORT or in $RESTORA_QUEUE_PASSWORD`);
  }
  if (/without any password configured|AUTH <password> called without/i.test(msg)) {
    return new RestoraError('Unauthorized', `${capital(where)} has no password set, but one was given; remove it from the queue URL`);
  }
  const code = e?.code ?? /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE|ECONNABORTED)\b/.exec(msg)?.[1];
  // A connection that was up and then dropped (the server restarted or was stopped) is a lost connection, not a
  // server that cannot be reached: the caller waits for it to come back.
  const lost: Record<string, string> = {
    ECONNRESET: 'the server reset the connection',
    EPIPE: 'the server closed the connection',
    ECONNABORTED: 'the connection was aborted',
  };
  if (code && lost[code]) return new RestoraError('NotFound', `Lost the connection to ${where} (${lost[code]})`);
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is redis-server running there, on that port?',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'the host name could not be looked up',
    ETIMEDOUT: 'no answer in time: is the host up, and the port open in its firewall?',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
  };
  if (code && why[code]) return new RestoraError('NotFound', `Cannot reach ${where} (${why[code]})`);
  return new RestoraError('NotFound', `Cannot use ${where}: ${msg.slice(0, 300)}`);
}

function capital(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** Checks that the server answers and accepts our credentials, within a few seconds. */
async function probe(a: QueueAddress): Promise<void> {
  const client = new Redis({ ...baseOptions(a), lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: unknown = null;
  client.on('error', (err) => (lastError = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw describeConnectError(lastError ?? err, a);
  } finally {
    client.disconnect();
  }
}

export async function connectQueue(url: string): Promise<QueueConnection> {
  const address = parseQueueUrl(url);
  await probe(address);
  const options: RedisOptions = {
    ...baseOptions(address),
    // BullMQ needs commands to wait (not fail) while the server is away.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(250 * times, 3000),
  };
  const listeners = new Set<(up: boolean, reason: string) => void>();
  let up = true;
  let closing = false;
  const clients: Redis[] = [];
  const tell = (nowUp: boolean, reason: string) => {
    if (nowUp === up || closing) return;
    up = nowUp;
    for (const l of listeners) l(nowUp, reason);
  };
  const make = () => {
    const c = new Redis(options);
    // The first connection speaks for all: one message per outage, not one per connection.
    const main = clients.length === 0;
    clients.push(c);
    c.on('error', (err) => main && tell(false, describeConnectError(err, address).message));
    c.on('close', () => main && tell(false, `Lost the connection to the queue server at ${address.display}`));
    c.on('ready', () => main && tell(true, `The queue server at ${address.display} is back`));
    return c;
  };
  const client = make();
  return {
    address,
    client,
    duplicate: make,
    onStatus(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async close() {
      closing = true;
      listeners.clear();
      // Not QUIT: it would wait for a server that may be gone.
      for (const c of clients) c.disconnect();
    },
  };
}
