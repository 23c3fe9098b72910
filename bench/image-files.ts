/**
 * How the benchmarks read and write images: every photo decoded the same way (EXIF orientation applied,
 * alpha dropped, sRGB; floats in 0..1, or 8-bit for the damage detector) and every output written as a fast
 * 8-bit PNG.
 */
import sharp from 'sharp';
import type { RgbImage } from '../electron/engine/degradations/index.js';

/**
 * Reads `file` as RGB floats. `resize`: `fill` makes it exactly side × side (portraits of a fixed size),
 * `inside` fits it within side × side keeping its shape.
 */
export async function loadRgb(file: string, resize?: { side: number; fit: 'fill' | 'inside' }): Promise<RgbImage> {
  let s = sharp(file).rotate().removeAlpha().toColourspace('srgb');
  if (resize) s = s.resize(resize.side, resize.side, { fit: resize.fit, kernel: 'lanczos3' });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: decoded to ${info.channels} channels, expected 3`);
  return { width: info.width, height: info.height, rgb: Float32Array.from(data, (v) => v / 255) };
}

/** Reads `file` as 8-bit RGB, as the damage detector takes a photo, scaled down (never up) to fit maxSide × maxSide. */
export async function loadRgb8(file: string, maxSide: number): Promise<{ rgb8: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb')
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  return { rgb8: new Uint8Array(data), width: info.width, height: info.height };
}

/** Writes an RGB float image as an 8-bit PNG (values clamped to 0..1 and rounded). */
export async function writePng(file: string, img: RgbImage): Promise<void> {
  const buf = Buffer.from(Uint8Array.from(img.rgb, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  await sharp(buf, { raw: { width: img.width, height: img.height, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
}
