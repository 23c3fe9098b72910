/**
 * The library service as a plain object: the open catalog, the data folders
 * and the in-memory look-alike index. The worker and the unit tests both build
 * it with createLibrary(dataDir), so tests exercise exactly the shipped code.
 */
import sharp from 'sharp';
import { ensureDataDir, type DataPaths } from '../node/data-dir.js';
import { openCatalog, type Catalog } from './catalog.js';
import { PhashIndex } from './duplicates.js';

export interface Library {
  readonly db: Catalog;
  readonly paths: DataPaths;
  /** Look-alike index over every photo's pHash, loaded on first use. */
  phashIndex(): PhashIndex;
  close(): void;
}

export function createLibrary(dataDir: string): Library {
  const paths = ensureDataDir(dataDir);
  const db = openCatalog(paths.catalog);
  // Open files are not cached: a cached handle would keep a moved or deleted original "present".
  sharp.cache(false);
  let index: PhashIndex | null = null;
  let indexVersion = -1;
  // A process killed mid-import leaves its run 'running': interrupt the runs whose process is gone.
  const stale = db.prepare(`SELECT id, pid FROM import_runs WHERE state = 'running'`).all() as Array<{ id: number; pid: number | null }>;
  const interrupt = db.prepare(`UPDATE import_runs SET state = 'cancelled', finished_at = NULL WHERE id = ?`);
  for (const run of stale) if (!processAlive(run.pid)) interrupt.run(run.id);
  return {
    db,
    paths,
    phashIndex() {
      // data_version moves when another connection (another process) commits: its imports must be seen too.
      const version = db.pragma('data_version', { simple: true }) as number;
      if (!index || version !== indexVersion) {
        indexVersion = version;
        index = new PhashIndex();
        const rows = db.prepare('SELECT id, phash FROM photos WHERE phash IS NOT NULL').all() as Array<{ id: number; phash: string }>;
        for (const r of rows) index.add(r.id, r.phash);
      }
      return index;
    },
    close() {
      if (!db.open) return;
      // Fold the write-ahead log into catalog.sqlite so the file alone is the whole catalog (a copy
      // or a sync of it loses nothing). Another process with the catalog open may keep the log in
      // use; then what can be moved is moved, and closing leaves the rest to that process.
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* busy: the last connection to close checkpoints */
      }
      db.close();
    },
  };
}

function processAlive(pid: number | null): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
