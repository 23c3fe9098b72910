/**
 * What the instructions benchmark measures on an output (and its input), each a plain property a
 * user would look at: fine grain, edges, colour, warmth, contrast, how much changed (where), specks
 * and thin lines, stains, JPEG block edges, colour noise.
 */
import { gaussian, median, sub, toYcc, energy } from '../../electron/engine/steering/planes.js';
import { chromaBeyondTint } from '../../electron/engine/semantic/tone-policy.js';

export interface Img {
  width: number;
  height: number;
  /** HWC RGB, 0..1. */
  rgb: Float32Array;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Measure = (out: Img, input: Img, faces: Box[]) => number;

const luma = (im: Img) => toYcc(im.rgb).y;

/** Energy of the luma finer than a Gaussian of σ 0.8 px (grain, noise), ×1e4. */
export const fineEnergy: Measure = (o) => 1e4 * energy(sub(luma(o), gaussian(luma(o), o.width, o.height, 0.8)));

/** Energy of the luma edge band (σ 0.8–3 px), ×1e4. */
export const edgeEnergy: Measure = (o) => {
  const y = luma(o);
  return 1e4 * energy(sub(gaussian(y, o.width, o.height, 0.8), gaussian(y, o.width, o.height, 3)));
};

/** Mean colourfulness: |Cb, Cr| per pixel, ×100. */
export const chroma: Measure = (o) => {
  const { cb, cr } = toYcc(o.rgb);
  let s = 0;
  for (let i = 0; i < cb.length; i++) s += Math.hypot(cb[i]!, cr[i]!);
  return (100 * s) / cb.length;
};

/**
 * Colour beyond the photo's overall tint, ×100: what is left of each pixel's colour once the one tint that best
 * explains the whole photo (a sepia, a cast) is taken out (chromaBeyondTint, as the tone stage judges a photo).
 * Faded dyes coming back raise it; a cast taken out does not lower it.
 */
export const colourBeyondTint: Measure = (o) => 100 * chromaBeyondTint(o.rgb).residual;

/** Mean R − B (warm positive), ×100. */
export const warmth: Measure = (o) => {
  let s = 0;
  for (let p = 0; p < o.rgb.length; p += 3) s += o.rgb[p]! - o.rgb[p + 2]!;
  return (100 * s) / (o.rgb.length / 3);
};

/** Contrast: the standard deviation of luma, ×100. */
export const contrast: Measure = (o) => {
  const y = luma(o);
  let m = 0, m2 = 0;
  for (let i = 0; i < y.length; i++) (m += y[i]!), (m2 += y[i]! * y[i]!);
  m /= y.length;
  return 100 * Math.sqrt(Math.max(0, m2 / y.length - m * m));
};

function inAny(x: number, y: number, boxes: Box[]): boolean {
  return boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
}

/** Mean |out − input| over pixels where `keep(x, y)`, in 1/255. */
function change(o: Img, i: Img, keep: (x: number, y: number) => boolean): number {
  let s = 0, n = 0;
  for (let y = 0; y < o.height; y++)
    for (let x = 0; x < o.width; x++) {
      if (!keep(x, y)) continue;
      const p = (y * o.width + x) * 3;
      for (let c = 0; c < 3; c++) s += Math.abs(o.rgb[p + c]! - i.rgb[p + c]!);
      n += 3;
    }
  return n ? (255 * s) / n : 0;
}

export const meanChange: Measure = (o, i) => change(o, i, () => true);
export const faceChange: Measure = (o, i, f) => change(o, i, (x, y) => inAny(x, y, f));
export const outsideChange: Measure = (o, i, f) => change(o, i, (x, y) => !inAny(x, y, f));
/** How much more the faces changed than the rest (log ratio). */
export const faceFocus: Measure = (o, i, f) => Math.log((faceChange(o, i, f) + 0.05) / (outsideChange(o, i, f) + 0.05));

/** Edge energy inside the face boxes relative to outside them (log ratio). */
export const faceEdgeBalance: Measure = (o, _i, f) => {
  const y = luma(o);
  const band = sub(gaussian(y, o.width, o.height, 0.8), gaussian(y, o.width, o.height, 3));
  let fin = 0, nin = 0, fout = 0, nout = 0;
  for (let yy = 0; yy < o.height; yy++)
    for (let x = 0; x < o.width; x++) {
      const v = band[yy * o.width + x]! ** 2;
      if (inAny(x, yy, f)) (fin += v), nin++;
      else (fout += v), nout++;
    }
  return Math.log((fin / Math.max(1, nin) + 1e-7) / (fout / Math.max(1, nout) + 1e-7));
};

/**
 * Specks and thin lines: how far pixels stand out from their 5×5 median, counted above 0.05 of the
 * luma range (fine texture rarely does), over the pixels that stood out in the input. ×1e3.
 */
export const smallDefects: Measure = (o, i) => {
  const yi = luma(i), yo = luma(o);
  const mi = median(yi, i.width, i.height, 2), mo = median(yo, o.width, o.height, 2);
  let s = 0, n = 0;
  for (let p = 0; p < yi.length; p++) {
    if (Math.abs(yi[p]! - mi[p]!) <= 0.05) continue;
    s += Math.max(0, Math.abs(yo[p]! - mo[p]!) - 0.02);
    n++;
  }
  return n ? (1e3 * s) / n : 0;
};

/** Stains: the luma at a quarter resolution against its 7×7 median (28 px), over what stood out in the input. ×1e3. */
export const stains: Measure = (o, i) => {
  const down = (im: Img) => {
    const w = Math.floor(im.width / 4), h = Math.floor(im.height / 4), y = luma(im), out = new Float32Array(w * h);
    for (let yy = 0; yy < h; yy++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let d = 0; d < 16; d++) s += y[(yy * 4 + (d >> 2)) * im.width + x * 4 + (d & 3)]!;
        out[yy * w + x] = s / 16;
      }
    return { v: out, w, h };
  };
  const a = down(i), b = down(o);
  const ma = median(a.v, a.w, a.h, 3), mb = median(b.v, b.w, b.h, 3);
  let s = 0, n = 0;
  for (let p = 0; p < a.v.length; p++) {
    if (Math.abs(a.v[p]! - ma[p]!) <= 0.03) continue;
    s += Math.abs(b.v[p]! - mb[p]!);
    n++;
  }
  return n ? (1e3 * s) / n : 0;
};

/** JPEG blocking: mean luma step across the 8-px grid over the mean step inside blocks. */
export const blockiness: Measure = (o) => {
  const y = luma(o);
  let at = 0, na = 0, inside = 0, ni = 0;
  for (let yy = 0; yy < o.height; yy++)
    for (let x = 1; x < o.width; x++) {
      const d = Math.abs(y[yy * o.width + x]! - y[yy * o.width + x - 1]!);
      if (x % 8 === 0) (at += d), na++;
      else (inside += d), ni++;
    }
  for (let yy = 1; yy < o.height; yy++)
    for (let x = 0; x < o.width; x++) {
      const d = Math.abs(y[yy * o.width + x]! - y[(yy - 1) * o.width + x]!);
      if (yy % 8 === 0) (at += d), na++;
      else (inside += d), ni++;
    }
  return at / Math.max(1, na) / (inside / Math.max(1, ni) + 1e-6);
};

/** Colour noise: energy of the colour differences finer than σ 1.5 px, ×1e5. */
export const colourNoise: Measure = (o) => {
  const { cb, cr } = toYcc(o.rgb);
  return 1e5 * (energy(sub(cb, gaussian(cb, o.width, o.height, 1.5))) + energy(sub(cr, gaussian(cr, o.width, o.height, 1.5))));
};

/** Mean |a − b| in 1/255 (synonymous instructions). */
export function meanAbsDiff(a: Img, b: Img): number {
  let s = 0;
  for (let i = 0; i < a.rgb.length; i++) s += Math.abs(a.rgb[i]! - b.rgb[i]!);
  return (255 * s) / a.rgb.length;
}
