/**
 * Thumbnails (256 px) and previews (1600 px long side) as sRGB JPEG, oriented
 * by EXIF, plus full-size browser-safe renditions for originals a browser
 * cannot show faithfully (TIFF, 16-bit, CMYK). Files are written atomically
 * (electron/node/atomic-write.ts), so a kill never leaves a half-written thumbnail; photo
 * thumbnails are named by content hash, so a re-import after a kill reuses them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { MEDIA_SIZE_PX } from '../shared/media.js';
import { RestoraError } from '../shared/errors.js';
import { MAX_PIXELS } from './probe.js';
import { decodeSeconds } from '../node/image-budget.js';
import { noteWritten } from '../node/disk-space.js';
import { classifyDecodeError, describeDecodeError, strictly, type FailOn } from '../node/strict-decode.js';
import { PHASH_SIDE, phashFromPixels } from './hashes.js';
import { writeFileAtomic } from '../node/atomic-write.js';

export interface ThumbPaths {
  thumb: string;
  preview: string;
}

export function photoThumbPaths(thumbDir: string, sha256: string): ThumbPaths {
  const dir = path.join(thumbDir, sha256.slice(0, 2));
  return { thumb: path.join(dir, `${sha256}-thumb.jpg`), preview: path.join(dir, `${sha256}-preview.jpg`) };
}

export function versionThumbPaths(thumbDir: string, versionId: number): ThumbPaths {
  const dir = path.join(thumbDir, 'versions');
  return { thumb: path.join(dir, `${versionId}-thumb.jpg`), preview: path.join(dir, `${versionId}-preview.jpg`) };
}

/**
 * Opens a source image with the limits every decode in the library has: the
 * pixel budget, and a time budget fit for the largest image allowed.
 * failOn 'error' (the default): truncated and corrupt data fail, harmless
 * warnings do not; see strictly() for the stricter first pass.
 */
export function openImage(file: string | Buffer, failOn: FailOn = 'error'): Sharp {
  return sharp(file, { limitInputPixels: MAX_PIXELS, failOn }).timeout({ seconds: decodeSeconds(MAX_PIXELS) });
}

async function writeAtomic(target: string, data: Buffer, makeDir = true): Promise<void> {
  if (makeDir) await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, data);
  noteWritten(data.length);
}

function decodeError(err: unknown): RestoraError {
  return describeDecodeError('This file', err);
}

/** The preview-size sRGB pixels of `source`, and what is wrong with it when its data is damaged (then only what could be read). */
async function previewPixels(source: string | Buffer): Promise<{ base: { data: Buffer; info: OutputInfo }; damaged: string | null }> {
  const decode = (failOn: FailOn) =>
    openImage(source, failOn)
      .autoOrient()
      .resize(MEDIA_SIZE_PX.preview, MEDIA_SIZE_PX.preview, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  try {
    return { base: await strictly(decode), damaged: null };
  } catch (err) {
    let problem = classifyDecodeError(err);
    // The decoder's words vary (under load libvips can fail a cut-off file with a read-order error): the file's own
    // structure says whether its data ends early.
    if (problem.kind === 'other' && (await endsEarly(source))) problem = { kind: 'damaged', says: 'is damaged: its image data ends early' };
    if (problem.kind !== 'damaged') throw err;
    // Damaged data: show what is there (libvips pads the rest), and say so.
    return { base: await decode('none'), damaged: problem.says.replace(/^is damaged: /, '') };
  }
}

/** A JPEG without its end-of-image marker, or a PNG without its IEND chunk: data cut off before the end. */
export async function endsEarly(source: string | Buffer): Promise<boolean> {
  let head: Buffer, tail: Buffer;
  if (Buffer.isBuffer(source)) {
    [head, tail] = [source.subarray(0, 8), source.subarray(Math.max(0, source.length - 64))];
  } else {
    let fh: fs.FileHandle | null = null;
    try {
      fh = await fs.open(source, 'r');
      const size = (await fh.stat()).size;
      head = Buffer.alloc(Math.min(8, size));
      tail = Buffer.alloc(Math.min(64, size));
      await fh.read(head, 0, head.length, 0);
      await fh.read(tail, 0, tail.length, Math.max(0, size - tail.length));
    } catch {
      return false;
    } finally {
      await fh?.close();
    }
  }
  if (head[0] === 0xff && head[1] === 0xd8) {
    let end = tail.length;
    while (end > 0 && tail[end - 1] === 0) end--; // padding after the marker is harmless
    return !(end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9);
  }
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return !tail.includes(Buffer.from('IEND'));
  return false;
}

/**
 * Decodes `source` (a path, or the file's bytes when the caller already read
 * them) once, into sRGB pixels at preview size, and derives everything from
 * those pixels: the preview JPEG, the thumbnail and the pHash. Nothing is
 * decoded twice. Returns the pHash of the oriented picture, and why the file
 * is damaged when its data ends early or is corrupt (null when it is whole).
 */
export async function renderThumbnails(source: string | Buffer, out: ThumbPaths): Promise<{ phash: string; damaged: string | null }> {
  let preview: Buffer;
  let thumb: Buffer;
  let phash: string;
  let damaged: string | null;
  try {
    let base;
    ({ base, damaged } = await previewPixels(source));
    const pixels = (b: { data: Buffer; info: { width: number; height: number; channels: number } }) =>
      sharp(b.data, { raw: { width: b.info.width, height: b.info.height, channels: b.info.channels as 1 | 2 | 3 | 4 } });
    const small = pixels(base).resize(MEDIA_SIZE_PX.thumb, MEDIA_SIZE_PX.thumb, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
    [preview, thumb, phash] = await Promise.all([
      pixels(base).jpeg({ quality: 85 }).toBuffer(),
      small.then((s) => pixels(s).jpeg({ quality: 80 }).toBuffer()),
      small.then(async (s) => phashFromPixels(await pixels(s).greyscale().resize(PHASH_SIDE, PHASH_SIDE, { fit: 'fill' }).raw().toBuffer())),
    ]);
  } catch (err) {
    throw decodeError(err);
  }
  await fs.mkdir(path.dirname(out.preview), { recursive: true });
  await writeAtomic(out.preview, preview, false);
  await writeAtomic(out.thumb, thumb, path.dirname(out.thumb) !== path.dirname(out.preview));
  return { phash, damaged };
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Whether browsers show this file as it is: 8-bit sRGB/grey JPEG, PNG, WebP or GIF. */
export function browserSafe(format: string, colorSpace: string, bitDepth: number): boolean {
  return ['jpeg', 'png', 'webp', 'gif'].includes(format) && ['srgb', 'b-w'].includes(colorSpace) && bitDepth <= 8;
}

/** A full-resolution sRGB rendition (PNG when the source has alpha, else JPEG) at `target` (extension decides). */
export async function renderFull(source: string, target: string): Promise<void> {
  try {
    let img = openImage(source).autoOrient().toColourspace('srgb');
    img = target.endsWith('.png') ? img.png() : img.flatten({ background: '#ffffff' }).jpeg({ quality: 95 });
    await writeAtomic(target, await img.toBuffer());
  } catch (err) {
    throw decodeError(err);
  }
}
