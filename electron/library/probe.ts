/**
 * Reads what the catalog needs from a file's header only (sharp metadata +
 * EXIF), before anything is decoded: format, display dimensions, orientation,
 * colour space, bit depth, date taken and camera. The header is checked here
 * (electron/node/strict-decode.ts): a decompression bomb, or a small file
 * claiming more pixels than its bytes can hold, is refused without
 * allocating its pixels.
 */
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { RestoraError } from '../shared/errors.js';
import { readHeader } from '../node/strict-decode.js';
import { readTextMetadata, type TextMetadata } from './text-metadata.js';

export { MAX_PIXELS } from '../node/image-budget.js';

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
  const { meta, width: w, height: h } = await readHeader('This file', source, (s) => sharp(s, { limitInputPixels: false }).metadata());
  const format = SUPPORTED[meta.format ?? ''];
  if (!format) throw new RestoraError('Unsupported', `Unsupported image format: ${meta.format ?? 'unknown'}`);
  if (meta.format === 'heif' && meta.compression !== 'av1') throw new RestoraError('Unsupported', 'HEIC images are not supported (only AVIF)');
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
