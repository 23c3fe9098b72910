/** Methods of the photo library service (SQLite catalog, import, thumbnails, versions, export). */
import { z } from 'zod';
import { method, job } from '../rpc.js';
import { Recipe } from '../recipe.js';
import { MediaRef } from '../media.js';

const PhotoId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const FilePath = z.string().min(1).max(4096);

export const PhotoSummary = z.object({
  id: PhotoId,
  fileName: z.string(),
  folder: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  takenAt: z.string().nullable(),
  importedAt: z.string(),
  rating: z.number().int().min(0).max(5),
  favorite: z.boolean(),
  missing: z.boolean(),
  versionCount: z.number().int(),
});
export type PhotoSummary = z.infer<typeof PhotoSummary>;

export const VersionInfo = z.object({
  id: z.number().int().positive(),
  photoId: PhotoId,
  label: z.string(),
  createdAt: z.string(),
  preferred: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
  recipe: Recipe,
});
export type VersionInfo = z.infer<typeof VersionInfo>;

export const ImportResult = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

export const libraryMethods = {
  'library.listPhotos': method('library', {
    doc: 'A page of photos, newest import first, optionally filtered by a search text.',
    params: z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
      query: z.string().max(500).default(''),
    }).strict(),
    result: z.object({ total: z.number().int(), items: z.array(PhotoSummary) }),
  }),
  'library.getPhoto': method('library', {
    doc: 'One photo with its versions.',
    params: z.object({ photoId: PhotoId }).strict(),
    result: z.object({ photo: PhotoSummary, versions: z.array(VersionInfo) }),
  }),
  'library.import': job('library', {
    doc: 'Imports files and folders (recursively). Skipped files come back with a reason.',
    params: z.object({ paths: z.array(FilePath).min(1).max(1000) }).strict(),
    result: ImportResult,
  }),
  'library.photoSource': method('library', {
    doc: 'The original file of a photo, for the engine.',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId }).strict(),
    result: z.object({ path: FilePath, width: z.number().int(), height: z.number().int(), sha256: z.string() }),
  }),
  'library.addVersion': method('library', {
    doc: 'Records a restored file (already written inside the data directory) as a version of a photo.',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId, file: FilePath, recipe: Recipe, label: z.string().max(200).optional() }).strict(),
    result: z.object({ versionId: z.number().int().positive() }),
  }),
  'library.resolveMedia': method('library', {
    doc: 'Maps a media reference (catalog id + size) to a file to serve; creates thumbnails on demand.',
    exposure: 'internal',
    params: MediaRef.strict(),
    result: z.object({ path: FilePath, mime: z.string() }),
  }),
} as const;
