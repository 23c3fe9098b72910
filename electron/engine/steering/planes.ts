/**
 * Plane arithmetic for the explicit operations: an RGB tile split into luma and two colour
 * differences (Y = BT.601 luma, Cb = B − Y, Cr = R − Y: linear and exactly invertible), separable
 * Gaussian blurs with replicated edges, band splits, and a small median filter.
 */

export interface Ycc {
  y: Float32Array;
  cb: Float32Array;
  cr: Float32Array;
}

export function toYcc(rgb: Float32Array): Ycc {
  const n = rgb.length / 3;
  const y = new Float32Array(n), cb = new Float32Array(n), cr = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const r = rgb[p * 3]!, g = rgb[p * 3 + 1]!, b = rgb[p * 3 + 2]!;
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    y[p] = l;
    cb[p] = b - l;
    cr[p] = r - l;
  }
  return { y, cb, cr };
}

export function fromYcc({ y, cb, cr }: Ycc, out: Float32Array = new Float32Array(y.length * 3)): Float32Array {
  for (let p = 0; p < y.length; p++) {
    const r = y[p]! + cr[p]!, b = y[p]! + cb[p]!;
    const g = (y[p]! - 0.299 * r - 0.114 * b) / 0.587;
    out[p * 3] = r;
    out[p * 3 + 1] = g;
    out[p * 3 + 2] = b;
  }
  return out;
}

const kernels = new Map<number, Float32Array>();

function kernel(sigma: number): Float32Array {
  const key = Math.round(sigma * 1000);
  let k = kernels.get(key);
  if (!k) {
    const r = Math.max(1, Math.ceil(3 * sigma));
    k = new Float32Array(2 * r + 1);
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
    for (let i = 0; i < k.length; i++) k[i]! /= s;
    kernels.set(key, k);
  }
  return k;
}

/** Gaussian blur of one plane (w×h), edges replicated. */
export function gaussian(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0) return Float32Array.from(src);
  const k = kernel(sigma), r = (k.length - 1) / 2;
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * src[row + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = s;
    }
  }
  return out;
}

/** a − b, elementwise. */
export function sub(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** Median of a (2r+1)² window, edges replicated. */
export function median(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  const win = new Float32Array((2 * r + 1) * (2 * r + 1));
  const mid = (win.length - 1) >> 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let n = 0;
      for (let dy = -r; dy <= r; dy++) {
        const row = Math.min(h - 1, Math.max(0, y + dy)) * w;
        for (let dx = -r; dx <= r; dx++) {
          // Insertion into the sorted window.
          const v = src[row + Math.min(w - 1, Math.max(0, x + dx))]!;
          let j = n++;
          while (j > 0 && win[j - 1]! > v) {
            win[j] = win[j - 1]!;
            j--;
          }
          win[j] = v;
        }
      }
      out[y * w + x] = win[mid]!;
    }
  }
  return out;
}

/** Mean of squares (energy) of a plane, optionally over a mask. */
export function energy(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s / Math.max(1, v.length);
}

/** Robust spread of a plane: median absolute value / 0.6745 (the σ of Gaussian noise it would be). */
export function robustSigma(v: Float32Array, stride = 1): number {
  const a: number[] = [];
  for (let i = 0; i < v.length; i += stride) a.push(Math.abs(v[i]!));
  if (!a.length) return 0;
  a.sort((x, y) => x - y);
  return a[a.length >> 1]! / 0.6745;
}
