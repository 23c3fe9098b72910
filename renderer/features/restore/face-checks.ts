/**
 * The identity check as the Restore panel shows it: each restored face's drift
 * from the person in the original, read from the version's recipe
 * (settings.faceChecks, written by the engine), in plain words.
 */
import type { Recipe } from '../../../electron/shared/recipe.js';

export interface FaceCheck {
  x: number;
  y: number;
  w: number;
  h: number;
  distance: number;
  samePerson: 'likely' | 'unsure';
}

/** The checks a recipe holds; [] for versions made before the check existed or without restored faces. */
export function faceChecksOf(recipe: Recipe): FaceCheck[] {
  const raw = recipe.settings.faceChecks;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (c): c is FaceCheck =>
      !!c && typeof c === 'object' && ['x', 'y', 'w', 'h', 'distance'].every((k) => typeof (c as Record<string, unknown>)[k] === 'number') && ((c as FaceCheck).samePerson === 'likely' || (c as FaceCheck).samePerson === 'unsure'),
  );
}

/** "Face 2: same person likely (drift 0.12)". */
export function describeCheck(c: FaceCheck, i: number): string {
  return `Face ${i + 1}: same person ${c.samePerson} (drift ${c.distance.toFixed(2)})`;
}
