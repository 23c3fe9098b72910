/**
 * The queue's address: `redis://[:PASSWORD@]HOST[:PORT][/DB]` (or `rediss://`
 * for TLS). The password may sit in the URL or in $RESTORA_QUEUE_PASSWORD (so
 * it does not show in `ps`); either way it is never printed: everything the
 * user reads names the queue by `display`, which has no credentials.
 */
import { RestoraError } from '../shared/errors.js';

export interface QueueAddress {
  /** The URL without user name or password, safe for messages and logs. */
  display: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

export function parseQueueUrl(raw: string, env: NodeJS.ProcessEnv = process.env): QueueAddress {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // The raw text may hold a password: say what is wrong without echoing it.
    throw new RestoraError('BadRequest', 'The queue URL is not a URL; expected redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RestoraError('BadRequest', `The queue URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  }
  if (!url.hostname) throw new RestoraError('BadRequest', 'The queue URL has no host; expected redis://HOST:PORT');
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText ? Number(dbText) : 0;
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new RestoraError('BadRequest', 'The queue URL\'s database (after the last /) must be a number from 0 to 15');
  const password = url.password ? decodeURIComponent(url.password) : env.RESTORA_QUEUE_PASSWORD || undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    display: `${url.protocol}//${url.host}${db ? `/${db}` : ''}`,
    host,
    port,
    db,
    tls: url.protocol === 'rediss:',
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

/** Removes anything that looks like credentials in a URL from a message (belt and braces for third-party errors). */
export function redact(text: string): string {
  return text.replace(/(rediss?:\/\/)[^@\s/]*@/gi, '$1');
}
