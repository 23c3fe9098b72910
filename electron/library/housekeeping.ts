/**
 * Tidying the data folder when the library starts: temporary files of writes
 * that were killed before their rename (thumbnails, versions, previews,
 * adapters, fine-tuning state, backups), and version files that a restore
 * wrote but never recorded because it was killed in between. Runs after the
 * worker is ready; never touches what a live process is still writing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Library } from './library.js';
import { sweepLeftovers } from '../node/leftovers.js';

/** A version file this old that no catalog row names was left by a killed restore (a live one records its file within a second). */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

export interface Tidied {
  leftovers: string[];
  orphanVersions: string[];
}

export function tidyDataFolder(lib: Library, now = Date.now()): Tidied {
  const root = lib.paths.root;
  const leftovers = [
    ...sweepLeftovers(root, { dataFolder: true }),
    ...sweepLeftovers(lib.paths.thumbnails, { depth: 2, dataFolder: true }),
    ...sweepLeftovers(lib.paths.versions, { depth: 1, dataFolder: true }),
    ...sweepLeftovers(lib.paths.cache, { depth: 1, dataFolder: true }),
    ...sweepLeftovers(lib.paths.adapters, { dataFolder: true }),
    ...sweepLeftovers(lib.paths.tmp, { depth: 1, dataFolder: true }),
    ...sweepLeftovers(path.join(root, 'finetune'), { depth: 2, dataFolder: true }),
    ...sweepLeftovers(path.join(root, 'backups'), { dataFolder: true }),
  ];
  const known = new Set((lib.db.prepare('SELECT file FROM versions').all() as Array<{ file: string }>).map((r) => r.file));
  const orphanVersions: string[] = [];
  let folders: fs.Dirent[] = [];
  try {
    folders = fs.readdirSync(lib.paths.versions, { withFileTypes: true });
  } catch {
    /* no versions yet */
  }
  for (const f of folders) {
    if (!f.isDirectory()) continue;
    const dir = path.join(lib.paths.versions, f.name);
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name.startsWith('.') || known.has(file)) continue;
      try {
        const st = fs.lstatSync(file);
        if (!st.isFile() || now - st.mtimeMs < ORPHAN_AGE_MS) continue;
        // Recorded under its real path? (The versions folder may be reached through a link.)
        if (known.has(fs.realpathSync(file))) continue;
        fs.unlinkSync(file);
        orphanVersions.push(file);
      } catch {
        /* raced with another process: leave it */
      }
    }
  }
  return { leftovers, orphanVersions };
}
