/**
 * Classical estimates of what is wrong with a photo, used when no cue-encoder
 * model is installed and to cross-check it: noise (Immerkær's fast noise
 * variance estimate), blur (variance of the Laplacian), fading (luminance
 * spread), colour cast and sepia (mean chroma), monochrome (chroma spread),
 * scratches and dust (thin outliers against a median). Each maps to 0..1.
 * Works on HWC RGB float images; call it on a downscaled copy (≤ 1024 px).
 */
import type { DamageType } from '../degradations/recipe.js';

/**
 * How strongly each kind of damage shows, 0..1 (the analysis's and the
 * recipe's `severity` field). Not the degradations' Severity, which is the
 * light/medium/severe level of a synthetic recipe.
 */
export type DamageScores = Record<DamageType, number>;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function luma(rgb: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let p = 0; p < n; p++) y[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
  return y;
}

/** Immerkær (1996): sigma = sqrt(pi/2) / (6 (W-2)(H-2)) * sum |I * N|. */
export function noiseSigma(y: Float32Array, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  let sum = 0;
  for (let r = 1; r < h - 1; r++)
    for (let c = 1; c < w - 1; c++) {
      const i = r * w + c;
      const v = y[i - w - 1]! - 2 * y[i - w]! + y[i - w + 1]! - 2 * y[i - 1]! + 4 * y[i]! - 2 * y[i + 1]! + y[i + w - 1]! - 2 * y[i + w]! + y[i + w + 1]!;
      sum += Math.abs(v);
    }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (w - 2) * (h - 2));
}

export function laplacianVariance(y: Float32Array, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  let s = 0, s2 = 0, n = 0;
  for (let r = 1; r < h - 1; r++)
    for (let c = 1; c < w - 1; c++) {
      const i = r * w + c;
      const v = y[i - w]! + y[i + w]! + y[i - 1]! + y[i + 1]! - 4 * y[i]!;
      s += v;
      s2 += v * v;
      n++;
    }
  return s2 / n - (s / n) ** 2;
}

function percentile(values: Float32Array, q: number): number {
  const hist = new Uint32Array(256);
  for (const v of values) hist[Math.min(255, Math.max(0, Math.round(v * 255)))]!++;
  const target = q * values.length;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += hist[i]!;
    if (acc >= target) return i / 255;
  }
  return 1;
}

/** Fraction of pixels that stand out sharply from their 3×3 median: dust specks and scratch lines. */
function outlierFraction(y: Float32Array, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  const win = new Float32Array(9);
  let count = 0;
  for (let r = 1; r < h - 1; r++)
    for (let c = 1; c < w - 1; c++) {
      let k = 0;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) win[k++] = y[(r + dr) * w + c + dc]!;
      win.sort();
      if (Math.abs(y[r * w + c]! - win[4]!) > 0.18) count++;
    }
  return count / ((w - 2) * (h - 2));
}

export function estimateDamage(rgb: Float32Array, w: number, h: number): DamageScores {
  const n = w * h;
  const y = luma(rgb, n);
  const sigma = noiseSigma(y, w, h);
  const lapVar = laplacianVariance(y, w, h);
  const spread = percentile(y, 0.98) - percentile(y, 0.02);
  let cb = 0, cr = 0, chromaVar = 0;
  for (let p = 0; p < n; p++) {
    const b = rgb[p * 3 + 2]! - y[p]!, r = rgb[p * 3]! - y[p]!;
    cb += b;
    cr += r;
    chromaVar += b * b + r * r;
  }
  cb /= Math.max(1, n);
  cr /= Math.max(1, n);
  chromaVar = chromaVar / Math.max(1, n) - cb * cb - cr * cr;
  const chromaStd = Math.sqrt(Math.max(0, chromaVar));
  const castStrength = Math.hypot(cb, cr);
  const outliers = outlierFraction(y, w, h);
  return {
    noise: clamp01((sigma - 0.01) / 0.06),
    grain: clamp01((sigma - 0.015) / 0.08),
    blur: clamp01((0.0015 - lapVar) / 0.0015) * (sigma < 0.03 ? 1 : 0.5),
    jpeg: 0,
    fade: clamp01((0.75 - spread) / 0.5),
    cast: clamp01((castStrength - 0.02) / 0.08),
    mono: chromaStd < 0.02 ? 1 : clamp01((0.05 - chromaStd) / 0.03),
    scratches: clamp01((outliers - 0.0005) / 0.01),
  };
}
