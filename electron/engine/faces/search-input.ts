/**
 * What the face search shows the detector: tiles with their contrast
 * stretched, and for heavily degraded photos a denoised copy. Pure functions
 * of HWC RGB 0..1 images.
 */
import type { RgbImage } from '../types.js';
import { gaussianFilterPlane } from '../degradations/filters.js';
import { estimateDamage } from '../analysis/heuristics.js';

/**
 * Luma's 1st-99th percentile band stretched to 0..1 (the same gain on every
 * channel, so colours keep their balance): a faded print's faces fill the
 * detector's range again. Flat tiles (band under 0.05) are left nearly alone.
 */
export function contrastStretch(rgb: Float32Array): Float32Array {
  const n = rgb.length / 3;
  const hist = new Uint32Array(256);
  for (let p = 0; p < n; p++) {
    const y = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
    hist[Math.min(255, Math.max(0, Math.round(y * 255)))]!++;
  }
  const at = (q: number) => {
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      sum += hist[i]!;
      if (sum >= q * n) return i / 255;
    }
    return 1;
  };
  const lo = at(0.01), hi = at(0.99);
  const k = 1 / Math.max(0.05, hi - lo);
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = Math.min(1, Math.max(0, (rgb[i]! - lo) * k));
  return out;
}

/** A Gaussian-smoothed copy: the classical first pass when no restorer is given. */
export function denoiseCopy(img: RgbImage, sigma = 1): RgbImage {
  const { width: w, height: h } = img;
  const out = new Float32Array(img.rgb.length);
  const plane = new Float32Array(w * h);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < w * h; p++) plane[p] = img.rgb[p * 3 + c]!;
    const b = gaussianFilterPlane(plane, w, h, sigma);
    for (let p = 0; p < w * h; p++) out[p * 3 + c] = b[p]!;
  }
  return { rgb: out, width: w, height: h };
}

/** Damage (the classical estimate's 0..1 scale) at which the detector starts to miss faces it finds on a clean print. */
export const HEAVY_DAMAGE = 0.4;

/** Noise, grain, fading, blur or scratches at HEAVY_DAMAGE or worse. */
export function heavilyDegraded(img: RgbImage): boolean {
  const d = estimateDamage(img.rgb, img.width, img.height);
  return Math.max(d.noise ?? 0, d.grain ?? 0, d.fade ?? 0, d.blur ?? 0, d.scratches ?? 0) >= HEAVY_DAMAGE;
}
