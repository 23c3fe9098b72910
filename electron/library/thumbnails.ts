/**
 * Thumbnails (256 px) and previews (1600 px long side) as sRGB JPEG, oriented
 * by EXIF, plus full-size browser-safe renditions for originals a browser
 * cannot show faithfully (TIFF, 16-bit, CMYK). Files are written atomically
 * (electron/node/atomic-write.ts), so a kill never leaves a half-written thumbnail; photo
 * thumbnails are named by content hash, so a re-import after a kill reuses them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { MEDIA_SIZE_PX } from '../shared/media.js';
import { RestoraError } from '../shared/errors.js';
import { MAX_PIXELS } from './probe.js';
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

/** Opens a source image with the safety limits every decode in the library uses. */
export function openImage(file: string | Buffer): Sharp {
  // failOn 'error': truncated and corrupt data fail, harmless libjpeg warnings do not.
  return sharp(file, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
}

async function writeAtomic(target: string, data: Buffer, makeDir = true): Promise<void> {
  if (makeDir) await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, data);
}

function decodeError(err: unknown): RestoraError {
  if (err instanceof RestoraError) return err;
  const msg = ((err as Error)?.message ?? String(err)).split('\n')[0]!;
  if (/pixel limit/i.test(msg)) return new RestoraError('TooLarge', `Image too large to decode: ${msg}`);
  if (/premature end|truncat|unexpected end|short read|out of data/i.test(msg)) return new RestoraError('CorruptInput', `Truncated image: ${msg}`);
  return new RestoraError('CorruptInput', `Damaged image, cannot decode: ${msg}`);
}

/**
 * Decodes `source` (a path, or the file's bytes when the caller already read
 * them) once, into sRGB pixels at preview size, and derives everything from
 * those pixels: the preview JPEG, the thumbnail and the pHash. Nothing is
 * decoded twice. Returns the pHash of the oriented picture.
 */
export async function renderThumbnails(source: string | Buffer, out: ThumbPaths): Promise<{ phash: string }> {
  let preview: Buffer;
  let thumb: Buffer;
  let phash: string;
  try {
    const base = await openImage(source)
      .autoOrient()
      .resize(MEDIA_SIZE_PX.preview, MEDIA_SIZE_PX.preview, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
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
  return { phash };
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
