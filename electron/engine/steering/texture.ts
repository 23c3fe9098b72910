/**
 * Grain and noise, as explicit operations on the finest bands of the restored tile.
 *   grain (luma texture):
 *     keep    the input's texture finer than σ 1.5 px is given back, except where the restorer made
 *             a large change (a repaired scratch or speck is not re-added as "grain");
 *     remove  the restored bands finer than σ 0.8 px and from 0.8 to 2 px are soft-thresholded at a
 *             multiple of the photo's grain level at each pixel's brightness (grain-level.ts), so
 *             what is left is edges, not grain;
 *     reduce  halfway between the two.
 *   noise (colour, the colour-difference band finer than σ 1.5 px):
 *     fix     soft-thresholded at a multiple of the photo's colour-noise level;
 *     leave   the input's colour band is put back.
 */
import { gaussian, sub } from './planes.js';
import { grainLevelAt } from './grain-level.js';

/** How the photo's fine bands vary where nothing happens: the noise the thresholds scale with. */
export interface NoiseLevels {
  /** Luma, finest band (σ of its robust spread). */
  luma: number;
  /** Colour differences, fine band. */
  chroma: number;
  /** The grain's level per eighth of the luma range (grain-level.ts): what "remove the grain" takes out. */
  grain: number[];
}

const FINE = 0.8;
const MID = 2;
/** What "the grain" is when it is kept: everything finer than this. */
const KEEP = 1.5;
const CHROMA = 1.5;

/**
 * A weight per pixel for giving back the input's texture: 1 where input and restored differ by
 * grain-sized amounts, falling to 0 where they differ by much more (a repair, not grain).
 */
function grainGate(diff: Float32Array, noise: number, exclude?: Float32Array): Float32Array {
  const lo = Math.max(0.02, 4 * noise), hi = 2 * lo;
  const g = new Float32Array(diff.length);
  for (let i = 0; i < g.length; i++) {
    const d = Math.abs(diff[i]!);
    let v = d <= lo ? 1 : d >= hi ? 0 : (hi - d) / (hi - lo);
    if (exclude) v *= 1 - exclude[i]!;
    g[i] = v;
  }
  return g;
}

/**
 * Applies the grain setting to the luma of the restored tile in place. `input` is the luma the
 * restorer saw; `amount` scales the thresholds (strength); `exclude` (0..1) marks repaired defects.
 *   keep:   out + gate · HP(input − out), HP the part finer than σ 1.5 px: the restorer's change is
 *           kept only where it is coarser than grain, or large (a repair);
 *   remove: the restored band finer than σ 0.8 px soft-thresholded at 2.5× the grain level at the
 *           pixel's brightness (its σ 2 px surroundings), the next band (σ 0.8–2) at 1.5×;
 *   reduce: the mean of the two.
 */
export function applyGrain(out: Float32Array, input: Float32Array, w: number, h: number, value: 'remove' | 'reduce' | 'keep', levels: NoiseLevels, amount: number, exclude?: Float32Array): void {
  let kept: Float32Array | null = null, removed: Float32Array | null = null;
  if (value !== 'remove') {
    const diff = sub(input, out);
    const hp = sub(diff, gaussian(diff, w, h, KEEP));
    const gate = grainGate(hp, levels.luma, exclude);
    kept = new Float32Array(out.length);
    for (let i = 0; i < out.length; i++) kept[i] = out[i]! + gate[i]! * hp[i]!;
  }
  if (value !== 'keep') {
    const low = gaussian(out, w, h, FINE), mid = gaussian(out, w, h, MID);
    removed = new Float32Array(out.length);
    for (let i = 0; i < out.length; i++) {
      const t = Math.max(0.004, 2.5 * grainLevelAt(levels.grain, mid[i]!)) * amount;
      removed[i] = mid[i]! + soft(low[i]! - mid[i]!, 0.6 * t) + soft(out[i]! - low[i]!, t);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = kept && removed ? 0.5 * (kept[i]! + removed[i]!) : (kept ?? removed)![i]!;
}

const soft = (x: number, t: number) => (x > t ? x - t : x < -t ? x + t : 0);

/** Applies the noise setting to the colour-difference planes of the restored tile in place. */
export function applyColourNoise(out: Float32Array, input: Float32Array, w: number, h: number, value: 'fix' | 'leave', noise: number, amount: number): void {
  const low = gaussian(out, w, h, CHROMA);
  if (value === 'leave') {
    const inLow = gaussian(input, w, h, CHROMA);
    for (let i = 0; i < out.length; i++) out[i] = low[i]! + (input[i]! - inLow[i]!);
    return;
  }
  const t = Math.max(0.004, 2.5 * noise) * amount;
  for (let i = 0; i < out.length; i++) out[i] = low[i]! + soft(out[i]! - low[i]!, t);
}

export const BANDS = { FINE, MID, CHROMA };

/**
 * Colour noise the photo clearly has, measured (not read by the integrator): the fine colour-difference
 * band's spread in the flattest blocks at or above 3/255. Clean photos and real old prints measure at most
 * 1.8/255 (bsds500/val, old-photos, faces-flr: bench/photo-statistics.ts), and so do JPEG-damaged, blurred and
 * resized ones; colour noise of σ 25 measures 12–25/255. When the words say nothing about noise or grain,
 * such noise is removed (steer.ts).
 */
export const MEASURED_COLOUR_NOISE = 3 / 255;

export function hasColourNoise(levels: NoiseLevels): boolean {
  return levels.chroma >= MEASURED_COLOUR_NOISE;
}
