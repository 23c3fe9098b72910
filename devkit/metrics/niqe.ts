/**
 * NIQE (Mittal, Soundararajan & Bovik 2013), a no-reference quality score:
 * lower is more natural. The grey image is split into 96×96 patches; each
 * patch gives 18 natural-scene statistics of its mean-subtracted
 * contrast-normalised (MSCN) coefficients (a generalised Gaussian fit and
 * asymmetric fits of four neighbour products), at two scales (36 features).
 * The score is the Mahalanobis-like distance between the multivariate
 * Gaussian of the image's patch features and the one fitted on sharp patches
 * of clean photos (niqe-model.json, written by bench/fit-niqe-model.ts from
 * bsds500/train). Feature definitions follow the widely used BasicSR port of
 * the MATLAB reference, so absolute values are comparable in spirit, not digit
 * for digit, with published NIQE numbers (those use the authors' own model).
 */
import { resample } from '../../electron/engine/degradations/resample.js';
import { covariance, gamma, meanRows, pinvSymmetric } from './linalg.js';
import defaultModelJson from './niqe-model.json' with { type: 'json' };

export const NIQE_FEATURES = 36;

export interface NiqeModel {
  patch: number;
  mu: number[];
  cov: number[][];
}

const GAM: number[] = [];
const R_GAM: number[] = [];
for (let i = 0; i <= 9800; i++) {
  const g = 0.2 + i * 0.001;
  GAM.push(g);
  R_GAM.push(gamma(2 / g) ** 2 / (gamma(1 / g) * gamma(3 / g)));
}

/** Grey level 0..255 from HWC RGB 0..1 (rgb2gray weights). */
export function grey255(rgb: Float32Array): Float64Array {
  const out = new Float64Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = 255 * (0.2989 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!);
  return out;
}

const WIN = (() => {
  const k: number[] = [];
  let s = 0;
  for (let i = -3; i <= 3; i++) s += k[k.length] = Math.exp(-(i * i) / (2 * (7 / 6) ** 2));
  return k.map((v) => v / s);
})();

/** 7×7 Gaussian (σ 7/6) with edge-replicated borders, separable. */
function smooth(src: Float64Array, w: number, h: number): Float64Array {
  const tmp = new Float64Array(w * h), out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -3; d <= 3; d++) s += WIN[d + 3]! * src[y * w + Math.min(w - 1, Math.max(0, x + d))]!;
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -3; d <= 3; d++) s += WIN[d + 3]! * tmp[Math.min(h - 1, Math.max(0, y + d)) * w + x]!;
      out[y * w + x] = s;
    }
  return out;
}

/** MSCN coefficients and the local σ map of a grey plane. */
export function mscn(img: Float64Array, w: number, h: number): { mscn: Float64Array; sigma: Float64Array } {
  const mu = smooth(img, w, h);
  const sq = new Float64Array(w * h);
  for (let i = 0; i < sq.length; i++) sq[i] = img[i]! * img[i]!;
  const mu2 = smooth(sq, w, h);
  const out = new Float64Array(w * h), sigma = new Float64Array(w * h);
  for (let i = 0; i < out.length; i++) {
    sigma[i] = Math.sqrt(Math.abs(mu2[i]! - mu[i]! * mu[i]!));
    out[i] = (img[i]! - mu[i]!) / (sigma[i]! + 1);
  }
  return { mscn: out, sigma };
}

/** Asymmetric generalised Gaussian fit: [alpha, betaLeft, betaRight]. */
export function aggdFit(v: ArrayLike<number>): [number, number, number] {
  let ls = 0, ln = 0, rs = 0, rn = 0, abs = 0, sq = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < 0) (ls += x * x), ln++;
    else if (x > 0) (rs += x * x), rn++;
    abs += Math.abs(x);
    sq += x * x;
  }
  const n = v.length;
  const left = Math.sqrt(ls / Math.max(1, ln)) || 1e-6, right = Math.sqrt(rs / Math.max(1, rn)) || 1e-6;
  const gh = left / right;
  const rhat = (abs / n) ** 2 / (sq / n);
  const rnorm = (rhat * (gh ** 3 + 1) * (gh + 1)) / (gh ** 2 + 1) ** 2;
  let best = 0, bestErr = Infinity;
  for (let i = 0; i < R_GAM.length; i++) {
    const e = (R_GAM[i]! - rnorm) ** 2;
    if (e < bestErr) (bestErr = e), (best = i);
  }
  const alpha = GAM[best]!;
  const k = Math.sqrt(gamma(1 / alpha) / gamma(3 / alpha));
  return [alpha, left * k, right * k];
}

const SHIFTS: Array<[number, number]> = [[0, 1], [1, 0], [1, 1], [1, -1]];

/** The 18 features of one MSCN patch (neighbour products wrap around inside the patch, like np.roll). */
export function patchFeatures(m: Float64Array, w: number, x0: number, y0: number, pw: number, ph: number): number[] {
  const block = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) block[y * pw + x] = m[(y0 + y) * w + x0 + x]!;
  const [a, bl, br] = aggdFit(block);
  const feat = [a, (bl + br) / 2];
  const prod = new Float64Array(pw * ph);
  for (const [dy, dx] of SHIFTS) {
    for (let y = 0; y < ph; y++)
      for (let x = 0; x < pw; x++) {
        const sy = (y - dy + ph) % ph, sx = (x - dx + pw) % pw;
        prod[y * pw + x] = block[y * pw + x]! * block[sy * pw + sx]!;
      }
    const [pa, pl, pr] = aggdFit(prod);
    feat.push(pa, (pr - pl) * (gamma(2 / pa) / gamma(1 / pa)), pl, pr);
  }
  return feat;
}

/**
 * Per-patch 36-feature rows of a grey image (cropped to whole patches), and
 * each patch's sharpness (mean local σ at full scale) for model fitting.
 */
export function niqeFeatures(grey: Float64Array, w: number, h: number, patch: number): { rows: number[][]; sharpness: number[] } {
  const bw = Math.floor(w / patch), bh = Math.floor(h / patch);
  if (bw < 1 || bh < 1) return { rows: [], sharpness: [] };
  let cw = bw * patch, chh = bh * patch;
  let img = new Float64Array(cw * chh);
  for (let y = 0; y < chh; y++) for (let x = 0; x < cw; x++) img[y * cw + x] = grey[y * w + x]!;
  const rows: number[][] = Array.from({ length: bw * bh }, () => []);
  const sharpness: number[] = [];
  for (const scale of [1, 2]) {
    const { mscn: m, sigma } = mscn(img, cw, chh);
    const ps = patch / scale;
    for (let by = 0; by < bh; by++)
      for (let bx = 0; bx < bw; bx++) {
        rows[by * bw + bx]!.push(...patchFeatures(m, cw, bx * ps, by * ps, ps, ps));
        if (scale === 1) {
          let s = 0;
          for (let y = 0; y < ps; y++) for (let x = 0; x < ps; x++) s += sigma[(by * ps + y) * cw + bx * ps + x]!;
          sharpness[by * bw + bx] = s / (ps * ps);
        }
      }
    if (scale === 1) {
      // Plain loops: TypedArray.from with a mapper is about 0.3 µs a value.
      const unit = new Float32Array(img.length);
      for (let i = 0; i < img.length; i++) unit[i] = img[i]! / 255;
      const half = resample(unit, cw, chh, 1, cw / 2, chh / 2, 'bicubic');
      img = new Float64Array(half.length);
      for (let i = 0; i < half.length; i++) img[i] = half[i]! * 255;
      cw /= 2;
      chh /= 2;
    }
  }
  return { rows, sharpness };
}

const DEFAULT_MODEL: NiqeModel = defaultModelJson as NiqeModel;

/** Patch size used for an image: the model's (96), halved while fewer than 2 whole patches fit (down to 32). */
export function patchSizeFor(w: number, h: number, modelPatch: number): number {
  let p = modelPatch;
  while (p > 32 && Math.floor(w / p) * Math.floor(h / p) < 2) p /= 2;
  return p;
}

/** NIQE of an HWC RGB image (0..1); lower is more natural. NaN when the image is smaller than one 32×32 patch. */
export function niqe(rgb: Float32Array, w: number, h: number, model: NiqeModel = DEFAULT_MODEL): number {
  const patch = patchSizeFor(w, h, model.patch);
  const { rows } = niqeFeatures(grey255(rgb), w, h, patch);
  const valid = rows.filter((r) => r.every(Number.isFinite));
  if (valid.length === 0) return NaN;
  const d = NIQE_FEATURES;
  const mu = meanRows(valid, d);
  const cov = covariance(valid, d);
  const avg = cov.map((r, i) => r.map((v, j) => (v + model.cov[i]![j]!) / 2));
  const inv = pinvSymmetric(avg);
  const diff = mu.map((v, i) => model.mu[i]! - v);
  let q = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += diff[i]! * inv[i]![j]! * diff[j]!;
  return Math.sqrt(Math.max(0, q));
}

/** Fraction of the image's sharpest patch a patch must reach to enter the model fit (as in the reference implementation). */
const SHARP_FRACTION = 0.75;

/** The patch feature rows NIQE's model is fitted on: the sharp ones, with every feature finite. */
export function selectSharpRows(rows: number[][], sharpness: number[]): number[][] {
  const max = Math.max(...sharpness);
  return rows.filter((r, i) => sharpness[i]! > SHARP_FRACTION * max && r.every(Number.isFinite));
}
