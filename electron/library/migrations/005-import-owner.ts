/**
 * 005: an import run records the process that runs it. Two processes may open
 * one catalog (the app and a CLI started beside it); at open time only runs
 * whose process is gone are interrupted, never a live import elsewhere.
 */
import type { Database } from 'better-sqlite3';

export const version = 5;
export const name = 'import-owner';

export function up(db: Database): void {
  db.exec('ALTER TABLE import_runs ADD COLUMN pid INTEGER');
}
