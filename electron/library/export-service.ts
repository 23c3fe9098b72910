/**
 * Export of originals and versions into a folder in a chosen format, named by
 * a pattern, optionally resized. The orientation is baked into the pixels
 * (and the tag reset to 1); the ICC profile and the resolution (dpi) are kept
 * exactly; metadata is kept in full, cut to the essentials (dates, camera,
 * author, copyright) or left out. Versions carry their original's camera,
 * dates and dpi plus a note (EXIF Software/ImageDescription and XMP) that
 * Restora restored them and with which instruction. Existing files are never
 * overwritten: a new name gets ' (2)', ' (3)'... and the final name is claimed
 * atomically. A folder that disappears mid-export stops it: what was written
 * is reported, nothing is recreated behind the user's back.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import exifReader from 'exif-reader';
import sharp, { type Sharp } from 'sharp';
import type { HandlerContext } from '../node/worker-runtime.js';
import type { Library } from './library.js';
import type { PhotoRow } from './rows.js';
import { openImage } from './thumbnails.js';
import { getVersion } from './versions.js';
import { checkOriginal } from './media.js';
import { APP_NAME, APP_VERSION } from '../node/app-version.js';
import { RestoraError } from '../shared/errors.js';
import { isDiskFull, prepareOutputFolder, writeProblem } from '../node/disk-space.js';
import { describeDecodeError } from '../node/strict-decode.js';
import { sweepLeftovers } from '../node/leftovers.js';
import { writeNewFile } from '../node/atomic-write.js';

export type ExportFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'avif';
const EXT: Record<ExportFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', tiff: 'tif', avif: 'avif' };
export const SOFTWARE = `${APP_NAME} ${APP_VERSION}`;

export type MetadataChoice = 'all' | 'essential' | 'none';

export interface ExportParams {
  items: Array<{ kind: 'photo' | 'version'; id: number }>;
  folder: string;
  format: ExportFormat;
  quality: number;
  /** File names: {name}, {version}, {n}, {date}; default "{name}" for originals and "{name} - {version}" for versions. */
  naming?: string | undefined;
  /** Longest side in pixels (never enlarged). */
  longEdge?: number | undefined;
  metadata?: MetadataChoice;
}

/** A file name from the export pattern. */
export function exportName(pattern: string | undefined, f: { name: string; version: string | null; n: number; total: number; date: string | null }): string {
  const p = pattern ?? (f.version ? '{name} - {version}' : '{name}');
  return safeName(
    p
      .replace(/\{name\}/g, f.name)
      .replace(/\{version\}/g, f.version ?? 'original')
      .replace(/\{n\}/g, String(f.n).padStart(String(f.total).length, '0'))
      .replace(/\{date\}/g, f.date ? f.date.slice(0, 10) : 'undated'),
  );
}

/** A file name part safe on every platform (keeps unicode). */
export function safeName(s: string): string {
  return s.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/[. ]+$/, '').slice(0, 150) || 'photo';
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmpPacket(description: string): string {
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:CreatorTool="${xmlEscape(SOFTWARE)}">` +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(description)}</rdf:li></rdf:Alt></dc:description>` +
    `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

function exifDate(iso: string | null | undefined): string | undefined {
  return iso ? iso.slice(0, 19).replace(/^(\d{4})-(\d{2})-(\d{2})T/, '$1:$2:$3 ') : undefined;
}

/** EXIF fields of the original worth keeping on a restored copy (camera, author, dates). */
async function originalExif(file: string): Promise<{ IFD0: Record<string, string>; IFD2: Record<string, string> }> {
  const out = { IFD0: {} as Record<string, string>, IFD2: {} as Record<string, string> };
  try {
    const meta = await sharp(file).metadata();
    if (!meta.exif) return out;
    const exif = exifReader(meta.exif);
    for (const k of ['Make', 'Model', 'Artist', 'Copyright'] as const) {
      const v = exif.Image?.[k];
      if (typeof v === 'string' && v.trim()) out.IFD0[k] = v.replace(/\0/g, '').trim();
    }
    for (const k of ['DateTimeOriginal', 'DateTimeDigitized'] as const) {
      const v = exif.Photo?.[k];
      if (v instanceof Date && !Number.isNaN(v.getTime())) out.IFD2[k] = exifDate(v.toISOString())!;
    }
  } catch {
    // A missing or unreadable original only costs the copied camera fields.
  }
  return out;
}

/** Encodes in the chosen format; `density` (dpi) goes into TIFF's own resolution tags, which EXIF does not reach. */
function encode(img: Sharp, format: ExportFormat, quality: number, density = 72): Sharp {
  switch (format) {
    case 'jpeg':
      // JPEG has no alpha: composite transparent areas on white (sharp's default would be black).
      return img.flatten({ background: '#ffffff' }).jpeg({ quality });
    case 'png':
      return img.png();
    case 'webp':
      return img.webp({ quality });
    case 'tiff':
      // LZW keeps 16-bit originals 16-bit (JPEG-in-TIFF would force 8 bits).
      return img.tiff({ compression: 'lzw', xres: density / 25.4, yres: density / 25.4, resolutionUnit: 'inch' });
    case 'avif':
      return img.avif({ quality });
  }
}

/** Writes `data` as `<stem>.<ext>` in `folder`, or `<stem> (N).<ext>` if taken. Never replaces an existing file. */
export async function writeNew(folder: string, stem: string, ext: string, data: Buffer): Promise<string> {
  // The folder is made once, by exportItems: one that disappears mid-export is not made again here.
  function* names() {
    for (let n = 1; n < 10_000; n++) yield n === 1 ? `${stem}.${ext}` : `${stem} (${n}).${ext}`;
  }
  const written = await writeNewFile(folder, names(), data);
  if (!written) throw new Error(`Too many files named ${stem} in ${folder}`);
  return written;
}

/** The resolution a file states, in dots per inch (72 when it states none, as readers assume). */
async function densityOf(file: string): Promise<number> {
  try {
    const d = (await sharp(file).metadata()).density;
    return d && Number.isFinite(d) && d > 0 ? Math.round(d * 1000) / 1000 : 72;
  } catch {
    return 72;
  }
}

/** Resize (never enlarging) when asked. */
function sized(img: Sharp, longEdge: number | undefined): Sharp {
  return longEdge ? img.resize(longEdge, longEdge, { fit: 'inside', withoutEnlargement: true }) : img;
}

interface Naming {
  n: number;
  total: number;
}

async function exportPhoto(lib: Library, id: number, p: ExportParams, at: Naming): Promise<string> {
  const row = lib.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as PhotoRow | undefined;
  if (!row) throw new Error(`No photo ${id}`);
  if (!(await checkOriginal(lib, row))) throw new Error(`The original is missing: ${row.path}`);
  const density = await densityOf(row.path);
  // The ICC profile exactly as the original has it (pixels stay in its colour space); the dpi restated (sharp would write its own default otherwise).
  let img = sized(openImage(row.path).autoOrient(), p.longEdge).keepIccProfile();
  if (p.metadata === 'none') img = img.withDensity(density).withExif({ IFD0: {} });
  else if (p.metadata === 'essential') {
    const carried = await originalExif(row.path);
    img = img.withDensity(density).withExif({ IFD0: carried.IFD0, IFD2: carried.IFD2 });
  } else img = img.keepMetadata().withDensity(density);
  const data = await encode(img, p.format, p.quality, density).toBuffer();
  const name = exportName(p.naming, { name: path.parse(row.file_name).name, version: null, ...at, date: row.taken_at });
  return writeNew(p.folder, name, EXT[p.format], data);
}

async function exportVersion(lib: Library, id: number, p: ExportParams, at: Naming): Promise<string> {
  const v = getVersion(lib, id);
  const photo = lib.db.prepare('SELECT * FROM photos WHERE id = ?').get(v.photoId) as PhotoRow;
  const carried = await originalExif(photo.path);
  // The version is the original's picture: it states the original's resolution (the engine's file states none).
  const density = (await checkOriginal(lib, photo)) ? await densityOf(photo.path) : 72;
  const note = `Restored with ${SOFTWARE} (${v.label})${v.recipe.instruction ? `: ${v.recipe.instruction}` : ''}`;
  // The engine writes sRGB: a version file's own profile is kept byte for byte; one without a profile is tagged sRGB.
  const hasProfile = (await sharp(v.file).metadata()).icc !== undefined;
  const base = sized(openImage(v.file).autoOrient(), p.longEdge);
  let img = (hasProfile ? base.keepIccProfile() : base.withIccProfile('srgb')).withDensity(density);
  if (p.metadata === 'none') img = img.withExif({ IFD0: {} });
  else {
    const essential = p.metadata === 'essential';
    img = img.withExif({
      IFD0: { ...carried.IFD0, Software: SOFTWARE, ...(essential ? {} : { ImageDescription: note.slice(0, 2000) }) },
      IFD2: { ...(photo.taken_at ? { DateTimeOriginal: exifDate(photo.taken_at)! } : {}), ...carried.IFD2 },
    });
    if (!essential) img = img.withXmp(xmpPacket(note));
  }
  const data = await encode(img, p.format, p.quality, density).toBuffer();
  const name = exportName(p.naming, { name: path.parse(photo.file_name).name, version: v.label, ...at, date: photo.taken_at });
  return writeNew(p.folder, name, EXT[p.format], data);
}

/** Whether the export folder is (still) there. */
async function folderThere(folder: string): Promise<boolean> {
  try {
    return (await fs.stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/** Expands the photoIds shorthand: each photo's preferred version, else its original. */
export function exportList(lib: Library, p: { items?: ExportParams['items']; photoIds?: number[]; originals: boolean }): ExportParams['items'] {
  const items = [...(p.items ?? [])];
  const pref = lib.db.prepare('SELECT preferred_version_id AS v FROM photos WHERE id = ?');
  for (const id of p.photoIds ?? []) {
    const row = pref.get(id) as { v: number | null } | undefined;
    items.push(!p.originals && row?.v ? { kind: 'version', id: row.v } : { kind: 'photo', id });
  }
  return items;
}

/** One sentence for an item that could not be exported: the disk's problem, or the image's, never libvips' text. */
function exportProblem(err: unknown, folder: string): string {
  if (err instanceof RestoraError) return err.message;
  const msg = String((err as Error)?.message ?? err);
  if (isDiskFull(err) || /unable to write|write error|No space/i.test(msg)) return writeProblem(Object.assign(new Error(msg), { code: 'ENOSPC' }), folder).message;
  if ((err as NodeJS.ErrnoException)?.code) return writeProblem(err, folder).message;
  if (/vips|jpeg|png|tiff|webp|heif|gif|Input (file|buffer)|timeout:/i.test(msg)) return describeDecodeError('The image', err).message;
  return msg.split('\n')[0]!;
}

export async function exportItems(lib: Library, p: ExportParams, ctx: HandlerContext) {
  const written: Array<{ kind: 'photo' | 'version'; id: number; path: string }> = [];
  const skipped: Array<{ path: string; reason: string }> = [];
  // Before any work: the folder exists or can be made, and can be written; then what killed exports left there goes.
  prepareOutputFolder(p.folder);
  sweepLeftovers(p.folder);
  let stopped: string | null = null;
  for (let i = 0; i < p.items.length; i++) {
    ctx.throwIfCancelled();
    const item = p.items[i]!;
    if (!stopped && !(await folderThere(p.folder))) {
      stopped = `The export folder ${p.folder} disappeared after ${written.length} of ${p.items.length} file(s); the rest were not exported`;
    }
    if (stopped) {
      skipped.push({ path: `${item.kind}/${item.id}`, reason: stopped });
      continue;
    }
    ctx.progress({ stage: 'export', fraction: i / p.items.length, message: `${i + 1} of ${p.items.length}` });
    try {
      const at = { n: i + 1, total: p.items.length };
      const file = item.kind === 'photo' ? await exportPhoto(lib, item.id, p, at) : await exportVersion(lib, item.id, p, at);
      written.push({ ...item, path: file });
    } catch (err) {
      const gone = !(await folderThere(p.folder));
      if (gone) stopped = `The export folder ${p.folder} disappeared after ${written.length} of ${p.items.length} file(s); the rest were not exported`;
      skipped.push({ path: `${item.kind}/${item.id}`, reason: gone ? stopped! : exportProblem(err, p.folder) });
    }
  }
  ctx.progress({ stage: 'export', fraction: 1, message: `${written.length} exported` });
  return { written, skipped };
}
