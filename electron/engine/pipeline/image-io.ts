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
import { MAX_PIXELS } from '../../node/image-budget.js';
import { describeDecodeError, readHeader, strictly, type FailOn, type Header } from '../../node/strict-decode.js';
import { numberedNames, writeFileAtomic, writeNewFile } from '../../node/atomic-write.js';

/** Largest image the engine decodes: the one pixel budget every decode in Restora has. */
export const MAX_INPUT_PIXELS = MAX_PIXELS;

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

/** The header of `source` read with sharp and checked against its size and the budgets (electron/node/strict-decode.ts). */
export function readImageHeader(subject: string, source: string | Buffer): Promise<Header<Metadata>> {
  return readHeader(subject, source, (s) => sharp(s, { limitInputPixels: false }).metadata());
}

/**
 * Decodes `file` strictly (electron/node/strict-decode.ts): the header is
 * checked against the file's size and the pixel and memory budgets before
 * anything is allocated, the decode has a time budget, and data that ends
 * early is refused as damaged instead of being restored as if it were whole.
 */
export async function decodeImage(file: string): Promise<DecodedImage> {
  const name = path.basename(file);
  const { meta, seconds } = await readImageHeader(name, file);
  const open = (failOn: FailOn) => sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn }).timeout({ seconds });
  try {
    const { data, info } = await strictly((failOn) => open(failOn).rotate().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true }));
    const inCh = info.channels;
    let rgb8: Uint8Array;
    if (inCh === 3) rgb8 = new Uint8Array(data.buffer, data.byteOffset, data.length);
    else {
      rgb8 = new Uint8Array(info.width * info.height * 3);
      for (let p = 0, q = 0; p < info.width * info.height; p++) for (let c = 0; c < 3; c++) rgb8[q++] = data[p * inCh + Math.min(c, inCh - 1)]!;
    }
    let alpha: Uint8Array | null = null;
    if (meta.hasAlpha) {
      const a = await open('error').rotate().ensureAlpha().extractChannel(3).raw().toBuffer();
      alpha = new Uint8Array(a);
    }
    return { width: info.width, height: info.height, rgb8, alpha, exif: meta.exif ?? null, icc: meta.icc ?? null, format: meta.format ?? 'unknown' };
  } catch (err) {
    throw describeDecodeError(name, err);
  }
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

/**
 * Writes HWC RGB (0..1) plus optional alpha to `file` (format from its
 * extension), atomically, and returns the path written. With `noReplace` an
 * existing file (or link) is never replaced: the result takes the first free
 * name among `file`, "name (2).ext", "name (3).ext"..., claimed atomically.
 */
export async function encodeImage(
  file: string,
  img: { width: number; height: number; rgb8: Uint8Array; alpha: Uint8Array | null; exif?: Buffer | null },
  opts: { software: string; description?: string; noReplace?: boolean },
): Promise<string> {
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
  if (!opts.noReplace) {
    await writeFileAtomic(file, s);
    return file;
  }
  const written = await writeNewFile(path.dirname(file), numberedNames(path.basename(file)), await s.toBuffer());
  if (!written) throw new RestoraError('Conflict', `${path.basename(file)} and the numbered names after it are all taken in ${path.dirname(file)}.`);
  return written;
}
