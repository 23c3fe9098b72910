/**
 * Opens the SQLite catalog: WAL journal (readers never wait for the import
 * writer), foreign keys on, and numbered migrations applied in order, each in
 * its own transaction with PRAGMA user_version as the schema version.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { RestoraError } from '../shared/errors.js';
import { migrations, LATEST_VERSION, type Migration } from './migrations/index.js';

export type Catalog = Db;

export interface OpenOptions {
  /** Stop at this schema version (tests migrate step by step). */
  targetVersion?: number;
  readonly?: boolean;
}

export function openCatalog(file: string, options: OpenOptions = {}): Catalog {
  const db = new Database(file, { readonly: options.readonly ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32000');
  db.pragma('temp_store = MEMORY');
  if (!options.readonly) migrate(db, options.targetVersion ?? LATEST_VERSION);
  return db;
}

export function schemaVersion(db: Catalog): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations above the current version up to `target`. Refuses a catalog newer than this app. */
export function migrate(db: Catalog, target: number = LATEST_VERSION, list: readonly Migration[] = migrations): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new RestoraError('Unsupported', `The catalog was written by a newer Restora (schema ${current}, this version knows ${LATEST_VERSION}).`);
  }
  for (const m of list) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) throw new RestoraError('Internal', `Catalog has ${fk.length} broken references after migration`);
}
