/**
 * 007: look-alikes up to 8 bits of pHash apart (was 6), so copies faded
 * unevenly or rescanned with a slightly different crop join their originals.
 * Groups are recomputed for every photo with a hash.
 */
import type { Database } from 'better-sqlite3';
import { assignGroups } from '../duplicates.js';

export const version = 8;
export const name = 'lookalike-distance';

export function up(db: Database): void {
  const rows = db.prepare('SELECT id, phash FROM photos WHERE phash IS NOT NULL ORDER BY id').all() as Array<{ id: number; phash: string }>;
  const groups = assignGroups(rows);
  const update = db.prepare('UPDATE photos SET duplicate_group = ? WHERE id = ? AND duplicate_group IS NOT ?');
  for (const r of rows) update.run(groups.get(r.id) ?? null, r.id, groups.get(r.id) ?? null);
}
