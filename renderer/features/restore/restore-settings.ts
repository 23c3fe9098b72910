/**
 * What the Restore panel's controls mean to the engine, as pure functions:
 * the form's values become the contract's RestoreSettings, and the faces the
 * analysis found become boxes to show and, when some are switched off, the
 * faces to restore. Kept free of React so each rule can be tested alone.
 */
import type { Analysis } from '../../../electron/shared/contract/engine.js';
import { DEFAULT_STEPS, type RestoreSettings } from '../../../electron/shared/recipe.js';
import { SLOT_LABELS, SLOT_NAMES, SLOT_VALUES, VALUE_HELP, REGIONAL_SLOTS, type SlotName, type SteeringRecord } from '../../../electron/shared/instructions/slots.js';
import type { FaceChoice } from './RegionPicker.js';
import { isIdentity, outputSize, shapedBox, type ResolvedGeometry } from '../../../electron/shared/geometry.js';

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
  /** Settings changed on the chips, over what the instruction says ("grain" → "keep", "faces.sharpness" → "crisp"). */
  set: Record<string, string>;
}

export const DEFAULT_FORM: RestoreForm = { instruction: '', mode: 'fast', fidelity: 0.7, adapter: '', steps: DEFAULT_STEPS, variation: false, seed: 1, set: {} };

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
export function chosenFaces(analysis: Analysis | null, faceOn: readonly boolean[], batch: boolean, geometry?: ResolvedGeometry): Box[] | undefined {
  if (!analysis || batch || !faceOn.some((on) => !on)) return undefined;
  const chosen = analysis.faces.filter((_, i) => faceOn[i]).map(({ x, y, w, h }) => ({ x, y, w, h }));
  if (!geometry || isIdentity(geometry)) return chosen;
  // Cropped or turned: the engine finds faces on that picture, so the choice is said in its pixels.
  const size = { width: analysis.width, height: analysis.height };
  return chosen.flatMap((b) => shapedBox(size, geometry, b) ?? []);
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
    ...(Object.keys(form.set).length ? { set: form.set } : {}),
  };
}

/** One setting as a chip: where it came from, and the values a click can choose. */
export interface SettingChip {
  /** The edit key: "grain", or "faces.sharpness" for the faces' own setting. */
  key: string;
  slot: SlotName;
  label: string;
  value: string;
  source: string;
  /** Why it has this value (the phrase, or what the photo showed), and what the value does. */
  title: string;
  values: readonly string[];
}

const SOURCE_WORDS: Record<string, string> = { words: 'from your words', implied: 'implied by your words', learned: 'read from your words by the learned reader', edit: 'set by you', photo: 'decided from the photo', default: 'default' };

/**
 * Every understood setting of the whole photo as a chip, then the faces' settings that differ. A slot
 * the engine did not report (an older engine) is left out rather than guessed.
 */
export function settingChips(understood: SteeringRecord): SettingChip[] {
  const chips: SettingChip[] = [];
  const add = (region: 'all' | 'faces', slot: SlotName, r: { value: string; source: string; because?: string | undefined }) => {
    const help = (VALUE_HELP[slot] as Record<string, string>)[r.value] ?? '';
    const why = r.because ? (r.source === 'words' || r.source === 'implied' ? `“${r.because}”` : r.because) : '';
    chips.push({
      key: region === 'all' ? slot : `faces.${slot}`,
      slot,
      label: region === 'all' ? SLOT_LABELS[slot] : `Faces: ${SLOT_LABELS[slot].toLowerCase()}`,
      value: r.value,
      source: r.source,
      title: [SOURCE_WORDS[r.source] ?? r.source, why, help].filter(Boolean).join(' — '),
      // A numeric strength (the slider's) is offered beside the named steps so the menu shows it.
      values: slot === 'strength' && !(SLOT_VALUES.strength as readonly string[]).includes(r.value) ? [...SLOT_VALUES.strength, r.value] : SLOT_VALUES[slot],
    });
  };
  const all = understood.regions.all ?? {};
  for (const slot of SLOT_NAMES) if (all[slot]) add('all', slot, all[slot]!);
  const faces = understood.regions.faces ?? {};
  for (const slot of REGIONAL_SLOTS) {
    const f = faces[slot];
    if (f && (f.value !== all[slot]?.value || f.source === 'edit')) add('faces', slot, f);
  }
  return chips;
}

/** The analysed faces as boxes relative to the photo (0..1), each with whether it will be restored. */
export function faceChoices(analysis: Analysis | null, faceOn: readonly boolean[], geometry?: ResolvedGeometry): FaceChoice[] {
  if (!analysis) return [];
  const size = { width: analysis.width, height: analysis.height };
  if (!geometry || isIdentity(geometry)) return analysis.faces.map((f, i) => ({ x: f.x / size.width, y: f.y / size.height, w: f.w / size.width, h: f.h / size.height, on: faceOn[i] ?? true }));
  // Over the cropped, turned picture: where each face is there; a face cropped away is not shown (its number stays its own).
  const out = outputSize(size, geometry);
  return analysis.faces.map((f, i) => {
    const b = shapedBox(size, geometry, f);
    return b ? { x: b.x / out.width, y: b.y / out.height, w: b.w / out.width, h: b.h / out.height, on: faceOn[i] ?? true } : { x: 0, y: 0, w: 0, h: 0, on: faceOn[i] ?? true, outside: true };
  });
}

/** The integrator's tokens without those that only restate the defaults ("noise: normal"), for an engine that reports no settings. */
export function understoodTokens(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !/:(off|normal|all|free|keep|fix|remove)$/.test(t) || /^(grain|colour|cast):/.test(t));
}
