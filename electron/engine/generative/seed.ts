/**
 * Which noise a generative run uses. Deterministic mode (the default) derives
 * the seed from the photo's pixels, the instruction and every setting that
 * changes the result, so the same photo with the same settings gives a
 * bit-identical result on the same execution provider. Stochastic mode uses
 * the user's seed (a fresh random one when none is given) for variations.
 */
import { createHash, randomInt } from 'node:crypto';
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { GenerativePlan } from '../types.js';

export function contentSeed(rgb8: Uint8Array, width: number, height: number, settings: ResolvedRestoreSettings, extra: unknown = null): number {
  const h = createHash('sha256');
  h.update(`${width}x${height}\n`);
  h.update(rgb8);
  h.update(JSON.stringify({
    instruction: settings.instruction,
    fidelity: settings.fidelity,
    steps: settings.steps,
    guidance: settings.guidance,
    seed: settings.seed ?? null,
    faces: settings.faces ?? null,
    adapter: settings.adapter ?? null,
    extra,
  }));
  return h.digest().readUInt32LE(0);
}

export function generativePlan(rgb8: Uint8Array, width: number, height: number, settings: ResolvedRestoreSettings, extra: unknown = null): GenerativePlan {
  const seed = settings.deterministic ? contentSeed(rgb8, width, height, settings, extra) : (settings.seed ?? randomInt(0, 2 ** 32));
  return { seed, deterministic: settings.deterministic, steps: settings.steps, guidance: settings.guidance, fidelity: settings.fidelity };
}
