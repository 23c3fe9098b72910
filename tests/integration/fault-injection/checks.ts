/**
 * What the fault-injection tests check after every kill, on the real files:
 * the catalog passes SQLite's integrity and foreign-key checks, no row is
 * half registered (a photo without its thumbnails, a version without its
 * file or with a wrong count, pending files of a finished import), the
 * originals' bytes are unchanged, and no temporary file of a killed write is
 * left once the library has started again. Kill moments come from a seeded
 * generator (RESTORA_FAULT_SEED, default 20240901) so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { prng } from '../../../devkit/make-images.js';
import { sha256File } from '../../../devkit/images.js';
import { photoThumbPaths } from '../../../electron/library/thumbnails.js';
import { dataPaths } from '../../../electron/node/data-dir.js';
import { LATEST_VERSION } from '../../../electron/library/migrations/index.js';
import type { Broker } from '../../../electron/broker/broker.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';

export const SEED = Number(process.env.RESTORA_FAULT_SEED ?? 20240901);

/** The seeded generator for one test (its own stream, so tests do not shift each other's moments). */
export function moments(salt: number): { next(): number; int(lo: number, hi: number): number } {
  const r = prng(SEED ^ (salt * 0x9e3779b1));
  return { next: r, int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)) };
}

export function fingerprints(files: string[]): Map<string, string> {
  return new Map(files.map((f) => [f, sha256File(f)]));
}

export function assertOriginalsUntouched(before: Map<string, string>): void {
  for (const [file, sha] of before) assert.equal(sha256File(file), sha, `${path.basename(file)} changed`);
}

/**
 * The catalog as it is on disk now, read through a connection of its own.
 * `mayBeUnmigrated`: a process killed while it created the catalog leaves it
 * below the latest schema (each migration is its own transaction, so at a
 * whole step); such a catalog must be sound and hold no photos, and the next
 * open migrates it.
 */
export function assertCatalogSound(dataDir: string, what: string, options: { mayBeUnmigrated?: boolean } = {}): { photos: number; versions: number } {
  const db = new Database(dataPaths(dataDir).catalog, { readonly: true, fileMustExist: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${what}: integrity_check`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < LATEST_VERSION) {
      assert.ok(options.mayBeUnmigrated, `${what}: the catalog is at schema ${version}, not ${LATEST_VERSION}`);
      const hasPhotos = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'photos'`).get() as { n: number };
      if (hasPhotos.n > 0) assert.equal((db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n, 0, `${what}: photos in a catalog not yet migrated`);
      return { photos: 0, versions: 0 };
    }
    assert.deepEqual(db.pragma('foreign_key_check'), [], `${what}: foreign keys`);
    const photos = db.prepare('SELECT id, sha256, version_count FROM photos').all() as Array<{ id: number; sha256: string; version_count: number }>;
    const thumbs = dataPaths(dataDir).thumbnails;
    for (const p of photos) {
      const t = photoThumbPaths(thumbs, p.sha256);
      assert.ok(fs.existsSync(t.thumb) && fs.existsSync(t.preview), `${what}: photo ${p.id} has its thumbnails`);
    }
    const versions = db.prepare('SELECT id, photo_id, file FROM versions').all() as Array<{ id: number; photo_id: number; file: string }>;
    for (const v of versions) assert.ok(fs.existsSync(v.file) && fs.statSync(v.file).size > 0, `${what}: version ${v.id} has its file`);
    for (const p of photos) assert.equal(p.version_count, versions.filter((v) => v.photo_id === p.id).length, `${what}: photo ${p.id}'s version count`);
    const stray = db.prepare(`SELECT count(*) AS n FROM import_pending ip JOIN import_runs r ON r.id = ip.run_id WHERE r.state = 'done'`).get() as { n: number };
    assert.equal(stray.n, 0, `${what}: a finished import still lists pending files`);
    return { photos: photos.length, versions: versions.length };
  } finally {
    db.close();
  }
}

/** Temporary files of writes under `dir` (recursively): none may survive a library start. */
export function temporaryFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(tmp|partial)$|\.partial\.png$/.test(e.name)) out.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** Resolves with the worker's pid once progress says `when` (then after `extraMs`), having killed it with SIGKILL. */
export function killWhen(broker: Broker, service: 'library' | 'engine', jobId: string, when: (p: JobProgress) => boolean, extraMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    let fired = false;
    const fire = () => {
      if (fired) return;
      fired = true;
      off();
      setTimeout(() => {
        const pid = broker.workerPid(service);
        if (pid) process.kill(pid, 'SIGKILL');
        resolve(pid);
      }, extraMs);
    };
    const off = broker.onEvent((name, payload) => {
      const p = payload as JobProgress;
      if (name === 'job.progress' && p.jobId === jobId && when(p)) fire();
      if (name === 'job.state' && (payload as { jobId: string; state: string }).jobId === jobId && (payload as { state: string }).state !== 'running' && (payload as { state: string }).state !== 'queued') {
        // Finished before the moment came: kill now anyway (between jobs is a moment too).
        fire();
      }
    });
  });
}

/**
 * Waits until the killed `service` is gone and answers again under a new pid. A request
 * starts it if the broker has stopped restarting it on its own (five crashes in a minute).
 */
export async function restarted(broker: Broker, service: 'library' | 'engine', oldPid: number | null): Promise<void> {
  const t0 = Date.now();
  while (broker.workerPid(service) === oldPid && oldPid !== null) {
    if (Date.now() - t0 > 30_000) throw new Error(`${service} was not seen to stop`);
    await new Promise((r) => setTimeout(r, 20));
  }
  if (service === 'library') await broker.invoke('library.importRuns', {});
  else await broker.invoke('engine.info', {});
  assert.notEqual(broker.workerPid(service), oldPid);
}
