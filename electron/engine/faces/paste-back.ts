/**
 * Paste-back: restored aligned face crops go back into the photo through the
 * inverse of their alignment, blended with a soft mask defined in template
 * space (so it follows each face's position, size and tilt), after the
 * restored face's colour statistics are matched to the photo's own face
 * region. Pixels where the mask is 0 are never written, so the background
 * stays bit-identical.
 *
 * Masks are rounded rectangles in template space whose inner band ramps
 * smoothly from 0 at the boundary to 1 — what "erode, then feather" produces,
 * computed analytically so the outside is exactly 0. Paste-back's covers
 * nearly the whole crop, as GFPGAN's does; faceMask's is the face oval.
 */
import { affineScale, applyAffine, cropBounds, invertAffine, similarityTransform, templateFor, type Affine, type AlignedFace } from './align.js';
import type { Point, RgbImage } from '../types.js';
import { blurRgb, sampleBilinear } from './resample.js';

/** A rounded rectangle in normalised template coordinates (0..1 across the aligned crop). */
export interface MaskShape {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Corner radius (half the shorter side makes the ends round). */
  radius: number;
  /** Width of the 0 → 1 ramp inside the boundary. */
  feather: number;
}

/** What paste-back writes: nearly the whole crop (face, hair, some background), as GFPGAN does. */
export const PASTE_MASK: MaskShape = { x0: 0.05, y0: 0.05, x1: 0.95, y1: 0.95, radius: 0.22, feather: 0.14 };

/** The face proper (brow to chin, cheek to cheek, an oval): for "only the faces" / "only the background". */
export const FACE_MASK: MaskShape = { x0: 0.17, y0: 0.1, x1: 0.83, y1: 0.9, radius: 0.3, feather: 0.08 };

export type ColorMatch = 'none' | 'mean' | 'mean-std' | 'low-freq';

export interface PasteOptions {
  /**
   * Match the restored face's per-channel YCbCr statistics to the photo's
   * face region before blending: 'mean' fixes tints and brightness only,
   * 'mean-std' (default) also contrast (gain clamped to 0.5..2);
   * 'low-freq' keeps only the restored face's detail and takes everything
   * coarser than about 1/16 of the face (shading, colour, tint) from the
   * photo, so a restorer's colour drift cannot show at all (and neither can
   * its tonal corrections).
   */
  colorMatch?: ColorMatch;
  mask?: MaskShape;
}

/**
 * A restored crop and the alignment it came from (an AlignedFace whose crop was replaced). With `before`
 * (the aligned crop the restorer was given), only the restorer's change goes back through the inverse
 * warp and is added to the photo's own pixels: the face's detail is not resampled twice, so a restorer
 * that changes nothing leaves the face exactly as it was (skin texture included).
 */
export type RestoredFace = Pick<AlignedFace, 'crop' | 'size' | 'toCrop' | 'toImage'> & { before?: Float32Array };

/** Mask value at normalised template coordinates (u, v in 0..1 across the crop). */
export function templateMask(u: number, v: number, shape: MaskShape = PASTE_MASK): number {
  const hx = (shape.x1 - shape.x0) / 2, hy = (shape.y1 - shape.y0) / 2;
  const qx = Math.abs(u - (shape.x0 + hx)) - (hx - shape.radius), qy = Math.abs(v - (shape.y0 + hy)) - (hy - shape.radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  const d = outside + Math.min(Math.max(qx, qy), 0) - shape.radius; // signed distance, < 0 inside
  if (d >= 0) return 0;
  const t = Math.min(1, -d / shape.feather);
  return t * t * (3 - 2 * t);
}

// Full-range BT.601 YCbCr (JPEG's), offsets dropped: only means and spreads matter here.
function toYcc(r: number, g: number, b: number, out: Float64Array, o: number): void {
  out[o] = 0.299 * r + 0.587 * g + 0.114 * b;
  out[o + 1] = -0.168736 * r - 0.331264 * g + 0.5 * b;
  out[o + 2] = 0.5 * r - 0.418688 * g - 0.081312 * b;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Weighted per-channel mean and std of YCbCr values. */
function stats(ycc: Float64Array, weight: Float32Array): { mean: number[]; std: number[] } {
  const mean = [0, 0, 0], sq = [0, 0, 0];
  let wsum = 0;
  for (let p = 0; p < weight.length; p++) {
    const w = weight[p]!;
    if (w === 0) continue;
    wsum += w;
    for (let c = 0; c < 3; c++) mean[c]! += w * ycc[p * 3 + c]!;
  }
  if (wsum === 0) return { mean, std: [1, 1, 1] };
  for (let c = 0; c < 3; c++) mean[c]! /= wsum;
  for (let p = 0; p < weight.length; p++) {
    const w = weight[p]!;
    if (w === 0) continue;
    for (let c = 0; c < 3; c++) sq[c]! += w * (ycc[p * 3 + c]! - mean[c]!) ** 2;
  }
  return { mean, std: sq.map((s) => Math.sqrt(s / wsum)) };
}

/** Pastes one face into `out` (in place), reading the original from `src`. */
function pasteOne(src: RgbImage, out: Float32Array, face: RestoredFace, opts: Required<PasteOptions>): void {
  const { width, height } = src;
  const r = cropBounds(face.toImage, face.size, width, height);
  if (r.w === 0 || r.h === 0) return;
  const n = r.w * r.h;
  const mask = new Float32Array(n);
  // Colour statistics come from the face itself, not the hair and background around it.
  const statWeight = new Float32Array(n);
  const restored = new Float32Array(n * 3);
  const crop = { rgb: face.crop, width: face.size, height: face.size };
  const before = face.before ? { rgb: face.before, width: face.size, height: face.size } : null;
  const was = new Float32Array(3);
  const m = face.toCrop;
  for (let j = 0; j < r.h; j++) {
    for (let i = 0; i < r.w; i++) {
      const x = r.x + i + 0.5, y = r.y + j + 0.5;
      const u = m[0] * x + m[1] * y + m[2], v = m[3] * x + m[4] * y + m[5];
      const k = templateMask(u / face.size, v / face.size, opts.mask);
      mask[j * r.w + i] = k;
      if (k > 0) statWeight[j * r.w + i] = templateMask(u / face.size, v / face.size, FACE_MASK);
      if (k > 0 || opts.colorMatch === 'low-freq') {
        const o = (j * r.w + i) * 3;
        sampleBilinear(crop, u, v, restored, o);
        if (before) {
          sampleBilinear(before, u, v, was, 0);
          const s = ((r.y + j) * width + r.x + i) * 3;
          for (let c = 0; c < 3; c++) restored[o + c] = clamp01(src.rgb[s + c]! + restored[o + c]! - was[c]!);
        }
      }
    }
  }
  if (opts.colorMatch === 'low-freq') swapLowFrequencies(src, r, restored, face);
  let gain = [1, 1, 1], shift = [0, 0, 0];
  const matchStats = opts.colorMatch === 'mean' || opts.colorMatch === 'mean-std';
  const restYcc = new Float64Array(matchStats ? n * 3 : 0);
  if (matchStats) {
    const origYcc = new Float64Array(n * 3);
    for (let j = 0; j < r.h; j++) {
      for (let i = 0; i < r.w; i++) {
        const p = j * r.w + i;
        if (mask[p] === 0) continue;
        const s = ((r.y + j) * width + r.x + i) * 3;
        toYcc(src.rgb[s]!, src.rgb[s + 1]!, src.rgb[s + 2]!, origYcc, p * 3);
        toYcc(restored[p * 3]!, restored[p * 3 + 1]!, restored[p * 3 + 2]!, restYcc, p * 3);
      }
    }
    const before = stats(restYcc, statWeight), target = stats(origYcc, statWeight);
    gain = [0, 1, 2].map((c) => (opts.colorMatch === 'mean-std' && before.std[c]! > 1e-4 ? Math.min(2, Math.max(0.5, target.std[c]! / before.std[c]!)) : 1));
    shift = [0, 1, 2].map((c) => target.mean[c]! - gain[c]! * before.mean[c]!);
  }
  for (let j = 0; j < r.h; j++) {
    for (let i = 0; i < r.w; i++) {
      const p = j * r.w + i;
      const k = mask[p]!;
      if (k === 0) continue;
      const q = ((r.y + j) * width + r.x + i) * 3;
      let R = restored[p * 3]!, G = restored[p * 3 + 1]!, B = restored[p * 3 + 2]!;
      if (matchStats) {
        const Y = gain[0]! * restYcc[p * 3]! + shift[0]!, Cb = gain[1]! * restYcc[p * 3 + 1]! + shift[1]!, Cr = gain[2]! * restYcc[p * 3 + 2]! + shift[2]!;
        R = clamp01(Y + 1.402 * Cr);
        G = clamp01(Y - 0.344136 * Cb - 0.714136 * Cr);
        B = clamp01(Y + 1.772 * Cb);
      }
      out[q] = out[q]! * (1 - k) + R * k;
      out[q + 1] = out[q + 1]! * (1 - k) + G * k;
      out[q + 2] = out[q + 2]! * (1 - k) + B * k;
    }
  }
}

/** restored ← restored − blur(restored) + blur(photo) over the region, σ = 1/16 of the face crop's side. */
function swapLowFrequencies(src: RgbImage, r: { x: number; y: number; w: number; h: number }, restored: Float32Array, face: RestoredFace): void {
  const orig = new Float32Array(r.w * r.h * 3);
  for (let j = 0; j < r.h; j++) orig.set(src.rgb.subarray(((r.y + j) * src.width + r.x) * 3, ((r.y + j) * src.width + r.x + r.w) * 3), j * r.w * 3);
  const sigma = face.size / affineScale(face.toCrop) / 16;
  const lowOrig = blurRgb(orig, r.w, r.h, sigma), lowRest = blurRgb(restored, r.w, r.h, sigma);
  for (let i = 0; i < restored.length; i++) restored[i] = clamp01(restored[i]! - lowRest[i]! + lowOrig[i]!);
}

/**
 * Returns a copy of the image with every restored face pasted in (later
 * faces over earlier ones where they overlap). Colour statistics are always
 * taken from the untouched input.
 */
export function pasteFaces(img: RgbImage, faces: readonly RestoredFace[], options: PasteOptions = {}): Float32Array {
  const opts: Required<PasteOptions> = { colorMatch: options.colorMatch ?? 'mean-std', mask: options.mask ?? PASTE_MASK };
  const out = Float32Array.from(img.rgb);
  for (const f of faces) {
    if (f.crop.length !== f.size * f.size * 3) throw new Error(`restored crop holds ${f.crop.length} values, expected ${f.size}×${f.size}×3`);
    pasteOne(img, out, f, opts);
  }
  return out;
}

/**
 * A soft 0..1 mask (width × height, one value per pixel) of all the faces:
 * the face ovals by default, for "only the faces" (use it) or "only the
 * background" (use 1 − it) instructions; pass PASTE_MASK for the region
 * paste-back writes.
 */
export function faceMask(width: number, height: number, faces: ReadonlyArray<{ landmarks5: readonly Point[] }>, shape: MaskShape = FACE_MASK): Float32Array {
  const out = new Float32Array(width * height);
  for (const f of faces) {
    const toUnit: Affine = similarityTransform(f.landmarks5, templateFor(1));
    const r = cropBounds(invertAffine(toUnit), 1, width, height);
    for (let j = 0; j < r.h; j++) {
      for (let i = 0; i < r.w; i++) {
        const [u, v] = applyAffine(toUnit, [r.x + i + 0.5, r.y + j + 0.5]);
        const k = templateMask(u, v, shape);
        const p = (r.y + j) * width + r.x + i;
        if (k > out[p]!) out[p] = k;
      }
    }
  }
  return out;
}
