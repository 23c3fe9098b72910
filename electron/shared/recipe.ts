/** The full recipe of a restoration: enough to reproduce it and to show how it was made. */
import { z } from 'zod';
import { SlotEdits } from './instructions/slots.js';
import { Geometry } from './geometry.js';

export const RestoreMode = z.enum(['fast', 'generative']);
export type RestoreMode = z.infer<typeof RestoreMode>;

export const ExecutionDevice = z.enum(['cpu', 'cuda', 'webgpu', 'dml', 'coreml']);
export type ExecutionDevice = z.infer<typeof ExecutionDevice>;

/** Longest instruction accepted; longer text is refused with a clear message, not truncated silently. */
export const MAX_INSTRUCTION_CHARS = 16_384;

export const Instruction = z.string().max(MAX_INSTRUCTION_CHARS, `Instructions are limited to ${MAX_INSTRUCTION_CHARS} characters`);

/** Generative defaults: few steps keep a 512² photo within seconds on a CPU. */
export const DEFAULT_STEPS = 4;
export const MAX_STEPS = 32;
export const DEFAULT_GUIDANCE = 1.5;

export const RestoreSettings = z.object({
  instruction: Instruction.default(''),
  mode: RestoreMode.default('fast'),
  /** 0 = most generated detail, 1 = closest to the input (generative mode: 1 = the fast result). */
  fidelity: z
    .number({ error: 'Fidelity must be a number between 0 and 1' })
    .min(0, 'Fidelity must be between 0 (most detail) and 1 (closest to the input)')
    .max(1, 'Fidelity must be between 0 (most detail) and 1 (closest to the input)')
    .default(0.7),
  /** Generative mode: the noise seed for stochastic runs (variations); deterministic runs derive theirs. */
  seed: z
    .number({ error: 'The seed must be a whole number' })
    .int('The seed must be a whole number')
    .min(0, `The seed must be between 0 and ${2 ** 32 - 1}`)
    .max(2 ** 32 - 1, `The seed must be between 0 and ${2 ** 32 - 1}`)
    .optional(),
  /** Generative mode: denoising steps of the refiner (more = slower, rarely better past 8). */
  steps: z
    .number({ error: 'Steps must be a whole number from 1 to 32' })
    .int('Steps must be a whole number from 1 to 32')
    .min(1, 'Steps must be a whole number from 1 to 32')
    .max(MAX_STEPS, 'Steps must be a whole number from 1 to 32')
    .default(DEFAULT_STEPS),
  /** Generative mode: classifier-free guidance weight on the instruction/semantics (1 = none, 0 = ignore them). */
  guidance: z
    .number({ error: 'Guidance must be a number from 0 to 10' })
    .min(0, 'Guidance must be from 0 to 10 (1 = no guidance)')
    .max(10, 'Guidance must be from 0 to 10 (1 = no guidance)')
    .default(DEFAULT_GUIDANCE),
  /** Generative mode: true (default) = same photo + settings → bit-identical result; false = a variation from `seed`. */
  deterministic: z.boolean().default(true),
  device: ExecutionDevice.default('cpu'),
  adapter: z.string().max(100).optional(),
  /**
   * Which detected faces to restore, as boxes in image pixels (from the analysis).
   * Absent: every face found. Empty: no face restoration.
   */
  faces: z.array(z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() })).max(500).optional(),
  /**
   * Settings the user set over what the instruction says (chips in the Restore panel, `--set`):
   * "grain" → "keep", "faces.sharpness" → "crisp". See electron/shared/instructions/slots.ts.
   */
  set: SlotEdits.optional(),
  /**
   * Faces to keep exactly as they are in the original, as boxes in image pixels (the identity check's
   * "keep it as it was"): their original pixels go back over the restored photo.
   */
  keepFaces: z.array(z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() })).max(500).optional(),
  /** Crop, quarter turns and straightening, applied to the photo before it is restored (non-destructive: the original stays). */
  geometry: Geometry.optional(),
  /** Find and repair scratches, dust, stains and tears before restoring (when a damage detector is installed). */
  repair: z.boolean().default(true),
});
export type RestoreSettings = z.input<typeof RestoreSettings>;
export type ResolvedRestoreSettings = z.output<typeof RestoreSettings>;

export const ModelRef = z.object({ id: z.string().max(100), version: z.string().max(40), sha256: z.string().max(64) });

export const Recipe = z.object({
  engineVersion: z.string().max(40),
  models: z.array(ModelRef).max(20),
  instruction: z.string().max(MAX_INSTRUCTION_CHARS),
  semanticTokens: z.array(z.string().max(64)).max(64),
  mode: RestoreMode,
  fidelity: z.number(),
  seed: z.number().int().nullable(),
  settings: z.record(z.string(), z.unknown()),
  executionProvider: z.string().max(40),
  adapter: z.string().max(100).nullable(),
  timings: z.record(z.string(), z.number()),
  totalSeconds: z.number(),
});
export type Recipe = z.infer<typeof Recipe>;

/**
 * The file name of the repair mask a version keeps beside its image (settings.damage.mask), or null.
 * Only a plain name ending .mask.png counts: a recipe is data, not a path to trust.
 */
export function recipeMaskName(settings: Record<string, unknown> | undefined): string | null {
  const name = (settings?.damage as { mask?: unknown } | undefined)?.mask;
  return typeof name === 'string' && /^[\w.-]+\.mask\.png$/.test(name) ? name : null;
}

/**
 * The settings that made a version, to run them again (re-run, apply to other
 * photos, `restora restore --recipe`). Versions record what was asked
 * (`settings.requested`); for older ones it is rebuilt from what was recorded.
 */
export function settingsFromRecipe(recipe: Recipe): ResolvedRestoreSettings {
  const requested = RestoreSettings.safeParse(recipe.settings.requested);
  if (requested.success) return requested.data;
  const gen = (recipe.settings.generative ?? {}) as { steps?: unknown; guidance?: unknown; deterministic?: unknown };
  const rebuilt = RestoreSettings.safeParse({
    instruction: recipe.instruction,
    mode: recipe.mode,
    fidelity: recipe.fidelity,
    ...(typeof gen.steps === 'number' ? { steps: gen.steps } : {}),
    ...(typeof gen.guidance === 'number' ? { guidance: gen.guidance } : {}),
    ...(gen.deterministic === false && recipe.seed !== null ? { deterministic: false, seed: recipe.seed } : {}),
    ...(typeof recipe.settings.device === 'string' ? { device: recipe.settings.device } : {}),
    ...(recipe.adapter ? { adapter: recipe.adapter } : {}),
    ...(recipe.settings.geometry ? { geometry: recipe.settings.geometry } : {}),
  });
  return rebuilt.success ? rebuilt.data : RestoreSettings.parse({ instruction: recipe.instruction });
}
