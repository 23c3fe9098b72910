/**
 * Decoding and encoding for the engine. Decoding applies the EXIF orientation,
 * converts to sRGB, and keeps alpha aside (restorers work on RGB); encoding
 * writes atomically (electron/node/atomic-write.ts), so a cancelled or crashed
 * job never leaves a half-written image.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import exifReader from 'exif-reader';
import { RestoraError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../node/atomic-write.js';

/** Largest image the engine decodes: 30,000 × 20,000 = 600 megapixels. */
export const MAX_INPUT_PIXELS = 30_000 * 20_000;

export interface DecodedImage {
  width: number;
  height: number;
  /** HWC RGB, 8 bits per channel: a quarter of the memory of floats, so big photos fit. */
  rgb8: Uint8Array;
  /** Alpha plane (0..255) when the source had one. */
  alpha: Uint8Array | null;
  /** The source's metadata, for re-attaching on encode. */
  exif: Buffer | null;
  icc: Buffer | null;
  format: string;
}

export async function decodeImage(file: string): Promise<DecodedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).metadata();
  } catch (err) {
    throw describeDecodeError(file, err);
  }
  if (!meta.width || !meta.height) throw new RestoraError('CorruptInput', `${path.basename(file)} has no readable dimensions`);
  try {
    const base = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate().toColourspace('srgb');
    const { data, info } = await base.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const inCh = info.channels;
    let rgb8: Uint8Array;
    if (inCh === 3) rgb8 = new Uint8Array(data.buffer, data.byteOffset, data.length);
    else {
      rgb8 = new Uint8Array(info.width * info.height * 3);
      for (let p = 0, q = 0; p < info.width * info.height; p++) for (let c = 0; c < 3; c++) rgb8[q++] = data[p * inCh + Math.min(c, inCh - 1)]!;
    }
    let alpha: Uint8Array | null = null;
    if (meta.hasAlpha) {
      const a = await sharp(file, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().ensureAlpha().extractChannel(3).raw().toBuffer();
      alpha = new Uint8Array(a);
    }
    return { width: info.width, height: info.height, rgb8, alpha, exif: meta.exif ?? null, icc: meta.icc ?? null, format: meta.format ?? 'unknown' };
  } catch (err) {
    throw describeDecodeError(file, err);
  }
}

function describeDecodeError(file: string, err: unknown): RestoraError {
  const msg = String((err as Error)?.message ?? err);
  const name = path.basename(file);
  if (/pixel limit/i.test(msg)) return new RestoraError('TooLarge', `${name} is larger than ${MAX_INPUT_PIXELS / 1e6} megapixels and cannot be decoded safely`);
  if (/ENOENT|Input file is missing/.test(msg)) return new RestoraError('NotFound', `${name} does not exist`);
  if (/unsupported image format/i.test(msg)) return new RestoraError('Unsupported', `${name} is not an image format Restora can read`);
  return new RestoraError('CorruptInput', `${name} could not be decoded: ${msg.slice(0, 200)}`);
}

const EXIF_DATE = (d: unknown) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':') : undefined);

/**
 * The parts of the source's EXIF worth carrying to a restored copy (camera,
 * dates, author, copyright). Orientation is not carried: pixels are already upright.
 */
export function carriedExif(exif: Buffer | null): { IFD0: Record<string, string>; IFD2: Record<string, string> } {
  const out = { IFD0: {} as Record<string, string>, IFD2: {} as Record<string, string> };
  if (!exif) return out;
  let parsed: { Image?: Record<string, unknown>; Photo?: Record<string, unknown> };
  try {
    parsed = exifReader(exif) as typeof parsed;
  } catch {
    return out;
  }
  for (const k of ['Make', 'Model', 'Artist', 'Copyright']) {
    const v = parsed.Image?.[k];
    if (typeof v === 'string' && v.trim()) out.IFD0[k] = v.slice(0, 200);
  }
  const dt = EXIF_DATE(parsed.Image?.DateTime);
  if (dt) out.IFD0.DateTime = dt;
  for (const k of ['DateTimeOriginal', 'DateTimeDigitized']) {
    const v = EXIF_DATE(parsed.Photo?.[k]);
    if (v) out.IFD2[k] = v;
  }
  return out;
}

/** Writes HWC RGB (0..1) plus optional alpha to `file` (format from its extension), atomically. */
export async function encodeImage(
  file: string,
  img: { width: number; height: number; rgb8: Uint8Array; alpha: Uint8Array | null; exif?: Buffer | null },
  opts: { software: string; description?: string },
): Promise<void> {
  const carried = carriedExif(img.exif ?? null);
  const ch = img.alpha ? 4 : 3;
  let buf: Buffer;
  if (!img.alpha) buf = Buffer.from(img.rgb8.buffer, img.rgb8.byteOffset, img.rgb8.length);
  else {
    buf = Buffer.alloc(img.width * img.height * 4);
    for (let p = 0; p < img.width * img.height; p++) {
      for (let c = 0; c < 3; c++) buf[p * 4 + c] = img.rgb8[p * 3 + c]!;
      buf[p * 4 + 3] = img.alpha[p]!;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ext = path.extname(file).toLowerCase();
  let s = sharp(buf, { raw: { width: img.width, height: img.height, channels: ch as 3 | 4 } })
    .withIccProfile('srgb')
    .withExif({
      IFD0: { ...carried.IFD0, Software: opts.software, ...(opts.description ? { ImageDescription: opts.description.slice(0, 1000) } : {}) },
      ...(Object.keys(carried.IFD2).length ? { IFD2: carried.IFD2 } : {}),
    });
  if (ext === '.jpg' || ext === '.jpeg') s = s.jpeg({ quality: 95, chromaSubsampling: '4:4:4' });
  else if (ext === '.webp') s = s.webp({ quality: 95 });
  else if (ext === '.tif' || ext === '.tiff') s = s.tiff({ compression: 'lzw' });
  else s = s.png({ compressionLevel: 6 });
  await writeFileAtomic(file, s);
}
