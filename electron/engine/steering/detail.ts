/**
 * Blur and sharpness, as explicit operations on the luma of the restored tile. The edge band is what
 * lies between Gaussians of σ 0.8 and 3 px: coarser than grain, finer than shading.
 *   blur      fix: 60% of the input's own edge band is added to the restored one (more with strength),
 *             so edges end sharper than the input's whatever the restorer did;
 *             leave: the restorer's change between σ 0.3 and 8 px is undone, so edges stay as soft as they were.
 *   sharpness crisp: an unsharp mask on the edge band (+100%);
 *             soft: 60% of everything finer than σ 1.2 px is taken away;
 *             natural: nothing.
 */
import { gaussian } from './planes.js';

const EDGE_FINE = 0.8;
const EDGE_COARSE = 3;
const SOFT = 1.2;

function edgeBand(v: Float32Array, w: number, h: number): Float32Array {
  const a = gaussian(v, w, h, EDGE_FINE), b = gaussian(v, w, h, EDGE_COARSE);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! - b[i]!;
  return a;
}

export function applyBlur(out: Float32Array, input: Float32Array, w: number, h: number, value: 'fix' | 'leave', amount: number): void {
  if (value === 'leave') {
    // The restorer's change in a band around the edge band (σ 0.3–8 px) is undone, so the edge band
    // of the result is the input's (a Gaussian band split is not idempotent: a narrower band would leak).
    const diff = new Float32Array(out.length);
    for (let i = 0; i < out.length; i++) diff[i] = input[i]! - out[i]!;
    const a = gaussian(diff, w, h, 0.3), b = gaussian(diff, w, h, 8);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + a[i]! - b[i]!;
    return;
  }
  const bandIn = edgeBand(input, w, h);
  {
    const k = 0.6 * amount;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + k * bandIn[i]!;
  }
}

export function applySharpness(out: Float32Array, w: number, h: number, value: 'soft' | 'crisp', amount: number): void {
  if (value === 'crisp') {
    const band = edgeBand(out, w, h);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + amount * band[i]!;
  } else {
    const low = gaussian(out, w, h, SOFT);
    const k = Math.min(0.9, 0.6 * amount);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! - k * (out[i]! - low[i]!);
  }
}

export const EDGE_BAND = { fine: EDGE_FINE, coarse: EDGE_COARSE };
