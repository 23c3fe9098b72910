/**
 * Import: scan → for each file, hash, probe, thumbnail, record. A run's files
 * are written to import_pending first; each file's photo row and the removal
 * of its pending row commit in one transaction (after its thumbnails are on
 * disk), so a run killed at any moment leaves no half rows and can be resumed
 * with library.resumeImport. Content hashes make re-importing anything safe.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { HandlerContext } from '../node/worker-runtime.js';
import type { Library } from './library.js';
import { scan } from './scan.js';
import { probe } from './probe.js';
import { sha256Bytes, sha256File } from './hashes.js';
import { photoThumbPaths, renderThumbnails } from './thumbnails.js';
import { recordDuplicates } from './duplicate-groups.js';
import { nowIso } from './rows.js';
import { freeBytes, isDiskFull } from '../node/disk-space.js';

export interface ImportOutcome {
  runId: number;
  imported: number;
  duplicates: number;
  relinked: number;
  skipped: Array<{ path: string; reason: string }>;
  skippedCount: number;
  damaged: Array<{ path: string; reason: string }>;
  photoIds: number[];
  /** Which files were already in the library, and as which photo (the first MAX_SKIPPED). */
  duplicateFiles: Array<{ path: string; photoId: number; existingPath: string }>;
}

/** Result lists are capped so a 100,000-file import still answers in one small message. */
const MAX_SKIPPED = 1000;
const MAX_IDS = 10_000;
/**
 * Files up to this size are read into memory once: the hash, the header probe
 * and the decode all use those bytes instead of reading the file three times.
 * Bigger ones (huge TIFF scans) are hashed as a stream and decoded from disk.
 */
const READ_WHOLE_BYTES = 64 * 2 ** 20;
/** Free space an import keeps in hand on the data disk before each file: its thumbnails, the catalog's growth and the log. */
const IMPORT_RESERVE_BYTES = 16 * 2 ** 20;
/** Files imported at once. sharp threads each decode too, so more lanes mostly add memory. */
const IMPORT_CONCURRENCY = Math.min(3, Math.max(2, os.availableParallelism() - 1));

type FileOutcome = { kind: 'imported' | 'relinked'; id: number; damaged?: string | null } | { kind: 'duplicate'; of: number; existingPath: string } | { kind: 'skipped'; reason: string };

export async function importPaths(lib: Library, roots: readonly string[], ctx: HandlerContext): Promise<ImportOutcome> {
  const absRoots = roots.map((r) => path.resolve(r));
  const runId = Number(
    lib.db.prepare(`INSERT INTO import_runs(state, roots, started_at, pid) VALUES ('running', ?, ?, ?)`).run(JSON.stringify(absRoots), nowIso(), process.pid).lastInsertRowid,
  );
  ctx.progress({ stage: 'scan', fraction: 0, message: 'Looking for photos…' });
  const found = await scan(absRoots, ctx.signal, (n) => ctx.progress({ stage: 'scan', fraction: 0, message: `Looking for photos… ${n} found` }));
  const insert = lib.db.prepare('INSERT OR IGNORE INTO import_pending(run_id, path) VALUES (?, ?)');
  lib.db.transaction(() => {
    for (const f of found.files) insert.run(runId, f);
  })();
  return processRun(lib, runId, found.files, found.skipped, ctx);
}

export async function resumeImport(lib: Library, runId: number, ctx: HandlerContext): Promise<ImportOutcome> {
  const run = lib.db.prepare('SELECT state FROM import_runs WHERE id = ?').get(runId) as { state: string } | undefined;
  if (!run) throw new RestoraError('NotFound', `No import run ${runId}`);
  if (run.state === 'running') throw new RestoraError('Conflict', `Import run ${runId} is still running`);
  const files = (lib.db.prepare('SELECT path FROM import_pending WHERE run_id = ? ORDER BY path').all(runId) as Array<{ path: string }>).map((r) => r.path);
  lib.db.prepare(`UPDATE import_runs SET state = 'running', finished_at = NULL, pid = ? WHERE id = ?`).run(process.pid, runId);
  return processRun(lib, runId, files, [], ctx);
}

async function processRun(
  lib: Library,
  runId: number,
  files: readonly string[],
  skipped: Array<{ path: string; reason: string }>,
  ctx: HandlerContext,
): Promise<ImportOutcome> {
  const out: ImportOutcome = { runId, imported: 0, duplicates: 0, relinked: 0, skipped: [], skippedCount: 0, damaged: [], photoIds: [], duplicateFiles: [] };
  const skip = (s: { path: string; reason: string }) => {
    out.skippedCount++;
    if (out.skipped.length < MAX_SKIPPED) out.skipped.push(s);
  };
  skipped.forEach(skip);
  const finish = lib.db.prepare('UPDATE import_runs SET state = ?, finished_at = ? WHERE id = ?');
  const done = lib.db.prepare('DELETE FROM import_pending WHERE run_id = ? AND path = ?');
  let unannounced: number[] = [];
  const announce = () => {
    if (unannounced.length) ctx.emit('library.changed', { entity: 'photos', ids: unannounced.slice(0, 10_000) });
    unannounced = [];
  };
  let started = 0;
  let finished = 0;
  // Ids listed in the order the files were given, whichever lane finished first.
  const ids: Array<[number, number]> = [];
  const record = (i: number, file: string, result: FileOutcome) => {
    if (result.kind !== 'imported') done.run(runId, file);
    switch (result.kind) {
      case 'imported':
      case 'relinked':
        out[result.kind]++;
        if (ids.length < MAX_IDS) ids.push([i, result.id]);
        if (result.damaged && out.damaged.length < MAX_SKIPPED) out.damaged.push({ path: file, reason: result.damaged });
        unannounced.push(result.id);
        break;
      case 'duplicate':
        out.duplicates++;
        if (out.duplicateFiles.length < MAX_SKIPPED) out.duplicateFiles.push({ path: file, photoId: result.of, existingPath: result.existingPath });
        break;
      case 'skipped':
        skip({ path: file, reason: result.reason });
    }
    if (unannounced.length >= 50) announce();
  };
  // A few files in flight: hashing one file's bytes overlaps decoding another's.
  let failed = false;
  const lane = async () => {
    while (started < files.length && !failed) {
      ctx.throwIfCancelled();
      const i = started++;
      const file = files[i]!;
      ctx.progress({
        stage: 'import',
        fraction: finished / files.length,
        message: `${i + 1} of ${files.length}: ${path.basename(file)}`,
        data: { done: finished, total: files.length, imported: out.imported, duplicates: out.duplicates, skipped: out.skippedCount, current: file },
      });
      try {
        // Room for this file's thumbnails and catalog rows, checked before it is read: a full disk stops the run cleanly.
        if (freeBytes(lib.paths.thumbnails) < IMPORT_RESERVE_BYTES) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
        record(i, file, await importFile(lib, runId, file, ctx.signal));
      } catch (err) {
        failed = true;
        throw err;
      }
      finished++;
    }
  };
  const lanes = Math.max(1, Math.min(IMPORT_CONCURRENCY, files.length));
  // allSettled, not all: a cancel waits for the files in flight, so nothing is committed after the job has answered.
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  out.photoIds = ids.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    announce();
    if (isDiskFull(failure.reason)) {
      // Interrupted (finished_at NULL), not cancelled: the run waits to be resumed once there is room.
      finish.run('cancelled', null, runId);
      throw new RestoraError(
        'DiskFull',
        `Import stopped after ${out.imported} of ${files.length} photos: the disk holding the Restora data folder (${lib.paths.root}) is full. ` +
          `Free some space, then resume it (restora import --resume, or Resume in the Import panel).`,
        { runId },
      );
    }
    finish.run('cancelled', nowIso(), runId);
    if (ctx.signal.aborted) throw new RestoraError('Cancelled', `Import cancelled after ${out.imported} photos; it can be resumed`);
    throw failure.reason;
  }
  finish.run('done', nowIso(), runId);
  announce();
  if (out.imported >= 1000) {
    // Big imports leave the search index in many small segments; merging them keeps search fast.
    ctx.progress({ stage: 'optimize', fraction: 1, message: 'Optimising the search index' });
    lib.db.prepare(`INSERT INTO photos_fts(photos_fts) VALUES ('optimize')`).run();
    lib.db.prepare(`INSERT INTO photos_search(photos_search) VALUES ('optimize')`).run();
    lib.db.pragma('optimize');
  }
  ctx.progress({ stage: 'import', fraction: 1, message: `${out.imported} imported, ${out.duplicates} already in the library, ${out.skippedCount} skipped` });
  return out;
}

/** Imports one file. Reasons for refusing it come back as a 'skipped' outcome, never as a thrown error. */
export async function importFile(lib: Library, runId: number | null, file: string, signal?: AbortSignal): Promise<FileOutcome> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    return { kind: 'skipped', reason: `Cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (!stat.isFile()) return { kind: 'skipped', reason: 'Not a regular file' };
  if (stat.size === 0) return { kind: 'skipped', reason: 'Empty file (0 bytes)' };
  let sha: string;
  let source: string | Buffer = file;
  try {
    if (stat.size <= READ_WHOLE_BYTES) {
      source = await fs.readFile(file, { signal });
      sha = sha256Bytes(source);
    } else {
      sha = await sha256File(file, signal);
    }
  } catch (err) {
    if (signal?.aborted) throw new RestoraError('Cancelled', 'Cancelled');
    return { kind: 'skipped', reason: `Cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const existing = lib.db.prepare('SELECT id, path, missing FROM photos WHERE sha256 = ?').get(sha) as { id: number; path: string; missing: number } | undefined;
  if (existing) {
    if (existing.path !== file && (existing.missing === 1 || !(await isFile(existing.path)))) {
      if (lib.db.prepare('SELECT 1 FROM photos WHERE path = ?').get(file)) {
        return { kind: 'skipped', reason: 'Another photo in the library is recorded at this path; remove it first' };
      }
      relocate(lib, existing.id, file);
      return { kind: 'relinked', id: existing.id };
    }
    return { kind: 'duplicate', of: existing.id, existingPath: existing.path };
  }
  const samePath = lib.db.prepare('SELECT id FROM photos WHERE path = ?').get(file) as { id: number } | undefined;
  if (samePath) return { kind: 'skipped', reason: 'This file changed since it was imported; remove the old photo first to import it again' };
  let facts;
  let phash: string;
  let damaged: string | null;
  try {
    facts = await probe(source);
    ({ phash, damaged } = await renderThumbnails(source, photoThumbPaths(lib.paths.thumbnails, sha)));
  } catch (err) {
    if (err instanceof RestoraError) {
      if (path.extname(file).toLowerCase() === '.bmp' && (err.code === 'CorruptInput' || err.code === 'Unsupported')) {
        return { kind: 'skipped', reason: 'BMP files are not supported by this build of the image decoder (convert to PNG)' };
      }
      return { kind: 'skipped', reason: err.message };
    }
    throw err;
  }
  let id: number;
  try {
    id = lib.db.transaction(() => {
      const info = lib.db
        .prepare(
          `INSERT INTO photos(path, folder, file_name, size_bytes, mtime_ms, sha256, phash, format, width, height, orientation,
             color_space, bit_depth, has_alpha, has_icc, camera, taken_at, imported_at, damaged, caption, artist, copyright, keywords, text_read)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(file, path.dirname(file), path.basename(file), stat.size, Math.round(stat.mtimeMs), sha, phash, facts.format, facts.width, facts.height,
          facts.orientation, facts.colorSpace, facts.bitDepth, facts.hasAlpha ? 1 : 0, facts.hasIcc ? 1 : 0, facts.camera, facts.takenAt, nowIso(), damaged,
          facts.caption, facts.artist, facts.copyright, facts.keywords);
      const newId = Number(info.lastInsertRowid);
      recordDuplicates(lib, newId, phash);
      if (runId !== null) lib.db.prepare('DELETE FROM import_pending WHERE run_id = ? AND path = ?').run(runId, file);
      return newId;
    })();
  } catch (err) {
    // Two copies of one file in flight at once: the second to commit is a duplicate.
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      const first = lib.db.prepare('SELECT id, path FROM photos WHERE sha256 = ?').get(sha) as { id: number; path: string } | undefined;
      if (first) return { kind: 'duplicate', of: first.id, existingPath: first.path };
    }
    throw err;
  }
  lib.phashIndex().add(id, phash);
  return { kind: 'imported', id, damaged };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Points a photo at a new location of the same content and clears its missing flag. */
export function relocate(lib: Library, photoId: number, file: string): void {
  lib.db
    .prepare('UPDATE photos SET path = ?, folder = ?, file_name = ?, missing = 0 WHERE id = ?')
    .run(file, path.dirname(file), path.basename(file), photoId);
}

export function listImportRuns(lib: Library) {
  const rows = lib.db
    .prepare(
      `SELECT r.id, r.state, r.roots, r.started_at, r.finished_at, (SELECT count(*) FROM import_pending ip WHERE ip.run_id = r.id) AS pending
       FROM import_runs r ORDER BY r.id DESC LIMIT 50`,
    )
    .all() as Array<{ id: number; state: 'running' | 'done' | 'cancelled'; roots: string; started_at: string; finished_at: string | null; pending: number }>;
  return rows.map((r) => ({
    id: r.id,
    state: r.state === 'cancelled' && r.finished_at === null ? ('interrupted' as const) : r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    roots: JSON.parse(r.roots) as string[],
    pending: r.pending,
  }));
}
