/**
 * The explicit level of steering: after the learned restorer has restored a tile (steered by the
 * integrator's latent queries), the settings the words or edits stated are made certain by
 * well-defined operations on (what the restorer saw, what it returned):
 *   defects (dust, scratches, stains) → texture (grain, colour noise) → edges (blur, sharpness)
 *   → black and white → JPEG deblocking → strength (a blend toward the input).
 * What the photo decided is left to the restorer, except that "strong" runs the operations for every
 * damage the photo shows, and colour noise the photo measurably has (readings.ts measuredColourNoise) is
 * removed. Every operation is local (a few pixels of context), so tiles still agree in their overlaps,
 * and deterministic.
 */
import { strengthNumber, type SlotSettings } from '../../shared/instructions/slots.js';
import { fromYcc, gaussian, robustSigma, sub, toYcc } from './planes.js';
import { applyColourNoise, applyGrain, BANDS, type NoiseLevels } from './texture.js';
import { measuredColourNoise } from './readings.js';
import { applyBlur, applySharpness } from './detail.js';
import { applyBlotches, fillSmall, findDefects, restoreSmall } from './defects.js';
import { deblock } from './deblock.js';
import { grainLevelFunction } from './grain-level.js';

export interface SteerPlan {
  dust?: 'fix' | 'leave';
  scratches?: 'fix' | 'leave';
  blotches?: 'fix' | 'leave';
  grain?: 'remove' | 'reduce' | 'keep';
  noise?: 'fix' | 'leave';
  blur?: 'fix' | 'leave';
  sharpness?: 'soft' | 'crisp';
  jpeg?: 'fix';
  bw: boolean;
  /** Scales thresholds and amounts (strength): 0.75 gentle, 1 normal or a number, 1.4 strong. */
  amount: number;
  /** How much of the change is kept (strength): 0.5 gentle, the number itself (0..1), 1 otherwise. */
  blend: number;
  /** The photo's noise, which the thresholds scale with. */
  levels: NoiseLevels;
}

/** A setting's value when the words or an edit stated it; undefined when it is a default or the photo's reading. */
export const statedValue = (s: SlotSettings, slot: keyof SlotSettings) => {
  const r = s[slot];
  return r && r.source !== 'default' && r.source !== 'photo' ? r.value : undefined;
};

/**
 * Which operations run: every stated setting, and with strength "strong" the fixes for what the
 * integrator read in the photo (`decoded`: its slot values, e.g. { scratches: 'low', noise: 'off' }).
 */
export function steerPlan(s: SlotSettings, decoded: Record<string, string>, levels: NoiseLevels): SteerPlan {
  const strength = s.strength?.value ?? 'normal';
  const strong = strength === 'strong';
  // A number is a pure blend of the normal restoration toward the input: the change grows linearly with it.
  const numeric = strengthNumber(strength);
  const seen = (slot: string) => decoded[slot] !== undefined && decoded[slot] !== 'off';
  const pick = <T extends string>(slot: keyof SlotSettings, photo: T | undefined): T | undefined => (statedValue(s, slot) as T | undefined) ?? (strong ? photo : undefined);
  const plan: SteerPlan = {
    amount: strength === 'gentle' ? 0.75 : strong ? 1.4 : 1,
    blend: numeric ?? (strength === 'gentle' ? 0.5 : 1),
    bw: s.tone?.value === 'bw',
    levels,
  };
  const dust = pick<'fix' | 'leave'>('dust', seen('scratches') ? 'fix' : undefined);
  const scratches = pick<'fix' | 'leave'>('scratches', seen('scratches') ? 'fix' : undefined);
  const blotches = pick<'fix' | 'leave'>('blotches', seen('scratches') ? 'fix' : undefined);
  const grain = pick<'remove' | 'reduce' | 'keep'>('grain', decoded.grain === 'remove' ? 'remove' : undefined);
  // Colour noise the photo measurably has is removed unless the words speak of noise or grain (readings.ts).
  const noiseV = pick<'fix' | 'leave'>('noise', seen('noise') ? 'fix' : undefined) ?? (measuredColourNoise(statedValue(s, 'grain') !== undefined, levels) ? 'fix' : undefined);
  const blur = pick<'fix' | 'leave'>('blur', seen('blur') ? 'fix' : undefined);
  const sharp = statedValue(s, 'sharpness');
  const jpeg = pick<'fix' | 'leave'>('jpeg', seen('jpeg') ? 'fix' : undefined);
  if (dust) plan.dust = dust;
  if (scratches) plan.scratches = scratches;
  if (blotches) plan.blotches = blotches;
  if (grain) plan.grain = grain;
  if (noiseV) plan.noise = noiseV;
  if (blur) plan.blur = blur;
  if (sharp === 'soft' || sharp === 'crisp') plan.sharpness = sharp;
  if (jpeg === 'fix') plan.jpeg = 'fix';
  return plan;
}

/** True when the plan changes nothing: the restorer's output is the result. */
export function isPlainPlan(p: SteerPlan): boolean {
  return !p.dust && !p.scratches && !p.blotches && !p.grain && !p.noise && !p.blur && !p.sharpness && !p.jpeg && !p.bw && p.blend === 1;
}

/** What the plan runs, in words, for the recipe. */
export function describePlan(p: SteerPlan): string[] {
  const out: string[] = [];
  for (const k of ['dust', 'scratches', 'blotches', 'grain', 'noise', 'blur', 'sharpness', 'jpeg'] as const) if (p[k]) out.push(`${k}:${p[k]}`);
  if (p.bw) out.push('tone:bw');
  if (p.amount !== 1) out.push(`amount:${p.amount}`);
  if (p.blend !== 1) out.push(`blend:${p.blend}`);
  return out;
}

/**
 * The spread of a band in its flattest places: the standard deviation in each 8×8 block, the 10th
 * percentile of those, over 0.84 (where the 10th percentile of 64-sample deviations of pure noise
 * lies). Texture and edges raise the other blocks, not these, so busy photos do not read as noisy.
 */
function flatSigma(band: Float32Array, w: number, h: number): number {
  const stds: number[] = [];
  for (let by = 0; by + 8 <= h; by += 8)
    for (let bx = 0; bx + 8 <= w; bx += 8) {
      let s = 0, s2 = 0;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const v = band[(by + y) * w + bx + x]!;
          s += v;
          s2 += v * v;
        }
      stds.push(Math.sqrt(Math.max(0, s2 / 64 - (s / 64) ** 2)));
    }
  if (!stds.length) return robustSigma(band);
  stds.sort((a, b) => a - b);
  return stds[Math.floor(0.1 * (stds.length - 1))]! / 0.84;
}

/** The photo's noise levels, from a float HWC view of it (measured once per photo, so every tile agrees). */
export function measureNoise(rgb: Float32Array, w: number, h: number): NoiseLevels {
  const { y, cb, cr } = toYcc(rgb);
  const fine = sub(y, gaussian(y, w, h, BANDS.FINE));
  const c1 = sub(cb, gaussian(cb, w, h, BANDS.CHROMA)), c2 = sub(cr, gaussian(cr, w, h, BANDS.CHROMA));
  return { luma: flatSigma(fine, w, h), chroma: (flatSigma(c1, w, h) + flatSigma(c2, w, h)) / 2, grain: grainLevelFunction(y, fine, w, h) };
}

export interface TileAt {
  /** Top-left of the tile in the photo (the JPEG grid is the photo's); absent for face crops. */
  x?: number;
  y?: number;
  face?: boolean;
}

/**
 * The steered tile: `input` is what the restorer saw (HWC 0..1, after the tone matrix), `restored`
 * what it returned. Returns a new array; neither argument is changed.
 */
export function steerTile(input: Float32Array, restored: Float32Array, w: number, h: number, p: SteerPlan, at: TileAt = {}): Float32Array {
  let out: Float32Array = Float32Array.from(restored);
  if (isPlainPlan(p)) return out;
  const sens = p.amount;
  let exclude: Float32Array | undefined;
  if (p.dust || p.scratches || p.blotches) {
    const yIn = toYcc(input).y;
    const masks = findDefects(yIn, input, w, h, p.levels.luma, sens, { small: !!(p.dust || p.scratches), blotches: !!p.blotches });
    exclude = new Float32Array(w * h);
    for (const kind of ['dust', 'scratches'] as const) {
      const v = p[kind];
      if (!v || !masks.counts[kind]) continue;
      if (v === 'fix') {
        const grown = fillSmall(out, masks[kind], w, h);
        for (let i = 0; i < grown.length; i++) if (grown[i]) exclude[i] = 1;
      } else restoreSmall(out, input, masks[kind], w, h);
    }
    if (p.blotches && masks.counts.blotches) applyBlotches(out, input, masks, p.blotches);
  }
  if (p.grain || p.noise || p.blur || p.sharpness) {
    const o = toYcc(out), i = toYcc(input);
    if (p.blur) applyBlur(o.y, i.y, w, h, p.blur, p.amount);
    if (p.sharpness) applySharpness(o.y, w, h, p.sharpness, p.amount);
    if (p.grain) applyGrain(o.y, i.y, w, h, p.grain, p.levels, p.amount, exclude);
    if (p.noise) {
      applyColourNoise(o.cb, i.cb, w, h, p.noise, p.levels.chroma, p.amount);
      applyColourNoise(o.cr, i.cr, w, h, p.noise, p.levels.chroma, p.amount);
    }
    out = fromYcc(o, out);
  }
  if (p.bw) {
    for (let q = 0; q < out.length; q += 3) {
      const l = 0.299 * out[q]! + 0.587 * out[q + 1]! + 0.114 * out[q + 2]!;
      out[q] = out[q + 1] = out[q + 2] = l;
    }
  }
  if (p.jpeg === 'fix' && !at.face && at.x !== undefined && at.y !== undefined) deblock(out, w, h, at.x, at.y, p.amount);
  for (let q = 0; q < out.length; q++) {
    const v = input[q]! + p.blend * (out[q]! - input[q]!);
    out[q] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}
