/**
 * Fills the masked pixels of a photo from their surroundings: a multi-scale
 * diffusion fill (push-pull pyramid, then Gauss-Seidel relaxation of the
 * masked pixels only at every level, coarse to fine), followed by a grain
 * pass that copies the high frequencies of the best-matching nearby patch of
 * undamaged pixels, so a scratch across grass or film grain does not leave a
 * smooth streak. Pixels outside the mask are never written: the result is
 * byte-identical to the input there. Pure functions over plain arrays.
 */

/** Relaxation sweeps per pyramid level; thin lines converge in a few, wide holes are shaped by the coarse levels. */
const SWEEPS = 24;
/** Blocks filled one at a time, and the context around each that the fill reads. */
const BLOCK = 512;
const MARGIN = 96;

interface Level {
  w: number;
  h: number;
  /** HWC float RGB. */
  v: Float32Array;
  /** 1 where the value is known (not to be filled). */
  known: Uint8Array;
}

/**
 * A copy of `rgb8` (HWC, 3 channels) with every pixel where `mask` is nonzero
 * filled from the unmasked pixels around it. Throws nothing: a mask that
 * covers every pixel leaves the photo as it is (nothing to fill from) and
 * `filled` reports 0.
 */
export function fillMasked(rgb8: Uint8Array, w: number, h: number, mask: Uint8Array, opts: { grain?: boolean } = {}): { rgb8: Uint8Array; filled: number } {
  const out = new Uint8Array(rgb8);
  let holes = 0;
  for (let p = 0; p < w * h; p++) if (mask[p]) holes++;
  if (holes === 0 || holes === w * h) return { rgb8: out, filled: 0 };
  // Block by block (each with a margin of context), so a few specks on a huge photo stay cheap in time and memory.
  for (let by = 0; by < h; by += BLOCK) {
    for (let bx = 0; bx < w; bx += BLOCK) {
      const bw = Math.min(BLOCK, w - bx), bh = Math.min(BLOCK, h - by);
      if (!anyIn(mask, w, bx, by, bw, bh)) continue;
      const box = { x: Math.max(0, bx - MARGIN), y: Math.max(0, by - MARGIN), w: 0, h: 0 };
      box.w = Math.min(w, bx + bw + MARGIN) - box.x;
      box.h = Math.min(h, by + bh + MARGIN) - box.y;
      const sub = crop(rgb8, mask, w, box);
      if (!sub.known.includes(1)) continue;
      const smooth = diffuse(sub);
      if (opts.grain !== false) addGrain(sub, smooth);
      for (let y = by; y < by + bh; y++) {
        for (let x = bx; x < bx + bw; x++) {
          const p = y * w + x;
          if (!mask[p]) continue;
          const q = (y - box.y) * box.w + x - box.x;
          for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.max(0, Math.min(255, Math.round(smooth[q * 3 + c]! * 255)));
        }
      }
    }
  }
  return { rgb8: out, filled: holes };
}

function anyIn(mask: Uint8Array, w: number, x0: number, y0: number, bw: number, bh: number): boolean {
  for (let y = y0; y < y0 + bh; y++) for (let x = x0; x < x0 + bw; x++) if (mask[y * w + x]) return true;
  return false;
}

function crop(rgb8: Uint8Array, mask: Uint8Array, w: number, b: { x: number; y: number; w: number; h: number }): Level {
  const v = new Float32Array(b.w * b.h * 3);
  const known = new Uint8Array(b.w * b.h);
  for (let y = 0; y < b.h; y++) {
    for (let x = 0; x < b.w; x++) {
      const p = (b.y + y) * w + b.x + x;
      const q = y * b.w + x;
      known[q] = mask[p] ? 0 : 1;
      for (let c = 0; c < 3; c++) v[q * 3 + c] = rgb8[p * 3 + c]! / 255;
    }
  }
  return { w: b.w, h: b.h, v, known };
}

/** Half size: each coarse pixel the mean of the known pixels under it, known when any was. */
function down(l: Level): Level {
  const w = Math.ceil(l.w / 2), h = Math.ceil(l.h / 2);
  const v = new Float32Array(w * h * 3);
  const known = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let n = 0, r = 0, g = 0, b = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const sx = 2 * x + dx, sy = 2 * y + dy;
          if (sx >= l.w || sy >= l.h) continue;
          const p = sy * l.w + sx;
          if (!l.known[p]) continue;
          n++;
          r += l.v[p * 3]!;
          g += l.v[p * 3 + 1]!;
          b += l.v[p * 3 + 2]!;
        }
      }
      const q = y * w + x;
      if (n) {
        known[q] = 1;
        v[q * 3] = r / n;
        v[q * 3 + 1] = g / n;
        v[q * 3 + 2] = b / n;
      }
    }
  }
  return { w, h, v, known };
}

/** The diffusion fill: known pixels as they are, holes the harmonic continuation of their surroundings. */
function diffuse(base: Level): Float32Array {
  const levels = [base];
  while (levels.at(-1)!.known.includes(0) && levels.at(-1)!.w * levels.at(-1)!.h > 1) levels.push(down(levels.at(-1)!));
  const top = levels.at(-1)!;
  let filled = new Float32Array(top.v);
  // The coarsest level: any pixel still unknown takes the mean of the known ones.
  const mean = [0, 0, 0];
  let n = 0;
  for (let p = 0; p < top.w * top.h; p++) {
    if (!top.known[p]) continue;
    n++;
    for (let c = 0; c < 3; c++) mean[c]! += top.v[p * 3 + c]!;
  }
  for (let p = 0; p < top.w * top.h; p++) if (!top.known[p]) for (let c = 0; c < 3; c++) filled[p * 3 + c] = n ? mean[c]! / n : 0.5;
  relax(top, filled);
  for (let i = levels.length - 2; i >= 0; i--) {
    const l = levels[i]!, up = levels[i + 1]!;
    const next = new Float32Array(l.v);
    for (let y = 0; y < l.h; y++) {
      for (let x = 0; x < l.w; x++) {
        const q = y * l.w + x;
        if (l.known[q]) continue;
        // Bilinear from the coarser level (pixel centres at (x + 0.5) / 2 − 0.5).
        const fx = Math.max(0, Math.min(up.w - 1, (x + 0.5) / 2 - 0.5)), fy = Math.max(0, Math.min(up.h - 1, (y + 0.5) / 2 - 0.5));
        const x0 = Math.floor(fx), y0 = Math.floor(fy), x1 = Math.min(up.w - 1, x0 + 1), y1 = Math.min(up.h - 1, y0 + 1);
        const ax = fx - x0, ay = fy - y0;
        for (let c = 0; c < 3; c++) {
          const a = filled[(y0 * up.w + x0) * 3 + c]! * (1 - ax) + filled[(y0 * up.w + x1) * 3 + c]! * ax;
          const b = filled[(y1 * up.w + x0) * 3 + c]! * (1 - ax) + filled[(y1 * up.w + x1) * 3 + c]! * ax;
          next[q * 3 + c] = a * (1 - ay) + b * ay;
        }
      }
    }
    relax(l, next);
    filled = next;
  }
  return filled;
}

/** Gauss-Seidel sweeps of the 8-neighbour Laplace equation over the unknown pixels only. */
function relax(l: Level, v: Float32Array): void {
  const holes: number[] = [];
  for (let p = 0; p < l.w * l.h; p++) if (!l.known[p]) holes.push(p);
  for (let s = 0; s < SWEEPS; s++) {
    // Alternate the sweep direction so the fill does not drift one way.
    for (let k = 0; k < holes.length; k++) {
      const p = holes[s % 2 ? holes.length - 1 - k : k]!;
      const x = p % l.w, y = (p - x) / l.w;
      let wsum = 0, r = 0, g = 0, b = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= l.h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= l.w) continue;
          const wt = dx && dy ? 0.5 : 1;
          const q = (yy * l.w + xx) * 3;
          wsum += wt;
          r += wt * v[q]!;
          g += wt * v[q + 1]!;
          b += wt * v[q + 2]!;
        }
      }
      v[p * 3] = r / wsum;
      v[p * 3 + 1] = g / wsum;
      v[p * 3 + 2] = b / wsum;
    }
  }
}

/**
 * The grain pass: for each hole pixel, the high-pass residual (pixel minus its
 * 3×3 mean) of the undamaged pixel whose 7×7 neighbourhood, compared on the
 * known pixels only, best matches the hole's, searched every other pixel within 8 px. Added at
 * half strength: full-strength copied grain reads as noise when the match is poor.
 */
function addGrain(l: Level, v: Float32Array): void {
  const { w, h, known } = l;
  const hp = new Float32Array(w * h);
  const lum = new Float32Array(w * h);
  for (let p = 0; p < w * h; p++) lum[p] = (l.v[p * 3]! + l.v[p * 3 + 1]! + l.v[p * 3 + 2]!) / 3;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h || !known[yy * w + xx]) continue;
        s += lum[yy * w + xx]!;
        n++;
      }
      const p = y * w + x;
      hp[p] = known[p] && n === 9 ? lum[p]! - s / n : 0;
    }
  }
  const R = 3, S = 8;
  const add = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (known[p]) continue;
      let best = Infinity, bestQ = -1;
      for (let sy = Math.max(R, y - S); sy <= Math.min(h - 1 - R, y + S); sy += 2) {
        for (let sx = Math.max(R, x - S); sx <= Math.min(w - 1 - R, x + S); sx += 2) {
          const q = sy * w + sx;
          if (!known[q] || hp[q] === 0) continue;
          let d = 0, n = 0;
          for (let dy = -R; dy <= R && d < best * 49; dy++) {
            const ay = y + dy, by = sy + dy;
            if (ay < 0 || ay >= h) continue;
            for (let dx = -R; dx <= R; dx++) {
              const ax = x + dx, bx = sx + dx;
              if (ax < 0 || ax >= w) continue;
              const a = ay * w + ax, b = by * w + bx;
              if (!known[a] || !known[b]) continue;
              const e = lum[a]! - lum[b]!;
              d += e * e;
              n++;
            }
          }
          if (n < 12) continue;
          d /= n;
          if (d < best) {
            best = d;
            bestQ = q;
          }
        }
      }
      if (bestQ >= 0) add[p] = 0.5 * hp[bestQ]!;
    }
  }
  for (let p = 0; p < w * h; p++) if (!known[p] && add[p]) for (let c = 0; c < 3; c++) v[p * 3 + c]! += add[p]!;
}
