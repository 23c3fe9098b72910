/**
 * Grain and noise, as explicit operations on the finest bands of the restored tile.
 *   grain (luma, the band finer than a Gaussian of σ 0.8 px):
 *     keep    the input's own band is put back, except where the restorer made a large change
 *             (a repaired scratch or speck is not re-added as "grain");
 *     remove  the restored band and the next coarser one (σ 0.8–2 px) are soft-thresholded at a
 *             multiple of the photo's noise level, so what is left is edges, not grain;
 *     reduce  halfway between the two.
 *   noise (colour, the colour-difference band finer than σ 1.5 px):
 *     fix     soft-thresholded at a multiple of the photo's colour-noise level;
 *     leave   the input's colour band is put back.
 */
import { gaussian, shrink, sub } from './planes.js';

/** How the photo's fine bands vary where nothing happens: the noise the thresholds scale with. */
export interface NoiseLevels {
  /** Luma, finest band (σ of its robust spread). */
  luma: number;
  /** Colour differences, fine band. */
  chroma: number;
}

const FINE = 0.8;
const MID = 2;
const CHROMA = 1.5;

/**
 * A weight per pixel for putting the input's fine band back: 1 where input and restored band differ
 * by grain-sized amounts, falling to 0 where they differ by much more (a repair, not grain).
 */
function grainGate(bandIn: Float32Array, bandOut: Float32Array, noise: number, exclude?: Float32Array): Float32Array {
  const lo = Math.max(0.02, 4 * noise), hi = 2 * lo;
  const g = new Float32Array(bandIn.length);
  for (let i = 0; i < g.length; i++) {
    const d = Math.abs(bandIn[i]! - bandOut[i]!);
    let v = d <= lo ? 1 : d >= hi ? 0 : (hi - d) / (hi - lo);
    if (exclude) v *= 1 - exclude[i]!;
    g[i] = v;
  }
  return g;
}

/**
 * Applies the grain setting to the luma of the restored tile in place. `input` is the luma the
 * restorer saw; `amount` scales the thresholds (strength); `exclude` (0..1) marks repaired defects.
 */
export function applyGrain(out: Float32Array, input: Float32Array, w: number, h: number, value: 'remove' | 'reduce' | 'keep', noise: number, amount: number, exclude?: Float32Array): void {
  const outLow = gaussian(out, w, h, FINE);
  const bandOut = sub(out, outLow);
  const bandIn = sub(input, gaussian(input, w, h, FINE));
  const keep = (i: number, gate: Float32Array) => gate[i]! * bandIn[i]! + (1 - gate[i]!) * bandOut[i]!;
  let removed: Float32Array | null = null, mid: Float32Array | null = null, midShrunk: Float32Array | null = null;
  if (value !== 'keep') {
    const t = Math.max(0.004, 2.5 * noise) * amount;
    removed = shrink(bandOut, t);
    const outMid = gaussian(out, w, h, MID);
    mid = sub(outLow, outMid);
    midShrunk = shrink(mid, 0.6 * t);
  }
  const gate = value === 'remove' ? null : grainGate(bandIn, bandOut, noise, exclude);
  const wKeep = value === 'keep' ? 1 : value === 'reduce' ? 0.5 : 0;
  for (let i = 0; i < out.length; i++) {
    const base = outLow[i]!;
    const kept = gate ? keep(i, gate) : 0;
    const fine = wKeep * kept + (1 - wKeep) * (removed ? removed[i]! : 0);
    const midDelta = mid ? (1 - wKeep) * (midShrunk![i]! - mid[i]!) : 0;
    out[i] = base + fine + midDelta;
  }
}

/** Applies the noise setting to the colour-difference planes of the restored tile in place. */
export function applyColourNoise(out: Float32Array, input: Float32Array, w: number, h: number, value: 'fix' | 'leave', noise: number, amount: number): void {
  const low = gaussian(out, w, h, CHROMA);
  if (value === 'leave') {
    const inLow = gaussian(input, w, h, CHROMA);
    for (let i = 0; i < out.length; i++) out[i] = low[i]! + (input[i]! - inLow[i]!);
    return;
  }
  const band = shrink(sub(out, low), Math.max(0.004, 2.5 * noise) * amount);
  for (let i = 0; i < out.length; i++) out[i] = low[i]! + band[i]!;
}

export const BANDS = { FINE, MID, CHROMA };
