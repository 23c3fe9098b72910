/**
 * Backups of the catalog, made with SQLite's online backup API (a consistent
 * copy while the library keeps working), into <data>/backups:
 *   catalog-20250105-143012-auto.sqlite    (daily, while the library runs)
 *   catalog-20250105-150101-manual.sqlite  (restora backup, Settings)
 *   catalog-20250105-150230-before-restore.sqlite (the catalog as it was before a restore)
 * Each is written under a temporary name, synced, checked and renamed into
 * place, then the oldest of its kind beyond the kept number are removed.
 * Restoring copies a backup back over the live catalog with the same API, so
 * every connection (the app and a CLI beside it) sees the restored catalog.
 * Backups hold the catalog (photos, albums, tags, versions' records); the
 * originals and version files stay where they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { RestoraError } from '../shared/errors.js';
import type { Library } from './library.js';
import { migrate } from './catalog.js';
import { writeProblem } from '../node/disk-space.js';

export type BackupReason = 'auto' | 'manual' | 'before-restore';
const KEEP: Record<BackupReason, number> = { auto: 7, manual: 10, 'before-restore': 3 };
/** An automatic backup is made when the newest one is older than this. */
export const AUTO_BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
const NAME = /^catalog-(\d{8})-(\d{6})(?:-\d+)?-(auto|manual|before-restore)\.sqlite$/;

export interface BackupInfo {
  name: string;
  path: string;
  reason: BackupReason;
  createdAt: string;
  bytes: number;
}

export function backupsDir(lib: Library): string {
  return path.join(lib.paths.root, 'backups');
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function info(dir: string, name: string): BackupInfo | null {
  const m = NAME.exec(name);
  if (!m) return null;
  let bytes = 0;
  try {
    bytes = fs.statSync(path.join(dir, name)).size;
  } catch {
    return null;
  }
  const [d, t] = [m[1]!, m[2]!];
  const createdAt = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
  return { name, path: path.join(dir, name), reason: m[3] as BackupReason, createdAt, bytes };
}

/** All backups, newest first. */
export function listBackups(lib: Library): BackupInfo[] {
  const dir = backupsDir(lib);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => info(dir, n))
    .filter((b): b is BackupInfo => b !== null)
    .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

function fsyncPath(p: string, flags = 'r'): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, flags);
    fs.fsyncSync(fd);
  } catch {
    /* a folder cannot be opened for syncing on every platform */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * SQLite's quick_check of a catalog file, run on a worker thread: at 100,000
 * photos it reads for most of a second, and the library must keep answering
 * (a search typed meanwhile) while a backup is checked. Null when it is sound.
 */
const SQLITE_MODULE = createRequire(import.meta.url).resolve('better-sqlite3');
const CHECKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db = null;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const r = db.pragma('quick_check', { simple: true });
  parentPort.postMessage(r === 'ok' ? null : String(r));
} catch (err) {
  parentPort.postMessage(err.message);
} finally {
  if (db) db.close();
}`;

function quickCheck(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    const worker = new Worker(CHECKER, { eval: true, workerData: { file, module: SQLITE_MODULE } });
    worker.once('message', (problem: string | null) => resolve(problem));
    worker.once('error', (err) => resolve(err.message));
    worker.once('exit', (code) => resolve(`the check stopped (exit code ${code})`)); // no effect once answered
  });
}

export async function createBackup(lib: Library, reason: BackupReason, now = new Date()): Promise<BackupInfo> {
  const dir = backupsDir(lib);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw writeProblem(err, dir, 'create the folder');
  }
  const tmp = path.join(dir, `.catalog-backup.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await lib.db.backup(tmp);
    fsyncPath(tmp, 'r+');
    const problem = await quickCheck(tmp);
    if (problem) throw new RestoraError('Internal', `The new backup failed its check (${problem}); the previous backups are kept.`);
    // A name claimed without replacing anything: a second backup in the same second gets its own.
    let name = `catalog-${stamp(now)}-${reason}.sqlite`;
    for (let n = 2; ; n++) {
      try {
        fs.linkSync(tmp, path.join(dir, name));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw err;
        name = `catalog-${stamp(now)}-${n}-${reason}.sqlite`;
      }
    }
    fsyncPath(dir);
    prune(lib, reason);
    return info(dir, name)!;
  } catch (err) {
    throw writeProblem(err, dir);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function prune(lib: Library, reason: BackupReason): void {
  for (const old of listBackups(lib).filter((b) => b.reason === reason).slice(KEEP[reason])) fs.rmSync(old.path, { force: true });
}

/** A backup when the newest one is older than a day (or there is none yet and the catalog holds photos). */
export async function autoBackup(lib: Library, now = new Date()): Promise<BackupInfo | null> {
  const newest = listBackups(lib).find((b) => b.reason === 'auto');
  if (newest && now.getTime() - Date.parse(newest.createdAt) < AUTO_BACKUP_EVERY_MS) return null;
  if (!newest && !lib.db.prepare('SELECT 1 FROM photos LIMIT 1').get()) return null;
  return createBackup(lib, 'auto', now);
}

/**
 * Replaces the catalog's contents with a backup's. The catalog as it was is
 * backed up first ('before-restore'), so a restore can itself be undone.
 */
export async function restoreBackup(lib: Library, name: string): Promise<{ restored: BackupInfo; previous: BackupInfo }> {
  const chosen = listBackups(lib).find((b) => b.name === name);
  if (!chosen) throw new RestoraError('NotFound', `No backup named ${name} (see restora backup --list)`);
  const problem = await quickCheck(chosen.path);
  if (problem) throw new RestoraError('CorruptInput', `The backup ${name} is damaged (${problem}); the catalog was left as it is.`);
  const previous = await createBackup(lib, 'before-restore');
  const source = new Database(chosen.path, { readonly: true, fileMustExist: true });
  try {
    await source.backup(lib.paths.catalog);
  } finally {
    source.close();
  }
  // A backup from an older Restora is brought up to this version's schema.
  migrate(lib.db);
  return { restored: chosen, previous };
}
