/**
 * Synthetic degradations of old photographs, the TypeScript twin of
 * models/restora_models/degradations.py: seed → recipe (bit-exact with
 * Python), recipe → degraded image (close to Python). Used by the quality
 * benchmark and by local fine-tuning to make (degraded, clean) pairs.
 */
export { Mulberry32, uniformBlock, gaussianBlock, pyRound } from './prng.js';
export {
  SEVERITIES, OP_ORDER, DAMAGE_TYPES, RANGES, sampleRecipe, recipeLabels, withOp,
  type Severity, type OpName, type DamageType, type DegradationOp, type DegradationRecipe, type ScratchLine,
} from './recipe.js';
export { applyRecipe, jpegRoundTrip } from './apply.js';
export type { RgbImage } from '../types.js';
export { resample, type ResampleFilter } from './resample.js';
export { makeTrainingPair, type TrainingPair } from './pairs.js';
