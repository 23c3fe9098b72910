/**
 * Albums, tags, ratings, favourites, face counts and removal from the
 * catalog. Bulk operations run as one transaction per call with prepared
 * statements, so tagging 10,000 photos is one commit, not 10,000.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { Library } from './library.js';
import { chunks, nowIso, toDetails, toVersion, type PhotoRow, type VersionRow } from './rows.js';
import { photoThumbPaths, versionThumbPaths } from './thumbnails.js';
import { regroup } from './duplicate-groups.js';
import { fullRenditionPath } from './media.js';
import { versionSideFiles } from './versions.js';

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function requireAlbum(lib: Library, albumId: number): void {
  if (!lib.db.prepare('SELECT 1 FROM albums WHERE id = ?').get(albumId)) throw new RestoraError('NotFound', `No album ${albumId}`);
}

/** Ids among `ids` that exist (for counts and friendly NotFound). */
function existingIds(lib: Library, ids: readonly number[]): number[] {
  const out: number[] = [];
  for (const part of chunks([...new Set(ids)])) {
    const rows = lib.db.prepare(`SELECT id FROM photos WHERE id IN (${part.map(() => '?').join(',')})`).all(...part) as Array<{ id: number }>;
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

export function getPhoto(lib: Library, photoId: number) {
  const row = lib.db.prepare('SELECT p.* FROM photos p WHERE p.id = ?').get(photoId) as PhotoRow | undefined;
  if (!row) throw new RestoraError('NotFound', `No photo ${photoId}`);
  const tags = (lib.db.prepare('SELECT t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = ? ORDER BY t.name').all(photoId) as Array<{ name: string }>).map((t) => t.name);
  const albums = lib.db.prepare('SELECT a.id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id WHERE ap.photo_id = ? ORDER BY a.name').all(photoId) as Array<{ id: number; name: string }>;
  const versions = (lib.db.prepare('SELECT * FROM versions WHERE photo_id = ? ORDER BY id').all(photoId) as VersionRow[]).map((v) => toVersion(v, row.preferred_version_id));
  return { photo: toDetails(row, tags, albums), versions };
}

export function listAlbums(lib: Library) {
  return lib.db
    .prepare(
      `SELECT a.id, a.name, a.created_at AS createdAt, count(ap.photo_id) AS photoCount, max(ap.photo_id) AS coverPhotoId
       FROM albums a LEFT JOIN album_photos ap ON ap.album_id = a.id GROUP BY a.id ORDER BY a.name COLLATE NOCASE`,
    )
    .all() as Array<{ id: number; name: string; createdAt: string; photoCount: number; coverPhotoId: number | null }>;
}

export function createAlbum(lib: Library, name: string, photoIds: readonly number[]): number {
  try {
    return lib.db.transaction(() => {
      const id = Number(lib.db.prepare('INSERT INTO albums(name, created_at) VALUES (?, ?)').run(name, nowIso()).lastInsertRowid);
      if (photoIds.length) addToAlbum(lib, id, photoIds);
      return id;
    })();
  } catch (err) {
    if (isUniqueViolation(err)) throw new RestoraError('Conflict', `An album named "${name}" already exists`);
    throw err;
  }
}

export function renameAlbum(lib: Library, albumId: number, name: string): void {
  requireAlbum(lib, albumId);
  try {
    lib.db.prepare('UPDATE albums SET name = ? WHERE id = ?').run(name, albumId);
  } catch (err) {
    if (isUniqueViolation(err)) throw new RestoraError('Conflict', `An album named "${name}" already exists`);
    throw err;
  }
}

export function deleteAlbum(lib: Library, albumId: number): void {
  requireAlbum(lib, albumId);
  lib.db.prepare('DELETE FROM albums WHERE id = ?').run(albumId);
}

export function addToAlbum(lib: Library, albumId: number, photoIds: readonly number[]): number {
  requireAlbum(lib, albumId);
  const ids = existingIds(lib, photoIds);
  const insert = lib.db.prepare('INSERT OR IGNORE INTO album_photos(album_id, photo_id, added_at) VALUES (?, ?, ?)');
  const now = nowIso();
  return lib.db.transaction(() => ids.reduce((n, id) => n + insert.run(albumId, id, now).changes, 0))();
}

export function removeFromAlbum(lib: Library, albumId: number, photoIds: readonly number[]): number {
  requireAlbum(lib, albumId);
  const del = lib.db.prepare('DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?');
  return lib.db.transaction(() => photoIds.reduce((n, id) => n + del.run(albumId, id).changes, 0))();
}

export function listTags(lib: Library) {
  return lib.db
    .prepare('SELECT t.id, t.name, count(pt.photo_id) AS photoCount FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id GROUP BY t.id ORDER BY t.name')
    .all() as Array<{ id: number; name: string; photoCount: number }>;
}

export function tagPhotos(lib: Library, photoIds: readonly number[], add: readonly string[], remove: readonly string[]): void {
  const ids = existingIds(lib, photoIds);
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ');
  lib.db.transaction(() => {
    for (const name of add.map(norm)) {
      lib.db.prepare('INSERT OR IGNORE INTO tags(name) VALUES (?)').run(name);
      const tag = lib.db.prepare('SELECT id FROM tags WHERE name = ?').get(name) as { id: number };
      const link = lib.db.prepare('INSERT OR IGNORE INTO photo_tags(photo_id, tag_id) VALUES (?, ?)');
      for (const id of ids) link.run(id, tag.id);
    }
    for (const name of remove.map(norm)) {
      const tag = lib.db.prepare('SELECT id FROM tags WHERE name = ?').get(name) as { id: number } | undefined;
      if (!tag) continue;
      const unlink = lib.db.prepare('DELETE FROM photo_tags WHERE photo_id = ? AND tag_id = ?');
      for (const id of ids) unlink.run(id, tag.id);
    }
    lib.db.prepare('DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM photo_tags pt WHERE pt.tag_id = tags.id)').run();
  })();
}

function updateMany(lib: Library, sql: string, value: number | null, photoIds: readonly number[]): number {
  const stmt = lib.db.prepare(sql);
  return lib.db.transaction(() => photoIds.reduce((n, id) => n + stmt.run(value, id).changes, 0))();
}

export function setRating(lib: Library, photoIds: readonly number[], rating: number): number {
  return updateMany(lib, 'UPDATE photos SET rating = ? WHERE id = ?', rating, photoIds);
}

export function setFavorite(lib: Library, photoIds: readonly number[], favorite: boolean): number {
  return updateMany(lib, 'UPDATE photos SET favorite = ? WHERE id = ?', favorite ? 1 : 0, photoIds);
}

export function setFaces(lib: Library, photoId: number, faces: number | null): void {
  if (updateMany(lib, 'UPDATE photos SET faces = ? WHERE id = ?', faces, [photoId]) === 0) throw new RestoraError('NotFound', `No photo ${photoId}`);
}

/** Drops photos from the catalog with their versions, version files and thumbnails. The originals stay where they are. */
export async function removePhotos(lib: Library, photoIds: readonly number[]): Promise<number> {
  const ids = existingIds(lib, photoIds);
  const files: string[] = [];
  const groups = new Set<number>();
  lib.db.transaction(() => {
    for (const id of ids) {
      const p = lib.db.prepare('SELECT sha256, duplicate_group FROM photos WHERE id = ?').get(id) as { sha256: string; duplicate_group: number | null };
      if (p.duplicate_group !== null) groups.add(p.duplicate_group);
      const t = photoThumbPaths(lib.paths.thumbnails, p.sha256);
      files.push(t.thumb, t.preview, fullRenditionPath(lib, { sha256: p.sha256, has_alpha: 0 }), fullRenditionPath(lib, { sha256: p.sha256, has_alpha: 1 }));
      for (const v of lib.db.prepare('SELECT id, file, recipe FROM versions WHERE photo_id = ?').all(id) as Array<{ id: number; file: string; recipe: string }>) {
        const vt = versionThumbPaths(lib.paths.thumbnails, v.id);
        files.push(v.file, ...versionSideFiles(v.file, v.recipe), vt.thumb, vt.preview);
      }
      // The damage masks the user edited for this photo in the Restore panel.
      files.push(path.join(lib.paths.masks, String(id)));
      lib.db.prepare('DELETE FROM photos WHERE id = ?').run(id);
    }
    regroup(lib, groups);
  })();
  for (const id of ids) lib.phashIndex().remove(id);
  await Promise.all(files.map((f) => fs.rm(f, { force: true, recursive: true })));
  return ids.length;
}
