/**
 * Which file to serve for a MediaRef, and the original for the engine.
 * Thumbnails and previews are made on demand when missing; 'full' is the
 * original itself when a browser shows it faithfully, else an sRGB rendition
 * in the cache. A vanished original flags the photo missing (never deletes it).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { MediaRef } from '../shared/media.js';
import type { Library } from './library.js';
import type { PhotoRow } from './rows.js';
import { browserSafe, exists, photoThumbPaths, renderFull, renderThumbnails, versionThumbPaths } from './thumbnails.js';
import { getVersion } from './versions.js';

const MIME: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif', tiff: 'image/tiff' };

function photoRow(lib: Library, id: number): PhotoRow {
  const row = lib.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as PhotoRow | undefined;
  if (!row) throw new RestoraError('NotFound', `No photo ${id}`);
  return row;
}

/** Whether the original is still there; updates the missing flag either way. */
export async function checkOriginal(lib: Library, row: Pick<PhotoRow, 'id' | 'path' | 'missing'>): Promise<boolean> {
  let present = false;
  try {
    present = (await fs.stat(row.path)).isFile();
  } catch {
    present = false;
  }
  if (present === (row.missing === 1)) lib.db.prepare('UPDATE photos SET missing = ? WHERE id = ?').run(present ? 0 : 1, row.id);
  return present;
}

function missingError(row: PhotoRow): RestoraError {
  return new RestoraError('NotFound', `The original of photo ${row.id} is missing: ${row.path}`, { photoId: row.id, missing: true });
}

export async function photoSource(lib: Library, photoId: number) {
  const row = photoRow(lib, photoId);
  if (!(await checkOriginal(lib, row))) throw missingError(row);
  return { path: row.path, width: row.width, height: row.height, sha256: row.sha256 };
}

export function fullRenditionPath(lib: Library, row: Pick<PhotoRow, 'sha256' | 'has_alpha'>): string {
  return path.join(lib.paths.cache, `${row.sha256}-full.${row.has_alpha ? 'png' : 'jpg'}`);
}

export async function resolveMedia(lib: Library, ref: MediaRef): Promise<{ path: string; mime: string }> {
  if (ref.kind === 'version') return resolveVersion(lib, ref);
  const row = photoRow(lib, ref.id);
  if (ref.size === 'full') {
    if (!(await checkOriginal(lib, row))) throw missingError(row);
    if (browserSafe(row.format, row.color_space, row.bit_depth)) return { path: row.path, mime: MIME[row.format]! };
    const target = fullRenditionPath(lib, row);
    if (!(await exists(target))) await renderFull(row.path, target);
    return { path: target, mime: row.has_alpha ? 'image/png' : 'image/jpeg' };
  }
  const thumbs = photoThumbPaths(lib.paths.thumbnails, row.sha256);
  const target = thumbs[ref.size];
  if (!(await exists(target))) {
    if (!(await checkOriginal(lib, row))) throw missingError(row);
    await renderThumbnails(row.path, thumbs);
  }
  return { path: target, mime: 'image/jpeg' };
}

async function resolveVersion(lib: Library, ref: MediaRef): Promise<{ path: string; mime: string }> {
  const v = getVersion(lib, ref.id);
  if (!(await exists(v.file))) throw new RestoraError('NotFound', `The file of version ${v.id} is gone`);
  const ext = path.extname(v.file).slice(1).toLowerCase();
  const format = ext === 'jpg' ? 'jpeg' : ext;
  if (ref.size === 'full') {
    if (['jpeg', 'png', 'webp'].includes(format)) return { path: v.file, mime: MIME[format]! };
    const target = path.join(lib.paths.cache, `version-${v.id}-full.jpg`);
    if (!(await exists(target))) await renderFull(v.file, target);
    return { path: target, mime: 'image/jpeg' };
  }
  const thumbs = versionThumbPaths(lib.paths.thumbnails, v.id);
  if (!(await exists(thumbs[ref.size]))) await renderThumbnails(v.file, thumbs);
  return { path: thumbs[ref.size], mime: 'image/jpeg' };
}
