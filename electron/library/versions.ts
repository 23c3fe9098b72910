/**
 * Restored versions of a photo. The broker writes the restored file inside
 * <dataDir>/versions and records it here with its full recipe; the original
 * is never touched. Deleting a version deletes its file and thumbnails.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { RestoraError } from '../shared/errors.js';
import { recipeMaskName, type Recipe } from '../shared/recipe.js';
import type { VersionInfo } from '../shared/contract/library.js';
import type { Library } from './library.js';
import { nowIso, toVersion, type VersionRow } from './rows.js';
import { versionThumbPaths } from './thumbnails.js';
import { MAX_PIXELS } from './probe.js';

function versionRow(lib: Library, versionId: number): VersionRow {
  const row = lib.db.prepare('SELECT * FROM versions WHERE id = ?').get(versionId) as VersionRow | undefined;
  if (!row) throw new RestoraError('NotFound', `No version ${versionId}`);
  return row;
}

/** The real path of `file` if it lies inside the versions folder; BadRequest otherwise. */
async function insideVersions(lib: Library, file: string): Promise<string> {
  let real: string;
  let root: string;
  try {
    real = await fs.realpath(file);
    root = await fs.realpath(lib.paths.versions);
  } catch {
    throw new RestoraError('NotFound', `Version file not found: ${file}`);
  }
  const rel = path.relative(root, real);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw new RestoraError('BadRequest', 'Version files must be inside the data folder\'s versions directory');
  return real;
}

export async function addVersion(lib: Library, p: { photoId: number; file: string; recipe: Recipe; label?: string; preferred: boolean }): Promise<number> {
  const photo = lib.db.prepare('SELECT id FROM photos WHERE id = ?').get(p.photoId);
  if (!photo) throw new RestoraError('NotFound', `No photo ${p.photoId}`);
  const file = await insideVersions(lib, p.file);
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch (err) {
    throw new RestoraError('CorruptInput', `The version file is not a readable image: ${(err as Error).message}`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const count = (lib.db.prepare('SELECT count(*) AS n FROM versions WHERE photo_id = ?').get(p.photoId) as { n: number }).n;
  const label = p.label?.trim() || `Restoration ${count + 1}`;
  return lib.db.transaction(() => {
    const id = Number(
      lib.db
        .prepare('INSERT INTO versions(photo_id, file, label, created_at, width, height, recipe, instruction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.photoId, file, label, nowIso(), swap ? meta.height! : meta.width!, swap ? meta.width! : meta.height!, JSON.stringify(p.recipe), p.recipe.instruction).lastInsertRowid,
    );
    if (p.preferred) lib.db.prepare('UPDATE photos SET preferred_version_id = ? WHERE id = ?').run(id, p.photoId);
    return id;
  })();
}

export function getVersion(lib: Library, versionId: number): VersionInfo & { file: string } {
  const row = versionRow(lib, versionId);
  const pref = lib.db.prepare('SELECT preferred_version_id AS v FROM photos WHERE id = ?').get(row.photo_id) as { v: number | null };
  return { ...toVersion(row, pref.v), file: row.file };
}

/** A version (without its file path) with the size and name of its photo. */
export function versionWithPhoto(lib: Library, versionId: number): VersionInfo & { photoWidth: number; photoHeight: number; fileName: string } {
  const { file: _file, ...v } = getVersion(lib, versionId);
  const photo = lib.db.prepare('SELECT width, height, file_name FROM photos WHERE id = ?').get(v.photoId) as { width: number; height: number; file_name: string };
  return { ...v, photoWidth: photo.width, photoHeight: photo.height, fileName: photo.file_name };
}

export function renameVersion(lib: Library, versionId: number, label: string): number {
  const row = versionRow(lib, versionId);
  lib.db.prepare('UPDATE versions SET label = ? WHERE id = ?').run(label, versionId);
  return row.photo_id;
}

/**
 * The files kept beside a version's image: its repair mask (the recipe's settings.damage.mask), only as a
 * plain file name in the version's own folder — a recipe is data, not a path to trust.
 */
export function versionSideFiles(file: string, recipeJson: string): string[] {
  try {
    const mask = recipeMaskName((JSON.parse(recipeJson) as { settings?: Record<string, unknown> }).settings);
    return mask ? [path.join(path.dirname(file), mask)] : [];
  } catch {
    return [];
  }
}

export async function deleteVersion(lib: Library, versionId: number): Promise<number> {
  const row = versionRow(lib, versionId);
  lib.db.prepare('DELETE FROM versions WHERE id = ?').run(versionId);
  const thumbs = versionThumbPaths(lib.paths.thumbnails, versionId);
  const files = [row.file, ...versionSideFiles(row.file, row.recipe), thumbs.thumb, thumbs.preview, path.join(lib.paths.cache, `version-${versionId}-full.jpg`)];
  await Promise.all(files.map((f) => fs.rm(f, { force: true })));
  return row.photo_id;
}

export function setPreferredVersion(lib: Library, photoId: number, versionId: number | null): void {
  if (!lib.db.prepare('SELECT 1 FROM photos WHERE id = ?').get(photoId)) throw new RestoraError('NotFound', `No photo ${photoId}`);
  if (versionId !== null && versionRow(lib, versionId).photo_id !== photoId) {
    throw new RestoraError('BadRequest', `Version ${versionId} belongs to another photo`);
  }
  lib.db.prepare('UPDATE photos SET preferred_version_id = ? WHERE id = ?').run(versionId, photoId);
}

/** Recipe fields whose values differ between two versions, as dotted paths. */
function differences(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
}

export function compareVersions(lib: Library, a: number, b: number) {
  const va = getVersion(lib, a);
  const vb = getVersion(lib, b);
  const strip = ({ file: _f, ...v }: VersionInfo & { file: string }): VersionInfo => v;
  const diff = differences(va.recipe, vb.recipe).filter((k) => !k.startsWith('timings.') && k !== 'totalSeconds');
  return { a: strip(va), b: strip(vb), differences: diff };
}
