/**
 * Full-reference metrics on HWC float RGB images in 0..1: PSNR and SSIM, on
 * RGB and on the BT.601 luma channel Y (the studio-range Y of MATLAB's
 * rgb2ycbcr, the convention restoration papers report "PSNR-Y" in). PSNR is
 * the engine's own (electron/engine/metrics/psnr.ts), so benchmarks and
 * fine-tuning validation measure alike.
 */
import { checkSameSize as checkSame, psnr } from '../../electron/engine/metrics/psnr.js';

/** BT.601 studio-range luma in 0..1: (16 + 65.481 R + 128.553 G + 24.966 B) / 255 for R, G, B in 0..1. */
export function lumaY(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = (16 + 65.481 * rgb[p * 3]! + 128.553 * rgb[p * 3 + 1]! + 24.966 * rgb[p * 3 + 2]!) / 255;
  return out;
}

export const psnrRgb = psnr;
export function psnrY(a: Float32Array, b: Float32Array): number {
  return psnr(lumaY(a), lumaY(b));
}

/** Normalised 1-D Gaussian of the SSIM window. */
function window1d(size: number, sigma: number): Float64Array {
  const r = (size - 1) / 2;
  const k = new Float64Array(size);
  let s = 0;
  for (let i = 0; i < size; i++) s += k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) k[i]! /= s;
  return k;
}

/** Gaussian-weighted local mean over 'valid' window positions. */
function filterValid(src: Float64Array, w: number, h: number, k: Float64Array): { data: Float64Array; w: number; h: number } {
  const n = k.length, ow = w - n + 1, oh = h - n + 1;
  const tmp = new Float64Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i]! * src[y * w + x + i]!;
      tmp[y * ow + x] = s;
    }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i]! * tmp[(y + i) * ow + x]!;
      out[y * ow + x] = s;
    }
  return { data: out, w: ow, h: oh };
}

/**
 * SSIM of one plane (Wang et al. 2004): 11×11 Gaussian window σ = 1.5, K1 = 0.01,
 * K2 = 0.03, dynamic range 1, mean over the valid window positions. Planes
 * smaller than 11 px use the largest odd window that fits.
 */
export function ssimPlane(a: Float32Array, b: Float32Array, w: number, h: number): number {
  checkSame(a, b);
  let size = Math.min(11, w, h);
  if (size % 2 === 0) size--;
  const k = window1d(size, size === 11 ? 1.5 : Math.max(0.5, (1.5 * size) / 11));
  const n = w * h;
  const A = Float64Array.from(a), B = Float64Array.from(b);
  const AA = new Float64Array(n), BB = new Float64Array(n), AB = new Float64Array(n);
  for (let i = 0; i < n; i++) (AA[i] = A[i]! * A[i]!), (BB[i] = B[i]! * B[i]!), (AB[i] = A[i]! * B[i]!);
  const [ma, mb, saa, sbb, sab] = [A, B, AA, BB, AB].map((p) => filterValid(p, w, h, k).data);
  const C1 = 0.01 ** 2, C2 = 0.03 ** 2;
  let sum = 0;
  for (let i = 0; i < ma!.length; i++) {
    const mu1 = ma![i]!, mu2 = mb![i]!;
    const v1 = saa![i]! - mu1 * mu1, v2 = sbb![i]! - mu2 * mu2, cov = sab![i]! - mu1 * mu2;
    sum += ((2 * mu1 * mu2 + C1) * (2 * cov + C2)) / ((mu1 * mu1 + mu2 * mu2 + C1) * (v1 + v2 + C2));
  }
  return sum / ma!.length;
}

function channel(rgb: Float32Array, c: number): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = rgb[p * 3 + c]!;
  return out;
}

/** Mean of the per-channel SSIMs of two HWC RGB images. */
export function ssimRgb(a: Float32Array, b: Float32Array, w: number, h: number): number {
  checkSame(a, b);
  let s = 0;
  for (let c = 0; c < 3; c++) s += ssimPlane(channel(a, c), channel(b, c), w, h);
  return s / 3;
}

export function ssimY(a: Float32Array, b: Float32Array, w: number, h: number): number {
  return ssimPlane(lumaY(a), lumaY(b), w, h);
}
