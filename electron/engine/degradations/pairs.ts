/**
 * (degraded, clean) training pairs from a user's own photos, for local
 * fine-tuning: the same recipes and severity labels the shipped models were
 * trained with, reproducible from (seed, severity).
 */
import { applyRecipe } from './apply.js';
import type { RgbImage } from '../types.js';
import { recipeLabels, sampleRecipe, type DamageType, type DegradationRecipe, type Severity } from './recipe.js';

export interface TrainingPair {
  clean: RgbImage;
  degraded: RgbImage;
  recipe: DegradationRecipe;
  /** Per damage type 0..1: the severity head's targets. */
  labels: Record<DamageType, number>;
}

export async function makeTrainingPair(clean: RgbImage, seed: number, severity: Severity): Promise<TrainingPair> {
  const recipe = sampleRecipe(seed, severity);
  return { clean, degraded: await applyRecipe(clean, recipe), recipe, labels: recipeLabels(recipe) };
}
