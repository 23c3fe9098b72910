/**
 * Dust, scratches and stains as explicit operations: found in the luma the restorer saw, then filled in
 * the restored tile (fix) or put back exactly as they were (leave).
 *   Small defects: pixels further than a threshold from their 5×5 median, grouped into connected parts;
 *   a compact part up to 9 px across is a speck (dust), a thin part at least 12 px long is a scratch.
 *   Parts in busy texture (where the surroundings vary nearly as much) are left alone: hair, foliage
 *   and print are not damage. Filled from the median of the undamaged pixels around them.
 *   Stains: the same at a quarter of the resolution against a 7×7 median (a 28 px window), for compact
 *   parts; their low-frequency offset is taken out, so the texture inside stays.
 */
import { median } from './planes.js';

export interface DefectMasks {
  /** Per pixel 0/1: the defect itself (core) and, for filling, grown by one pixel. */
  dust: Uint8Array;
  scratches: Uint8Array;
  /** Stains: soft 0..1 mask at full resolution, and the per-channel offset (HWC) to take out. */
  blotches: Float32Array;
  blotchOffset: Float32Array;
  counts: { dust: number; scratches: number; blotches: number };
}

interface Part {
  pixels: number[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function parts(mask: Uint8Array, w: number, h: number): Part[] {
  const seen = new Uint8Array(mask.length);
  const out: Part[] = [];
  const stack: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || seen[i]) continue;
    const p: Part = { pixels: [], x0: w, y0: h, x1: 0, y1: 0 };
    seen[i] = 1;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop()!;
      const x = j % w, y = (j - x) / w;
      p.pixels.push(j);
      if (x < p.x0) p.x0 = x;
      if (x > p.x1) p.x1 = x;
      if (y < p.y0) p.y0 = y;
      if (y > p.y1) p.y1 = y;
      if (p.pixels.length > 4000) continue; // huge parts are structure, stop growing them
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const k = ny * w + nx;
          if (mask[k] && !seen[k]) {
            seen[k] = 1;
            stack.push(k);
          }
        }
    }
    out.push(p);
  }
  return out;
}

/** Mean of |v| over a (2r+1)² box, ignoring pixels in `skip`, via integral images. */
function ambient(v: Float32Array, skip: Uint8Array, w: number, h: number, r: number): Float32Array {
  const W = w + 1;
  const sum = new Float64Array(W * (h + 1)), cnt = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x, k = (y + 1) * W + x + 1;
      const ok = skip[i] ? 0 : 1;
      sum[k] = ok * Math.abs(v[i]!) + sum[k - 1]! + sum[k - W]! - sum[k - W - 1]!;
      cnt[k] = ok + cnt[k - 1]! + cnt[k - W]! - cnt[k - W - 1]!;
    }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1), y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
      const s = sum[y1 * W + x1]! - sum[y0 * W + x1]! - sum[y1 * W + x0]! + sum[y0 * W + x0]!;
      const c = cnt[y1 * W + x1]! - cnt[y0 * W + x1]! - cnt[y1 * W + x0]! + cnt[y0 * W + x0]!;
      out[y * w + x] = c > 0 ? s / c : 0;
    }
  return out;
}

function grow(mask: Uint8Array, w: number, h: number): Uint8Array {
  const out = Uint8Array.from(mask);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < w && ny < h) out[ny * w + nx] = 1;
        }
    }
  return out;
}

/**
 * Finds the defects in `y` (the luma the restorer saw). `sensitivity` > 1 finds fainter ones
 * (strength "strong"), < 1 only clear ones.
 */
export function findDefects(y: Float32Array, rgb: Float32Array, w: number, h: number, noise: number, sensitivity: number, want: { small: boolean; blotches: boolean }): DefectMasks {
  const dust = new Uint8Array(w * h), scratches = new Uint8Array(w * h);
  const counts = { dust: 0, scratches: 0, blotches: 0 };
  if (want.small && w >= 8 && h >= 8) {
    const med = median(y, w, h, 2);
    const r = new Float32Array(w * h);
    for (let i = 0; i < r.length; i++) r[i] = y[i]! - med[i]!;
    const thr = Math.max(0.05, 4 * noise) / sensitivity;
    const cand = new Uint8Array(w * h);
    for (let i = 0; i < r.length; i++) cand[i] = Math.abs(r[i]!) > thr ? 1 : 0;
    const amb = ambient(r, cand, w, h, 5);
    for (const p of parts(cand, w, h)) {
      const bw = p.x1 - p.x0 + 1, bh = p.y1 - p.y0 + 1;
      const len = Math.hypot(bw, bh);
      let a = 0, strength = 0;
      for (const i of p.pixels) {
        a += amb[i]!;
        strength += Math.abs(r[i]!);
      }
      a /= p.pixels.length;
      strength /= p.pixels.length;
      if (a > 0.3 * strength) continue; // busy surroundings: texture, not damage
      const target = p.pixels.length <= 40 && Math.max(bw, bh) <= 9 ? dust : Math.max(bw, bh) >= 12 && p.pixels.length <= 3 * len ? scratches : null;
      if (!target) continue;
      for (const i of p.pixels) target[i] = 1;
      if (target === dust) counts.dust++;
      else counts.scratches++;
    }
  }
  const blotches = new Float32Array(w * h), blotchOffset = new Float32Array(w * h * 3);
  if (want.blotches && w >= 32 && h >= 32) counts.blotches = findBlotches(y, rgb, w, h, noise, sensitivity, blotches, blotchOffset);
  return { dust, scratches, blotches, blotchOffset, counts };
}

const F = 4;

function findBlotches(y: Float32Array, rgb: Float32Array, w: number, h: number, noise: number, sensitivity: number, mask: Float32Array, offset: Float32Array): number {
  const sw = Math.floor(w / F), sh = Math.floor(h / F);
  const small = new Float32Array(sw * sh), smallRgb = new Float32Array(sw * sh * 3);
  for (let sy = 0; sy < sh; sy++)
    for (let sx = 0; sx < sw; sx++) {
      let s = 0;
      const c = [0, 0, 0];
      for (let dy = 0; dy < F; dy++)
        for (let dx = 0; dx < F; dx++) {
          const i = (sy * F + dy) * w + sx * F + dx;
          s += y[i]!;
          for (let k = 0; k < 3; k++) c[k]! += rgb[i * 3 + k]!;
        }
      small[sy * sw + sx] = s / (F * F);
      for (let k = 0; k < 3; k++) smallRgb[(sy * sw + sx) * 3 + k] = c[k]! / (F * F);
    }
  const bg = median(small, sw, sh, 3);
  const bgRgb = [0, 1, 2].map((k) => median(Float32Array.from({ length: sw * sh }, (_, i) => smallRgb[i * 3 + k]!), sw, sh, 3));
  const r = new Float32Array(sw * sh);
  for (let i = 0; i < r.length; i++) r[i] = small[i]! - bg[i]!;
  const thr = Math.max(0.04, 3 * noise) / sensitivity;
  const cand = new Uint8Array(sw * sh);
  for (let i = 0; i < r.length; i++) cand[i] = Math.abs(r[i]!) > thr ? 1 : 0;
  const amb = ambient(r, cand, sw, sh, 4);
  const smallMask = new Float32Array(sw * sh);
  let count = 0;
  for (const p of parts(cand, sw, sh)) {
    const bw = p.x1 - p.x0 + 1, bh = p.y1 - p.y0 + 1;
    const n = p.pixels.length;
    if (n < 2 || n > 400 || n < 0.3 * bw * bh) continue; // specks are dust's; long thin parts are edges or scratches
    let a = 0, strength = 0;
    for (const i of p.pixels) {
      a += amb[i]!;
      strength += Math.abs(r[i]!);
    }
    if (a / n > 0.3 * (strength / n)) continue;
    for (const i of p.pixels) smallMask[i] = 1;
    count++;
  }
  if (!count) return 0;
  // Soft edges: grow by one coarse pixel at half weight, then sample bilinearly at full resolution.
  const soft = Float32Array.from(smallMask);
  for (let sy = 0; sy < sh; sy++)
    for (let sx = 0; sx < sw; sx++) {
      if (smallMask[sy * sw + sx]) continue;
      let near = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = sx + dx, ny = sy + dy;
          if (nx >= 0 && ny >= 0 && nx < sw && ny < sh && smallMask[ny * sw + nx]) near = 1;
        }
      soft[sy * sw + sx] = near * 0.5;
    }
  for (let yy = 0; yy < h; yy++) {
    const fy = Math.min(sh - 1, Math.max(0, (yy + 0.5) / F - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(sh - 1, y0 + 1), ay = fy - y0;
    for (let xx = 0; xx < w; xx++) {
      const fx = Math.min(sw - 1, Math.max(0, (xx + 0.5) / F - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(sw - 1, x0 + 1), ax = fx - x0;
      const bil = (arr: (i: number) => number) => (arr(y0 * sw + x0) * (1 - ax) + arr(y0 * sw + x1) * ax) * (1 - ay) + (arr(y1 * sw + x0) * (1 - ax) + arr(y1 * sw + x1) * ax) * ay;
      const m = bil((i) => soft[i]!);
      const p = yy * w + xx;
      mask[p] = m;
      // The stain's own colour offset, zero outside it, interpolated smoothly.
      if (m > 0) for (let k = 0; k < 3; k++) offset[p * 3 + k] = bil((i) => (smallMask[i] ? smallRgb[i * 3 + k]! - bgRgb[k]![i]! : 0));
    }
  }
  return count;
}

/** Median of one channel around pixel p over a (2r+1)² window, skipping pixels in `skip`. */
function cleanMedian(rgb: Float32Array, c: number, w: number, h: number, p: number, r: number, skip: Uint8Array): number | null {
  const x = p % w, y = (p - x) / w;
  const vals: number[] = [];
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      const nx = x + dx, ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const k = ny * w + nx;
      if (!skip[k]) vals.push(rgb[k * 3 + c]!);
    }
  if (!vals.length) return null;
  vals.sort((a, b) => a - b);
  return vals[vals.length >> 1]!;
}

/** Fills the small defects in `mask` (fix) from the undamaged pixels around them, in the restored tile. */
export function fillSmall(out: Float32Array, mask: Uint8Array, w: number, h: number): Uint8Array {
  const grown = grow(mask, w, h);
  const filled = Float32Array.from(out);
  for (let p = 0; p < grown.length; p++) {
    if (!grown[p]) continue;
    for (let c = 0; c < 3; c++) {
      const m = cleanMedian(out, c, w, h, p, 3, grown) ?? cleanMedian(out, c, w, h, p, 6, grown);
      if (m !== null) filled[p * 3 + c] = m;
    }
  }
  out.set(filled);
  return grown;
}

/** Puts the small defects back exactly as the input had them (leave). */
export function restoreSmall(out: Float32Array, input: Float32Array, mask: Uint8Array, w: number, h: number): void {
  const grown = grow(mask, w, h);
  for (let p = 0; p < grown.length; p++) if (grown[p]) for (let c = 0; c < 3; c++) out[p * 3 + c] = input[p * 3 + c]!;
}

/** Takes the stains' low-frequency offset out of the restored tile (fix), or puts the input's back (leave). */
export function applyBlotches(out: Float32Array, input: Float32Array, masks: DefectMasks, value: 'fix' | 'leave'): void {
  const { blotches: m, blotchOffset: off } = masks;
  for (let p = 0; p < m.length; p++) {
    const k = m[p]!;
    if (!k) continue;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      out[i] = value === 'fix' ? out[i]! - off[i]! : k * input[i]! + (1 - k) * out[i]!;
    }
  }
}
