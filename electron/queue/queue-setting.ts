/**
 * The library's queue setting: `restora queue use URL` stores the queue's
 * address in <data>/settings.json (readable by this user only, as it may hold
 * a password); library restores then go through that queue unless told
 * otherwise (`--queue URL`), and `restora queue use off` clears it.
 */
import fs from 'node:fs';
import { dataPaths } from '../node/data-dir.js';
import { parseQueueUrl } from './queue-url.js';
import { writeFileAtomicSync } from '../node/atomic-write.js';

function readSettings(dataDir: string): Record<string, unknown> {
  try {
    const v = JSON.parse(fs.readFileSync(dataPaths(dataDir).settings, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function queueSetting(dataDir: string): string | null {
  const url = readSettings(dataDir).queue;
  return typeof url === 'string' && url ? url : null;
}

/** Stores (or with null clears) the queue URL; returns the address as it may be shown. */
export function setQueueSetting(dataDir: string, url: string | null): string | null {
  const display = url ? parseQueueUrl(url).display : null;
  const settings = readSettings(dataDir);
  if (url) settings.queue = url;
  else delete settings.queue;
  const file = dataPaths(dataDir).settings;
  // It may hold the queue's password.
  writeFileAtomicSync(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return display;
}
