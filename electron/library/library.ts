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
  // A process killed mid-import leaves its run 'running'; nothing else can be running at open time.
  db.prepare(`UPDATE import_runs SET state = 'cancelled', finished_at = NULL WHERE state = 'running'`).run();
  return {
    db,
    paths,
    phashIndex() {
      if (!index) {
        index = new PhashIndex();
        const rows = db.prepare('SELECT id, phash FROM photos WHERE phash IS NOT NULL').all() as Array<{ id: number; phash: string }>;
        for (const r of rows) index.add(r.id, r.phash);
      }
      return index;
    },
    close() {
      db.close();
    },
  };
}
