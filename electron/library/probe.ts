/**
 * Reads what the catalog needs from a file's header only (sharp metadata +
 * EXIF), before anything is decoded: format, display dimensions, orientation,
 * colour space, bit depth, date taken and camera. The pixel limit is checked
 * here, so a decompression bomb is refused without allocating its pixels.
 */
import sharp, { type Metadata } from 'sharp';
import exifReader from 'exif-reader';
import { RestoraError } from '../shared/errors.js';
import { readTextMetadata, type TextMetadata } from './text-metadata.js';

/** Largest image Restora decodes: 200 megapixels (e.g. 16,000 × 12,500). */
export const MAX_PIXELS = 200_000_000;

/** sharp's format names we import, and what we call them. */
const SUPPORTED: Record<string, string> = { jpeg: 'jpeg', png: 'png', tiff: 'tiff', webp: 'webp', heif: 'avif', gif: 'gif' };

export interface Probe extends TextMetadata {
  format: string;
  /** Display dimensions (after orientation). */
  width: number;
  height: number;
  orientation: number;
  colorSpace: string;
  bitDepth: number;
  hasAlpha: boolean;
  hasIcc: boolean;
  takenAt: string | null;
  camera: string | null;
}

const DEPTH_BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

function exifFields(buf: Buffer | undefined): { takenAt: string | null; camera: string | null } {
  if (!buf) return { takenAt: null, camera: null };
  try {
    const exif = exifReader(buf);
    const date = exif.Photo?.DateTimeOriginal ?? exif.Photo?.DateTimeDigitized ?? exif.Image?.DateTime;
    // exif-reader builds the Date from the wall-clock fields as if UTC; keep them as local time text.
    const takenAt = date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 19) : null;
    const make = typeof exif.Image?.Make === 'string' ? exif.Image.Make.replace(/\0/g, '').trim() : '';
    const model = typeof exif.Image?.Model === 'string' ? exif.Image.Model.replace(/\0/g, '').trim() : '';
    const camera = model.toLowerCase().startsWith(make.toLowerCase()) ? model : [make, model].filter(Boolean).join(' ');
    return { takenAt, camera: camera || null };
  } catch {
    return { takenAt: null, camera: null };
  }
}

/** Header facts of an image file (a path, or its bytes). Throws RestoraError with a user-readable reason for anything Restora will not import. */
export async function probe(source: string | Buffer): Promise<Probe> {
  let meta: Metadata;
  try {
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (/unsupported image format/i.test(msg)) {
      throw new RestoraError('CorruptInput', 'Not an image (or a format this build cannot read)');
    }
    throw new RestoraError('CorruptInput', `Damaged or unreadable image: ${msg.split('\n')[0]}`);
  }
  const format = SUPPORTED[meta.format ?? ''];
  if (!format) throw new RestoraError('Unsupported', `Unsupported image format: ${meta.format ?? 'unknown'}`);
  if (meta.format === 'heif' && meta.compression !== 'av1') throw new RestoraError('Unsupported', 'HEIC images are not supported (only AVIF)');
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw new RestoraError('CorruptInput', 'Image has no dimensions');
  if (w * h > MAX_PIXELS) {
    throw new RestoraError('TooLarge', `Image too large: ${w}×${h} is ${(w * h / 1e6).toFixed(0)} megapixels (limit ${MAX_PIXELS / 1e6})`);
  }
  const orientation = meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
  const swap = orientation >= 5;
  return {
    format,
    width: swap ? h : w,
    height: swap ? w : h,
    orientation,
    colorSpace: meta.space ?? 'srgb',
    bitDepth: meta.bitsPerSample ?? DEPTH_BITS[meta.depth ?? 'uchar'] ?? 8,
    hasAlpha: meta.hasAlpha ?? false,
    hasIcc: meta.hasProfile ?? false,
    ...exifFields(meta.exif),
    ...readTextMetadata(meta),
  };
}
