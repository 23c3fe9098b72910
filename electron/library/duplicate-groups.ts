/**
 * Keeps photos.duplicate_group current as photos come and go. Run inside the
 * transaction that inserts or removes the photo.
 */
import type { Library } from './library.js';
import { assignGroups } from './duplicates.js';
import { chunks } from './rows.js';

/** Joins a new photo to the groups of its look-alikes (merging groups it bridges). */
export function recordDuplicates(lib: Library, photoId: number, phash: string): void {
  const near = lib.phashIndex().near(phash, photoId);
  if (near.length === 0) return;
  const ids = [photoId, ...near];
  const groups = new Set<number>();
  for (const part of chunks(near)) {
    const rows = lib.db.prepare(`SELECT duplicate_group AS g FROM photos WHERE id IN (${part.map(() => '?').join(',')}) AND duplicate_group IS NOT NULL`).all(...part) as Array<{ g: number }>;
    for (const r of rows) groups.add(r.g);
  }
  let group = photoId;
  for (const x of [...ids, ...groups]) if (x < group) group = x;
  const setGroup = lib.db.prepare('UPDATE photos SET duplicate_group = ? WHERE id = ? OR duplicate_group = ?');
  for (const id of ids) setGroup.run(group, id, -1);
  for (const g of groups) setGroup.run(group, -1, g);
}

/** After photos left the catalog, splits or dissolves the groups they were holding together. */
export function regroup(lib: Library, groups: Iterable<number>): void {
  const setGroup = lib.db.prepare('UPDATE photos SET duplicate_group = ? WHERE id = ?');
  for (const g of groups) {
    const rows = lib.db.prepare('SELECT id, phash FROM photos WHERE duplicate_group = ? AND phash IS NOT NULL ORDER BY id').all(g) as Array<{ id: number; phash: string }>;
    const assigned = assignGroups(rows);
    for (const r of rows) setGroup.run(assigned.get(r.id) ?? null, r.id);
  }
}
