/**
 * Face alignment: a least-squares similarity transform (rotation, uniform
 * scale, translation: 4 degrees of freedom, no shear or mirroring) from a
 * face's 5 landmarks to the canonical FFHQ template, the warp that cuts the
 * aligned square crop out of the photo, and the inverse mapping paste-back
 * uses to put a restored crop back.
 *
 * The template is the one GFPGAN and CodeFormer (facexlib) align to at 512²,
 * so crops match what face restorers are trained on: eye centres at about
 * (193, 240) and (319, 240), nose tip (257, 314), mouth corners (201, 371)
 * and (313, 371). Other crop sizes scale it by size / 512.
 */
import type { Point, Rect, RgbImage } from '../types.js';
import { sampleBilinear } from './resample.js';

/** Maps (x, y) to (a·x + b·y + c, d·x + e·y + f). */
export type Affine = [number, number, number, number, number, number];

export const FFHQ_TEMPLATE_512: readonly Point[] = [
  [192.98138, 239.94708],
  [318.90277, 240.1936],
  [256.63416, 314.01935],
  [201.26117, 371.41043],
  [313.08905, 371.15118],
];

export function templateFor(size: number): Point[] {
  return FFHQ_TEMPLATE_512.map(([x, y]): Point => [(x * size) / 512, (y * size) / 512]);
}

export interface AlignedFace {
  /** The aligned crop, HWC RGB 0..1, size × size. */
  crop: Float32Array;
  size: number;
  /** Image → crop coordinates. */
  toCrop: Affine;
  /** Crop → image coordinates. */
  toImage: Affine;
}

/**
 * The similarity transform T minimising Σ |T(src_i) − dst_i|² (Umeyama
 * without reflection, closed form for 2-D). Degenerate input (all points
 * equal) yields a pure translation.
 */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = Math.min(src.length, dst.length);
  if (n < 2) throw new Error('a similarity transform needs at least 2 point pairs');
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1]; dx += dst[i]![0]; dy += dst[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx, py = src[i]![1] - sy, qx = dst[i]![0] - dx, qy = dst[i]![1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  const a = den > 1e-12 ? num1 / den : 1, b = den > 1e-12 ? num2 / den : 0;
  // [a −b; b a] is rotation·scale.
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

export function applyAffine(m: Affine, p: Point): Point {
  return [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]];
}

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-18) throw new Error('affine transform is not invertible');
  const ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** The (uniform) scale of a similarity transform. */
export function affineScale(m: Affine): number {
  return Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
}

/**
 * Fills an outW × outH image by sampling `img` at toSrc(pixel centre),
 * bilinear, replicated borders. When one output pixel spans more than one
 * source pixel it averages up to 4×4 sub-samples, so shrinking a large face
 * to the template does not alias.
 */
export function warpAffine(img: RgbImage, toSrc: Affine, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH * 3);
  const k = Math.min(4, Math.max(1, Math.ceil(affineScale(toSrc) - 1e-6)));
  const tmp = new Float32Array(3);
  const inv = 1 / (k * k);
  for (let j = 0; j < outH; j++) {
    for (let i = 0; i < outW; i++) {
      const o = (j * outW + i) * 3;
      if (k === 1) {
        const u = i + 0.5, v = j + 0.5;
        sampleBilinear(img, toSrc[0] * u + toSrc[1] * v + toSrc[2], toSrc[3] * u + toSrc[4] * v + toSrc[5], out, o);
        continue;
      }
      let r = 0, g = 0, b = 0;
      for (let sj = 0; sj < k; sj++) {
        const v = j + (sj + 0.5) / k;
        for (let si = 0; si < k; si++) {
          const u = i + (si + 0.5) / k;
          sampleBilinear(img, toSrc[0] * u + toSrc[1] * v + toSrc[2], toSrc[3] * u + toSrc[4] * v + toSrc[5], tmp, 0);
          r += tmp[0]!; g += tmp[1]!; b += tmp[2]!;
        }
      }
      out[o] = r * inv; out[o + 1] = g * inv; out[o + 2] = b * inv;
    }
  }
  return out;
}

/** Cuts the aligned size × size crop of the face whose 5 landmarks are given. */
export function alignFace(img: RgbImage, landmarks5: readonly Point[], size = 512): AlignedFace {
  if (landmarks5.length !== 5) throw new Error(`alignFace needs 5 landmarks, got ${landmarks5.length}`);
  if (!Number.isInteger(size) || size < 8) throw new Error(`aligned crop size must be an integer ≥ 8, got ${size}`);
  const toCrop = similarityTransform(landmarks5, templateFor(size));
  const toImage = invertAffine(toCrop);
  return { crop: warpAffine(img, toImage, size, size), size, toCrop, toImage };
}

/** The image-space bounding box (whole pixels, clipped to the image) of the crop square. */
export function cropBounds(toImage: Affine, size: number, width: number, height: number): Rect {
  const corners = ([[0, 0], [size, 0], [0, size], [size, size]] as Point[]).map((p) => applyAffine(toImage, p));
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0])))), x1 = Math.min(width, Math.ceil(Math.max(...corners.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1])))), y1 = Math.min(height, Math.ceil(Math.max(...corners.map((p) => p[1]))));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/**
 * The inverse warp: the crop mapped back into image space over `region`
 * (default: the crop's bounding box), as a region.w × region.h HWC buffer.
 */
export function unwarpCrop(face: Pick<AlignedFace, 'crop' | 'size' | 'toCrop' | 'toImage'>, width: number, height: number, region?: Rect): { region: Rect; rgb: Float32Array } {
  const r = region ?? cropBounds(face.toImage, face.size, width, height);
  const crop = { rgb: face.crop, width: face.size, height: face.size };
  const out = new Float32Array(r.w * r.h * 3);
  const m = face.toCrop;
  for (let j = 0; j < r.h; j++) {
    for (let i = 0; i < r.w; i++) {
      const x = r.x + i + 0.5, y = r.y + j + 0.5;
      sampleBilinear(crop, m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5], out, (j * r.w + i) * 3);
    }
  }
  return { region: r, rgb: out };
}
