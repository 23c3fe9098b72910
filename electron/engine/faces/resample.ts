/**
 * Pixel sampling shared by the face modules: bilinear lookups with replicated
 * borders, and an anti-aliased crop-and-resize. Images are HWC RGB Float32
 * in 0..1 (DecodedImage's layout). Coordinates are continuous: pixel (i, j)
 * covers [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5).
 */

import type { Rect, RgbImage } from '../types.js';

/**
 * Bilinear sample at continuous (x, y), writing 3 channels to out[o..o+2].
 * Outside the image the nearest edge pixel is repeated.
 */
export function sampleBilinear(img: RgbImage, x: number, y: number, out: Float32Array, o: number): void {
  const { rgb, width: w, height: h } = img;
  let fx = x - 0.5, fy = y - 0.5;
  if (fx < 0) fx = 0; else if (fx > w - 1) fx = w - 1;
  if (fy < 0) fy = 0; else if (fy > h - 1) fy = h - 1;
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const ax = fx - x0, ay = fy - y0;
  const p00 = (y0 * w + x0) * 3, p01 = (y0 * w + x1) * 3, p10 = (y1 * w + x0) * 3, p11 = (y1 * w + x1) * 3;
  const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
  for (let c = 0; c < 3; c++) out[o + c] = rgb[p00 + c]! * w00 + rgb[p01 + c]! * w01 + rgb[p10 + c]! * w10 + rgb[p11 + c]! * w11;
}

interface AxisTaps {
  taps: number;
  idx: Int32Array;
  w: Float32Array;
}

/** Tent-filter taps along one axis: bilinear when enlarging, an anti-aliasing average when shrinking. */
function axisTaps(start: number, len: number, outN: number, srcN: number): AxisTaps {
  const scale = len / outN;
  const support = Math.max(1, scale);
  const taps = Math.ceil(2 * support) + 1;
  const idx = new Int32Array(outN * taps), w = new Float32Array(outN * taps);
  for (let o = 0; o < outN; o++) {
    const c = start + (o + 0.5) * scale - 0.5;
    const lo = Math.ceil(c - support);
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const i = lo + t;
      const wt = Math.max(0, 1 - Math.abs(i - c) / support);
      idx[o * taps + t] = i < 0 ? 0 : i >= srcN ? srcN - 1 : i;
      w[o * taps + t] = wt;
      sum += wt;
    }
    for (let t = 0; t < taps; t++) w[o * taps + t]! /= sum || 1;
  }
  return { taps, idx, w };
}

/**
 * Resamples the region `r` of `img` (it may extend past the edges, which are
 * replicated) to outW × outH with a separable tent filter, so small faces in a
 * big photo are averaged rather than aliased before detection.
 */
export function cropResize(img: RgbImage, r: Rect, outW: number, outH: number): Float32Array {
  const { rgb, width, height } = img;
  const ax = axisTaps(r.x, r.w, outW, width), ay = axisTaps(r.y, r.h, outH, height);
  let y0 = height, y1 = -1;
  for (let k = 0; k < ay.idx.length; k++) {
    if (ay.w[k]! === 0) continue;
    y0 = Math.min(y0, ay.idx[k]!);
    y1 = Math.max(y1, ay.idx[k]!);
  }
  const rows = Math.max(0, y1 - y0 + 1);
  const tmp = new Float32Array(rows * outW * 3);
  for (let y = 0; y < rows; y++) {
    const src = (y + y0) * width * 3, dst = y * outW * 3;
    for (let o = 0; o < outW; o++) {
      let a = 0, b = 0, c = 0;
      for (let t = 0, k = o * ax.taps; t < ax.taps; t++, k++) {
        const wt = ax.w[k]!;
        if (wt === 0) continue;
        const p = src + ax.idx[k]! * 3;
        a += rgb[p]! * wt; b += rgb[p + 1]! * wt; c += rgb[p + 2]! * wt;
      }
      tmp[dst + o * 3] = a; tmp[dst + o * 3 + 1] = b; tmp[dst + o * 3 + 2] = c;
    }
  }
  const out = new Float32Array(outW * outH * 3);
  for (let o = 0; o < outH; o++) {
    const dst = o * outW * 3;
    for (let t = 0, k = o * ay.taps; t < ay.taps; t++, k++) {
      const wt = ay.w[k]!;
      if (wt === 0) continue;
      const src = (ay.idx[k]! - y0) * outW * 3;
      for (let i = 0; i < outW * 3; i++) out[dst + i]! += tmp[src + i]! * wt;
    }
  }
  return out;
}

/** One horizontal running-sum box pass of radius r over HWC RGB rows (edges replicated), src → dst. */
function boxPassX(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const n = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += src[row + Math.min(w - 1, Math.max(0, k)) * 3 + c]!;
      for (let x = 0; x < w; x++) {
        dst[row + x * 3 + c] = acc / n;
        acc += src[row + Math.min(w - 1, x + r + 1) * 3 + c]! - src[row + Math.max(0, x - r) * 3 + c]!;
      }
    }
  }
}

/** Transposes HWC RGB (w×h → h×w) so vertical passes reuse the horizontal code. */
function transpose(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) out[(x * h + y) * 3 + c] = src[(y * w + x) * 3 + c]!;
  return out;
}

/** Gaussian-like blur of HWC RGB (three box passes per axis, edges replicated). */
export function blurRgb(rgb: Float32Array, w: number, h: number, sigma: number): Float32Array {
  // Three boxes of width 2r+1 have variance 3·((2r+1)² − 1)/12 = r(r+1).
  const r = Math.max(0, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  if (r === 0 || w * h === 0) return Float32Array.from(rgb);
  let a: Float32Array = Float32Array.from(rgb), b: Float32Array = new Float32Array(rgb.length);
  for (let i = 0; i < 3; i++) { boxPassX(a, b, w, h, r); [a, b] = [b, a]; }
  a = transpose(a, w, h);
  b = new Float32Array(rgb.length);
  for (let i = 0; i < 3; i++) { boxPassX(a, b, h, w, r); [a, b] = [b, a]; }
  return transpose(a, h, w);
}
