/**
 * Export of originals and versions into a folder in a chosen format. The
 * orientation is baked into the pixels (and the tag reset to 1), EXIF and the
 * ICC profile are kept; versions carry their original's camera and dates plus
 * a note (EXIF Software/ImageDescription and XMP) that Restora restored them
 * and with which instruction. Existing files are never overwritten: a new
 * name gets ' (2)', ' (3)'... and the final name is claimed atomically.
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

export interface ExportParams {
  items: Array<{ kind: 'photo' | 'version'; id: number }>;
  folder: string;
  format: ExportFormat;
  quality: number;
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

function encode(img: Sharp, format: ExportFormat, quality: number): Sharp {
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
      return img.tiff({ compression: 'lzw' });
    case 'avif':
      return img.avif({ quality });
  }
}

/** Writes `data` as `<stem>.<ext>` in `folder`, or `<stem> (N).<ext>` if taken. Never replaces an existing file. */
export async function writeNew(folder: string, stem: string, ext: string, data: Buffer): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  function* names() {
    for (let n = 1; n < 10_000; n++) yield n === 1 ? `${stem}.${ext}` : `${stem} (${n}).${ext}`;
  }
  const written = await writeNewFile(folder, names(), data);
  if (!written) throw new Error(`Too many files named ${stem} in ${folder}`);
  return written;
}

async function exportPhoto(lib: Library, id: number, p: ExportParams): Promise<string> {
  const row = lib.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as PhotoRow | undefined;
  if (!row) throw new Error(`No photo ${id}`);
  if (!(await checkOriginal(lib, row))) throw new Error(`The original is missing: ${row.path}`);
  const img = openImage(row.path).autoOrient().keepMetadata();
  const data = await encode(img, p.format, p.quality).toBuffer();
  return writeNew(p.folder, safeName(path.parse(row.file_name).name), EXT[p.format], data);
}

async function exportVersion(lib: Library, id: number, p: ExportParams): Promise<string> {
  const v = getVersion(lib, id);
  const photo = lib.db.prepare('SELECT * FROM photos WHERE id = ?').get(v.photoId) as PhotoRow;
  const carried = await originalExif(photo.path);
  const note = `Restored with ${SOFTWARE} (${v.label})${v.recipe.instruction ? `: ${v.recipe.instruction}` : ''}`;
  const img = openImage(v.file)
    .autoOrient()
    .withIccProfile('srgb')
    .withExif({
      IFD0: { ...carried.IFD0, Software: SOFTWARE, ImageDescription: note.slice(0, 2000) },
      IFD2: { ...(photo.taken_at ? { DateTimeOriginal: exifDate(photo.taken_at)! } : {}), ...carried.IFD2 },
    })
    .withXmp(xmpPacket(note));
  const data = await encode(img, p.format, p.quality).toBuffer();
  return writeNew(p.folder, safeName(`${path.parse(photo.file_name).name} - ${v.label}`), EXT[p.format], data);
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
  for (let i = 0; i < p.items.length; i++) {
    ctx.throwIfCancelled();
    const item = p.items[i]!;
    ctx.progress({ stage: 'export', fraction: i / p.items.length, message: `${i + 1} of ${p.items.length}` });
    try {
      const file = item.kind === 'photo' ? await exportPhoto(lib, item.id, p) : await exportVersion(lib, item.id, p);
      written.push({ ...item, path: file });
    } catch (err) {
      skipped.push({ path: `${item.kind}/${item.id}`, reason: exportProblem(err, p.folder) });
    }
  }
  ctx.progress({ stage: 'export', fraction: 1, message: `${written.length} exported` });
  return { written, skipped };
}
