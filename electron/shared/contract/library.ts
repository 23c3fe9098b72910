/** Methods of the photo library service (SQLite catalog, import, thumbnails, versions, export). */
import { z } from 'zod';
import { method, job, baseName } from '../rpc.js';
import { Recipe } from '../recipe.js';
import { MediaRef } from '../media.js';
import { FaceBox } from './engine.js';
import { StoredFace } from './people.js';
import { Geometry } from '../geometry.js';

const PhotoId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const VersionId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const AlbumId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const PhotoIds = z.array(PhotoId).min(1).max(100_000);
const FilePath = z.string().min(1).max(4096);
const Name = z.string().trim().min(1).max(200);
/** 'YYYY-MM-DD' or a full ISO timestamp; compared as text with the catalog's ISO dates. */
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/);
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const PhotoSummary = z.object({
  id: PhotoId,
  fileName: z.string(),
  folder: z.string(),
  /** Display dimensions, after the EXIF orientation is applied. */
  width: z.number().int(),
  height: z.number().int(),
  /** EXIF date taken as local time 'YYYY-MM-DDTHH:MM:SS', when the file has one. */
  takenAt: z.string().nullable(),
  importedAt: z.string(),
  rating: z.number().int().min(0).max(5),
  favorite: z.boolean(),
  /** The original file was not found at its path at the last check. */
  missing: z.boolean(),
  versionCount: z.number().int(),
  /** The version shown by default, if the user picked one. */
  preferredVersionId: VersionId.nullable(),
  /** Number of faces found by the engine; null until the engine has looked. */
  faces: z.number().int().nullable(),
  /** Photos sharing this number look alike (perceptual hash); null when unique. */
  duplicateGroup: z.number().int().nullable(),
  /** Why the file is damaged ('its image data ends early'): imported with what could be read, never restored as if whole. Null when whole. */
  damaged: z.string().nullable().default(null),
});
export type PhotoSummary = z.infer<typeof PhotoSummary>;

export const PhotoDetails = PhotoSummary.extend({
  path: z.string(),
  format: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  phash: z.string().nullable(),
  orientation: z.number().int(),
  colorSpace: z.string(),
  bitDepth: z.number().int(),
  hasAlpha: z.boolean(),
  hasIcc: z.boolean(),
  camera: z.string().nullable(),
  /** Text the file carries: title and description (EXIF, XMP, IPTC), author, copyright, keywords. */
  caption: z.string().nullable(),
  artist: z.string().nullable(),
  copyright: z.string().nullable(),
  keywords: z.string().nullable(),
  tags: z.array(z.string()),
  albums: z.array(z.object({ id: AlbumId, name: z.string() })),
});
export type PhotoDetails = z.infer<typeof PhotoDetails>;

export const VersionInfo = z.object({
  id: VersionId,
  photoId: PhotoId,
  label: z.string(),
  createdAt: z.string(),
  preferred: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
  recipe: Recipe,
});
export type VersionInfo = z.infer<typeof VersionInfo>;

export const Skipped = z.object({ path: z.string(), reason: z.string() });

export const ImportResult = z.object({
  /** The import run (see library.importRuns); a cancelled or killed run can be resumed by id. */
  runId: z.number().int(),
  imported: z.number().int(),
  /** Files whose content (sha256) is already in the catalog. */
  duplicates: z.number().int(),
  /** Missing photos found again by this import (same content at a new path). */
  relinked: z.number().int().default(0),
  /** Why files were not imported (the first MAX_REPORTED; `skippedCount` has the total). */
  skipped: z.array(Skipped).max(1000),
  skippedCount: z.number().int().default(0),
  /** Imported files whose data is damaged (imported with what could be read), with the reason; the first MAX_REPORTED. */
  damaged: z.array(Skipped).max(1000).default([]),
  /** Ids of the photos created or relinked by this import (the first MAX_REPORTED_IDS). */
  photoIds: z.array(PhotoId).max(10_000).default([]),
  /** The files skipped because their content is already in the library, each with the photo it duplicates (the first 1000). */
  duplicateFiles: z.array(z.object({ path: z.string(), photoId: PhotoId, existingPath: z.string() })).max(1000).default([]),
});

export const BackupInfo = z.object({
  /** File name inside the backups folder: catalog-YYYYMMDD-HHMMSS-<reason>.sqlite */
  name: z.string(),
  reason: z.enum(['auto', 'manual', 'before-restore']),
  createdAt: z.string(),
  bytes: z.number().int(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

/** 'relevance' (best match first) applies while searching; it is the default then. */
export const SortField = z.enum(['relevance', 'imported', 'taken', 'name', 'rating']);

/** Longest search text accepted; longer text is refused with a message, not cut silently. */
export const MAX_SEARCH_CHARS = 1000;

/** Every filter narrows the result; omitted filters do not apply. */
export const PhotoFilter = z.object({
  /** Taken date (or import date when the photo has none), inclusive bounds. */
  from: DateText.optional(),
  to: DateText.optional(),
  minRating: z.number().int().min(0).max(5).optional(),
  favorite: z.boolean().optional(),
  /** true: photos with at least one version; false: photos without. */
  restored: z.boolean().optional(),
  /** true: faces > 0; false: faces = 0. Photos not yet analysed never match. */
  hasFaces: z.boolean().optional(),
  /** true: photos that have a look-alike; false: photos without. */
  duplicates: z.boolean().optional(),
  /** Exact folder (as listed by library.listFolders). */
  folder: z.string().max(4096).optional(),
  /** Include subfolders of `folder`. */
  recursive: z.boolean().default(false),
  albumId: AlbumId.optional(),
  /** Tag name (case-insensitive). */
  tag: z.string().max(200).optional(),
  missing: z.boolean().optional(),
  /** Camera as listed by library.listCameras (case-insensitive). */
  camera: z.string().max(200).optional(),
  /** Photos in which this person's face was found (people.list). */
  personId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only these photos (e.g. what an import or a batch made). */
  ids: z.array(PhotoId).min(1).max(10_000).optional(),
}).strict();
export type PhotoFilter = z.input<typeof PhotoFilter>;

export const ListPhotosParams = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
  /**
   * Words matched anywhere inside file and folder names, tags, album names,
   * the file's caption, author, copyright and keywords, the camera, the names of the people in the photo and
   * restoration instructions (one- and two-letter words: at word beginnings).
   * Every word must match; "quoted words" match as a phrase.
   */
  query: z
    .string()
    .max(MAX_SEARCH_CHARS, `Search text is limited to ${MAX_SEARCH_CHARS.toLocaleString('en')} characters; search for fewer, more telling words`)
    .default(''),
  filter: PhotoFilter.default({ recursive: false }),
  /** Default: 'relevance' while searching, 'imported' otherwise. */
  sort: SortField.optional(),
  /** Default: newest / highest first for dates and ratings, A to Z for names. */
  direction: z.enum(['asc', 'desc']).optional(),
}).strict();

const AlbumInfo = z.object({ id: AlbumId, name: z.string(), photoCount: z.number().int(), coverPhotoId: PhotoId.nullable(), createdAt: z.string() });
const TagInfo = z.object({ id: z.number().int(), name: z.string(), photoCount: z.number().int() });
const ExportFormat = z.enum(['jpeg', 'png', 'webp', 'tiff', 'avif']);
const EXPORT_TOKENS = ['{name}', '{version}', '{n}', '{date}'];
/** An export naming pattern: a file name with {name}, {version}, {n} and {date}. */
export const ExportNaming = z
  .string()
  .trim()
  .min(1, 'Give a naming pattern, e.g. {name} - {version}')
  .max(120, 'Naming patterns are limited to 120 characters')
  .refine((p) => !/[/\\]/.test(p), 'A naming pattern is a file name: no / or \\')
  .refine((p) => /\{(name|n)\}/.test(p), 'A naming pattern needs {name} or {n}, or every photo would get the same name')
  .refine((p) => (p.match(/\{[^}]*\}/g) ?? []).every((t) => EXPORT_TOKENS.includes(t)), `Patterns may use ${EXPORT_TOKENS.join(', ')}`);
const ImportRun = z.object({
  id: z.number().int(),
  state: z.enum(['running', 'done', 'cancelled', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  roots: z.array(z.string()),
  pending: z.number().int(),
});

export const libraryMethods = {
  'library.listPhotos': method('library', {
    doc: 'A page of photos matching an optional search text and filters, sorted; `total` counts all matches.',
    params: ListPhotosParams,
    result: z.object({ total: z.number().int(), items: z.array(PhotoSummary) }),
  }),
  'library.getPhoto': method('library', {
    doc: 'One photo with its file facts, tags, albums and versions (oldest first).',
    params: z.object({ photoId: PhotoId }).strict(),
    result: z.object({ photo: PhotoDetails, versions: z.array(VersionInfo) }),
  }),
  'library.import': job('library', {
    doc: 'Imports files and folders (recursively). Skipped files come back with a reason; cancel keeps what was done.',
    label: (p) => `Import ${p.paths.length} item(s)`,
    params: z.object({ paths: z.array(FilePath).min(1).max(1000) }).strict(),
    result: ImportResult,
  }),
  'library.importRuns': method('library', {
    doc: 'Recent import runs; an interrupted or cancelled run with pending files can be resumed.',
    params: Empty,
    result: z.object({ runs: z.array(ImportRun) }),
  }),
  'library.resumeImport': job('library', {
    doc: 'Continues an interrupted or cancelled import run with the files it had not done yet.',
    label: (p) => `Resume import ${p.runId}`,
    params: z.object({ runId: z.number().int().positive() }).strict(),
    result: ImportResult,
  }),
  'library.removePhotos': method('library', {
    doc: 'Removes photos from the catalog with their versions and thumbnails. Original files are never touched.',
    params: z.object({ photoIds: PhotoIds }).strict(),
    result: z.object({ removed: z.number().int() }),
  }),
  'library.listFolders': method('library', {
    doc: 'Distinct folders holding photos, with photo counts, sorted by path (for the sidebar).',
    params: Empty,
    result: z.object({ folders: z.array(z.object({ folder: z.string(), count: z.number().int() })) }),
  }),
  'library.listCameras': method('library', {
    doc: 'Cameras (EXIF make and model) of the photos, with photo counts, most used first (for the camera filter).',
    params: Empty,
    result: z.object({ cameras: z.array(z.object({ camera: z.string(), count: z.number().int() })) }),
  }),
  'library.listDuplicates': method('library', {
    doc: 'Groups of look-alike photos (perceptual hash distance ≤ 8 bits), biggest groups first.',
    params: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.object({ total: z.number().int(), groups: z.array(z.object({ group: z.number().int(), photos: z.array(PhotoSummary) })) }),
  }),
  'library.listAlbums': method('library', { doc: 'All albums, by name.', params: Empty, result: z.object({ albums: z.array(AlbumInfo) }) }),
  'library.createAlbum': method('library', {
    doc: 'Creates an album, optionally with photos. Names are unique (case-insensitive): Conflict otherwise.',
    params: z.object({ name: Name, photoIds: z.array(PhotoId).max(100_000).default([]) }).strict(),
    result: z.object({ albumId: AlbumId }),
  }),
  'library.renameAlbum': method('library', { doc: 'Renames an album.', params: z.object({ albumId: AlbumId, name: Name }).strict(), result: Ok }),
  'library.deleteAlbum': method('library', { doc: 'Deletes an album (its photos stay in the library).', params: z.object({ albumId: AlbumId }).strict(), result: Ok }),
  'library.addToAlbum': method('library', {
    doc: 'Adds photos to an album (already present ones are ignored).',
    params: z.object({ albumId: AlbumId, photoIds: PhotoIds }).strict(),
    result: z.object({ added: z.number().int() }),
  }),
  'library.removeFromAlbum': method('library', {
    doc: 'Removes photos from an album.',
    params: z.object({ albumId: AlbumId, photoIds: PhotoIds }).strict(),
    result: z.object({ removed: z.number().int() }),
  }),
  'library.listTags': method('library', { doc: 'All tags in use, by name, with counts.', params: Empty, result: z.object({ tags: z.array(TagInfo) }) }),
  'library.tagPhotos': method('library', {
    doc: 'Adds and/or removes tags on many photos at once. Tags are case-insensitive; unused tags disappear.',
    params: z.object({ photoIds: PhotoIds, add: z.array(Name).max(100).default([]), remove: z.array(Name).max(100).default([]) }).strict(),
    result: Ok,
  }),
  'library.setRating': method('library', { doc: 'Sets the star rating (0-5) of photos.', params: z.object({ photoIds: PhotoIds, rating: z.number().int().min(0).max(5) }).strict(), result: Ok }),
  'library.setFavorite': method('library', { doc: 'Marks or unmarks photos as favourites.', params: z.object({ photoIds: PhotoIds, favorite: z.boolean() }).strict(), result: Ok }),
  'library.photoSource': method('library', {
    doc: 'The original file of a photo, for the engine. NotFound (and the photo flagged missing) when the file is gone.',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId }).strict(),
    result: z.object({ path: FilePath, width: z.number().int(), height: z.number().int(), sha256: z.string() }),
  }),
  'library.addVersion': method('library', {
    doc: 'Records a restored file (already written inside <dataDir>/versions) as a version of a photo.',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId, file: FilePath, recipe: Recipe, label: z.string().max(200).optional(), preferred: z.boolean().default(false) }).strict(),
    result: z.object({ versionId: VersionId }),
  }),
  'library.setFaces': method('library', {
    doc: 'Records how many faces the engine found in a photo (null = unknown).',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId, faces: z.number().int().min(0).max(10_000).nullable() }).strict(),
    result: Ok,
  }),
  'library.storeFaces': method('library', {
    doc: 'Stores the faces the engine found in a photo (replacing any found before) and their count, which the Faces filter reads.',
    exposure: 'internal',
    params: z.object({ photoId: PhotoId, faces: z.array(FaceBox).max(500) }).strict(),
    result: Ok,
  }),
  'library.photoFaces': method('library', {
    doc: 'The faces stored for a photo, largest first, each with its person (id and name, null when not grouped yet); null when it has not been analysed.',
    params: z.object({ photoId: PhotoId }).strict(),
    result: z.object({ photoId: PhotoId, width: z.number().int(), height: z.number().int(), faces: z.array(StoredFace).nullable() }),
  }),
  'library.getVersion': method('library', {
    doc: 'One version with its recipe, and the size of the photo it was made from (to fit its recipe to other photos).',
    params: z.object({ versionId: VersionId }).strict(),
    result: VersionInfo.extend({ photoWidth: z.number().int(), photoHeight: z.number().int(), fileName: z.string() }),
  }),
  'library.geometrySource': method('library', {
    doc: 'A library photo (or, for folder batches, an image file) with a crop, quarter turns and straightening applied, as a file in the cache (full size for the engine, preview size to show).',
    exposure: 'internal',
    params: z
      .object({ photoId: PhotoId.optional(), file: FilePath.optional(), geometry: Geometry, size: z.enum(['full', 'preview']).default('full') })
      .strict()
      .refine((p) => (p.photoId === undefined) !== (p.file === undefined), 'Give a photoId or a file'),
    result: z.object({ path: FilePath, width: z.number().int(), height: z.number().int() }),
  }),
  'library.previewFile': method('library', {
    doc: 'A preview-size JPEG (1600 px long side) of any image file, written to the cache, for showing a folder batch\'s before and after.',
    exposure: 'internal',
    params: z.object({ file: FilePath }).strict(),
    result: z.object({ path: FilePath }),
  }),
  'library.renameVersion': method('library', { doc: 'Renames a version.', params: z.object({ versionId: VersionId, label: Name }).strict(), result: Ok }),
  'library.deleteVersion': method('library', { doc: 'Deletes a version and its file.', params: z.object({ versionId: VersionId }).strict(), result: Ok }),
  'library.setPreferredVersion': method('library', {
    doc: 'Marks one version as the preferred one of its photo; null clears it (the original is shown).',
    params: z.object({ photoId: PhotoId, versionId: VersionId.nullable() }).strict(),
    result: Ok,
  }),
  'library.compareVersions': method('library', {
    doc: "Two versions' metadata side by side and the recipe fields that differ (images come through two MediaRefs).",
    params: z.object({ a: VersionId, b: VersionId }).strict(),
    result: z.object({ a: VersionInfo, b: VersionInfo, differences: z.array(z.string()) }),
  }),
  'library.export': job('library', {
    doc: "Exports originals or versions into a folder: format, naming pattern, resize, metadata; ICC and dpi kept exactly; never overwrites (adds ' (2)').",
    label: (p) => `Export ${(p.items?.length ?? 0) + (p.photoIds?.length ?? 0)} item(s) to ${baseName(p.folder)}`,
    params: z.object({
      /** Exactly what to export: originals ('photo') or versions. */
      items: z.array(z.object({ kind: z.enum(['photo', 'version']), id: PhotoId }).strict()).min(1).max(10_000).optional(),
      /** Shorthand: these photos' preferred versions (their originals when they have none, or when `originals`). */
      photoIds: z.array(PhotoId).min(1).max(10_000).optional(),
      originals: z.boolean().default(false),
      folder: FilePath,
      format: ExportFormat.default('jpeg'),
      quality: z.number().int().min(1).max(100).default(92),
      /** File names: {name} (the original's), {version} (its label, or "original"), {n} (number in this export), {date} (taken). */
      naming: ExportNaming.optional(),
      /** Longest side in pixels; smaller photos are not enlarged. */
      longEdge: z.number().int().min(16, 'Resize to at least 16 pixels').max(100_000).optional(),
      /** all: every field; essential: dates, camera, author, copyright; none: only the colour profile and resolution. */
      metadata: z.enum(['all', 'essential', 'none']).default('all'),
    }).strict().refine((p) => (p.items?.length ?? 0) + (p.photoIds?.length ?? 0) > 0, 'Give items or photoIds to export'),
    result: z.object({ written: z.array(z.object({ kind: z.enum(['photo', 'version']), id: z.number().int(), path: z.string() })), skipped: z.array(Skipped) }),
  }),
  'library.checkFiles': job('library', {
    doc: 'Checks that every original is still where it was; flags the missing ones (and unflags found ones).',
    label: () => 'Check the originals are in place',
    params: Empty,
    result: z.object({ checked: z.number().int(), missing: z.number().int(), found: z.number().int() }),
  }),
  'library.relink': job('library', {
    doc: 'Looks in a folder (recursively) for missing originals by content hash, and points the catalog at them.',
    label: (p) => `Relink from ${baseName(p.folder)}`,
    params: z.object({ folder: FilePath }).strict(),
    result: z.object({ relinked: z.number().int(), stillMissing: z.number().int() }),
  }),
  'library.backup': method('library', {
    doc: "Backs the catalog up now (SQLite's online backup, checked, into the data folder's backups/); old backups are rotated.",
    params: Empty,
    result: BackupInfo,
  }),
  'library.listBackups': method('library', {
    doc: 'The catalog backups, newest first (automatic ones are made daily while the library runs), and the folder holding them.',
    params: Empty,
    result: z.object({ folder: z.string(), backups: z.array(BackupInfo) }),
  }),
  'library.restoreBackup': method('library', {
    doc: 'Replaces the catalog with a backup. The catalog as it was is backed up first, so this can be undone.',
    params: z.object({ name: z.string().min(1).max(200) }).strict(),
    result: z.object({ restored: BackupInfo, previous: BackupInfo }),
  }),
  'library.resolveMedia': method('library', {
    doc: 'Maps a media reference (catalog id + size) to a file to serve; creates thumbnails on demand.',
    exposure: 'internal',
    params: MediaRef.strict(),
    result: z.object({ path: FilePath, mime: z.string() }),
  }),
} as const;
