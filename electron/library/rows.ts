/** Catalog rows → contract shapes. One SELECT list per shape so every query returns the same fields. */
import type { PhotoDetails, PhotoSummary, VersionInfo } from '../shared/contract/library.js';
import { Recipe } from '../shared/recipe.js';

export const SUMMARY_COLUMNS = `p.id, p.file_name, p.folder, p.width, p.height, p.taken_at, p.imported_at, p.rating,
  p.favorite, p.missing, p.version_count, p.preferred_version_id, p.faces, p.duplicate_group, p.damaged`;

export interface PhotoRow {
  id: number;
  path: string;
  file_name: string;
  folder: string;
  width: number;
  height: number;
  taken_at: string | null;
  imported_at: string;
  rating: number;
  favorite: number;
  missing: number;
  version_count: number;
  preferred_version_id: number | null;
  faces: number | null;
  duplicate_group: number | null;
  damaged: string | null;
  size_bytes: number;
  mtime_ms: number;
  sha256: string;
  phash: string | null;
  format: string;
  orientation: number;
  color_space: string;
  bit_depth: number;
  has_alpha: number;
  has_icc: number;
  camera: string | null;
  caption: string | null;
  artist: string | null;
  copyright: string | null;
  keywords: string | null;
}

export function toSummary(r: PhotoRow): PhotoSummary {
  return {
    id: r.id,
    fileName: r.file_name,
    folder: r.folder,
    width: r.width,
    height: r.height,
    takenAt: r.taken_at,
    importedAt: r.imported_at,
    rating: r.rating,
    favorite: r.favorite === 1,
    missing: r.missing === 1,
    versionCount: r.version_count,
    preferredVersionId: r.preferred_version_id,
    faces: r.faces,
    duplicateGroup: r.duplicate_group,
    damaged: r.damaged ?? null,
  };
}

export function toDetails(r: PhotoRow, tags: string[], albums: Array<{ id: number; name: string }>): PhotoDetails {
  return {
    ...toSummary(r),
    path: r.path,
    format: r.format,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    phash: r.phash,
    orientation: r.orientation,
    colorSpace: r.color_space,
    bitDepth: r.bit_depth,
    hasAlpha: r.has_alpha === 1,
    hasIcc: r.has_icc === 1,
    camera: r.camera,
    caption: r.caption,
    artist: r.artist,
    copyright: r.copyright,
    keywords: r.keywords,
    tags,
    albums,
  };
}

export interface VersionRow {
  id: number;
  photo_id: number;
  file: string;
  label: string;
  created_at: string;
  width: number;
  height: number;
  recipe: string;
  instruction: string;
}

export function toVersion(r: VersionRow, preferredId: number | null): VersionInfo {
  return {
    id: r.id,
    photoId: r.photo_id,
    label: r.label,
    createdAt: r.created_at,
    preferred: r.id === preferredId,
    width: r.width,
    height: r.height,
    recipe: Recipe.parse(JSON.parse(r.recipe)),
  };
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Splits a long id list into chunks small enough for SQLite's bound-parameter limit. */
export function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
