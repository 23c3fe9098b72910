/**
 * The photometric and noise ops of a degradation recipe, each a pure function
 * of an HWC float RGB image (0..1) and the op's stored parameters. Formulas
 * follow models/restora_models/degradations.py.
 */
import { gaussianBlock } from './prng.js';
import { convolveReflect, gaussianFilterPlane, orientedGaussianKernel } from './filters.js';

export function luma(r: number, g: number, b: number): number {
  return r * 0.299 + g * 0.587 + b * 0.114;
}

/** Film grain: a blurred, unit-std Gaussian field added to all channels, strongest in the mid-tones. */
export function grain(x: Float32Array, w: number, h: number, amount: number, size: number, seed: number): Float32Array {
  const raw = Float32Array.from(gaussianBlock(seed, w * h));
  const field = gaussianFilterPlane(raw, w, h, size);
  let mean = 0;
  for (const v of field) mean += v;
  mean /= field.length;
  let v2 = 0;
  for (const v of field) v2 += (v - mean) ** 2;
  const std = Math.sqrt(v2 / field.length) + 1e-6;
  const out = new Float32Array(x.length);
  for (let p = 0; p < w * h; p++) {
    const y = luma(x[p * 3]!, x[p * 3 + 1]!, x[p * 3 + 2]!);
    const d = (amount * field[p]! / std) * (0.4 + 2.4 * y * (1 - y));
    for (let c = 0; c < 3; c++) out[p * 3 + c] = x[p * 3 + c]! + d;
  }
  return out;
}

export function blur(x: Float32Array, w: number, h: number, sx: number, sy: number, theta: number): Float32Array {
  return convolveReflect(x, w, h, orientedGaussianKernel(sx, sy, theta), theta === 0);
}

const FADE_TINT = [0.95, 0.92, 0.85];

/** Fading: contrast falls toward mid-grey, then the paper's yellowish lift. */
export function fade(x: Float32Array, amount: number): Float32Array {
  const out = new Float32Array(x.length);
  const k = 1 - 0.55 * amount, keep = 1 - 0.25 * amount;
  for (let i = 0; i < x.length; i++) out[i] = (0.5 + (x[i]! - 0.5) * k) * keep + 0.25 * amount * FADE_TINT[i % 3]!;
  return out;
}

export function mono(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let p = 0; p < x.length; p += 3) out[p] = out[p + 1] = out[p + 2] = luma(x[p]!, x[p + 1]!, x[p + 2]!);
  return out;
}

const SEPIA = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];

/** Colour cast: blend `strength` of the way toward sepia toning or per-channel gains (1 + 2·gain). */
export function cast(x: Float32Array, kind: 'sepia' | 'tint', strength: number, gains: readonly number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let p = 0; p < x.length; p += 3) {
    const r = x[p]!, g = x[p + 1]!, b = x[p + 2]!;
    for (let c = 0; c < 3; c++) {
      const v = x[p + c]!;
      const toned = kind === 'sepia' ? SEPIA[c]![0]! * r + SEPIA[c]![1]! * g + SEPIA[c]![2]! * b : v * (1 + 2 * gains[c]!);
      out[p + c] = v + strength * (toned - v);
    }
  }
  return out;
}

/** Additive Gaussian noise; `gray` adds the same value to all three channels. */
export function noise(x: Float32Array, w: number, h: number, sigma: number, gray: boolean, seed: number): Float32Array {
  const n = gray ? 1 : 3;
  const z = gaussianBlock(seed, w * h * n);
  const out = new Float32Array(x.length);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = x[p * 3 + c]! + sigma * z[gray ? p : p * 3 + c]!;
  return out;
}

export function clamp01(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! < 0 ? 0 : x[i]! > 1 ? 1 : x[i]!;
  return x;
}
