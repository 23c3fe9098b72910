/**
 * What the Restore panel's controls mean to the engine, as pure functions:
 * the form's values become the contract's RestoreSettings, and the faces the
 * analysis found become boxes to show and, when some are switched off, the
 * faces to restore. Kept free of React so each rule can be tested alone.
 */
import type { Analysis } from '../../../electron/shared/contract/engine.js';
import { DEFAULT_STEPS, type RestoreSettings } from '../../../electron/shared/recipe.js';
import type { FaceChoice } from './RegionPicker.js';

export type RestoreMode = 'fast' | 'generative';

/** The panel's controls. */
export interface RestoreForm {
  instruction: string;
  mode: RestoreMode;
  fidelity: number;
  /** Personalisation to apply; '' for the base model. */
  adapter: string;
  /** Generative mode: refiner steps. */
  steps: number;
  /** Generative mode. Off: the same photo and settings always give the same result. On: a variation from the seed. */
  variation: boolean;
  seed: number;
}

export const DEFAULT_FORM: RestoreForm = { instruction: '', mode: 'fast', fidelity: 0.7, adapter: '', steps: DEFAULT_STEPS, variation: false, seed: 1 };

/** The largest seed the contract accepts. */
export const MAX_SEED = 4294967295;

/** A typed seed as a whole number within the contract's range (anything unreadable is 0). */
export function clampSeed(value: string | number): number {
  return Math.max(0, Math.min(MAX_SEED, Math.floor(Number(value) || 0)));
}

type Box = { x: number; y: number; w: number; h: number };

/**
 * The faces to restore when the user switched some off, in image pixels;
 * undefined for "every face found". Face choices apply to the analysed
 * photo only: a batch restores every face it finds in each photo.
 */
export function chosenFaces(analysis: Analysis | null, faceOn: readonly boolean[], batch: boolean): Box[] | undefined {
  if (!analysis || batch || !faceOn.some((on) => !on)) return undefined;
  return analysis.faces.filter((_, i) => faceOn[i]).map(({ x, y, w, h }) => ({ x, y, w, h }));
}

/** The form (and the faces chosen) as the settings a restore or preview runs with. */
export function settingsFor(form: RestoreForm, faces: Box[] | undefined): RestoreSettings {
  const generative = form.mode === 'generative' ? { steps: form.steps, ...(form.variation ? { deterministic: false, seed: form.seed } : {}) } : {};
  return {
    instruction: form.instruction,
    mode: form.mode,
    fidelity: form.fidelity,
    ...generative,
    ...(faces ? { faces } : {}),
    ...(form.adapter ? { adapter: form.adapter } : {}),
  };
}

/** The analysed faces as boxes relative to the photo (0..1), each with whether it will be restored. */
export function faceChoices(analysis: Analysis | null, faceOn: readonly boolean[]): FaceChoice[] {
  if (!analysis) return [];
  return analysis.faces.map((f, i) => ({ x: f.x / analysis.width, y: f.y / analysis.height, w: f.w / analysis.width, h: f.h / analysis.height, on: faceOn[i] ?? true }));
}

/** The instruction as understood, without the tokens that only restate the defaults ("noise: normal"), for the chips under a preview. */
export function understoodTokens(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !/:(off|normal|all|free|keep|fix|remove)$/.test(t) || /^(grain|colour|cast):/.test(t));
}
