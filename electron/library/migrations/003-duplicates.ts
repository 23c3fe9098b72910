/**
 * 003: near-duplicate groups. Photos whose perceptual hashes are within
 * DUPLICATE_DISTANCE bits share `duplicate_group` (the smallest id of the
 * group), so the duplicates filter and the groups list are plain indexed
 * queries instead of an all-pairs comparison per request.
 */
import type { Database } from 'better-sqlite3';
import { assignGroups } from '../duplicates.js';

export const version = 3;
export const name = 'duplicates';

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN duplicate_group INTEGER;
    CREATE INDEX photos_duplicate_group ON photos(duplicate_group) WHERE duplicate_group IS NOT NULL;
  `);
  const rows = db.prepare('SELECT id, phash FROM photos WHERE phash IS NOT NULL ORDER BY id').all() as Array<{ id: number; phash: string }>;
  const update = db.prepare('UPDATE photos SET duplicate_group = ? WHERE id = ?');
  for (const [id, group] of assignGroups(rows)) update.run(group, id);
}
