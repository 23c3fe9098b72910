/**
 * The recipe stored with every restored version: what ran (models, mode,
 * provider), how the instruction was read (every setting with its source,
 * the user's edits, the explicit operations that ran), which faces were
 * restored, and how long each stage took. Pure: it only reads what the stages
 * report.
 */
import type { Recipe, ResolvedRestoreSettings } from '../../shared/recipe.js';
import { APP_VERSION } from '../../node/app-version.js';
import type { Understood } from './understand.js';
import { steeringRecord } from '../steering/readings.js';
import { describePlan } from '../steering/steer.js';
import type { RepairReport } from './repair.js';

export interface RecipeInput {
  settings: ResolvedRestoreSettings;
  /** The restorers as they ran (after refine). */
  chosen: Understood;
  /** The pipeline's own notices (the restorers carry theirs). */
  notices: string[];
  timings: Record<string, number>;
  totalSeconds: number;
  /** What the repair stage found and filled (absent: the stage did not run). */
  damage?: RepairReport;
  /** Each restored face's drift from the person (descriptor distance; null: not measured), in the order of chosen.faces. */
  drift?: Array<number | null>;
  /** The faces kept exactly as they were in the original. */
  kept?: Understood['faces'];
}

/**
 * A restored face this far or farther (descriptor distance) from its original may no longer look like
 * the same person: the recipe says "unsure" and the user is warned. The same face restored lightly
 * stays near 0.2; face-api's own same-person threshold is 0.6.
 */
export const DRIFT_UNSURE = 0.45;

/** The identity check of each restored face, as the recipe keeps it and the Restore panel shows it. */
function faceChecks(faces: Understood['faces'], drift: Array<number | null>): Array<{ x: number; y: number; w: number; h: number; distance: number; samePerson: 'likely' | 'unsure' }> {
  return faces.flatMap((f, i) => {
    const d = drift[i];
    if (d === null || d === undefined) return [];
    return [{ x: Math.round(f.box.x), y: Math.round(f.box.y), w: Math.round(f.box.w), h: Math.round(f.box.h), distance: d, samePerson: d < DRIFT_UNSURE ? 'likely' : 'unsure' }];
  });
}

export function buildRecipe({ settings, chosen, notices, timings, totalSeconds, damage, drift = [], kept = [] }: RecipeInput): Recipe {
  const { global: restorer, face: faceRestorer, instruction, faces, scope, keepFaces, keepIdentity, steering } = chosen;
  const gen = restorer.generative;
  const checks = faceChecks(faces, drift);
  const drifted = checks.flatMap((c, i) => (c.samePerson === 'unsure' ? [`Face ${i + 1} may no longer look like the same person (drift ${c.distance.toFixed(2)}); you can keep it as it was.`] : []));
  const allNotices = [...new Set([...notices, ...drifted, ...(restorer.notices ?? []), ...(faceRestorer?.notices ?? [])])];
  return {
    engineVersion: APP_VERSION,
    // The face pass's models too, when it ran another (the face restorer).
    models: faceRestorer && faces.length ? [...restorer.models, ...faceRestorer.models.filter((m) => !restorer.models.some((r) => r.id === m.id && r.sha256 === m.sha256))] : restorer.models,
    instruction: settings.instruction,
    semanticTokens: restorer.semanticTokens,
    // What actually ran: generative only when the refiner did.
    mode: gen ? 'generative' : 'fast',
    fidelity: settings.fidelity,
    seed: gen ? gen.seed : (settings.seed ?? null),
    settings: {
      tileSize: restorer.tileSize,
      overlap: restorer.overlap,
      device: settings.device,
      instructionParts: { global: instruction.canonical.global, faces: instruction.canonical.faces, scope, keepFaces, keepIdentity },
      steering: steeringRecord(instruction, settings.instruction, steering.readings),
      steer: {
        photo: describePlan(steering.photo),
        ...(steering.faces ? { faces: describePlan(steering.faces) } : {}),
        noise: { luma: Math.round(steering.levels.luma * 1e5) / 1e5, chroma: Math.round(steering.levels.chroma * 1e5) / 1e5, grain: steering.levels.grain.map((v) => Math.round(v * 1e5) / 1e5) },
      },
      faces: faces.map((f) => ({ x: Math.round(f.box.x), y: Math.round(f.box.y), w: Math.round(f.box.w), h: Math.round(f.box.h), score: Math.round(f.score * 1000) / 1000 })),
      ...(checks.length ? { faceChecks: checks } : {}),
      ...(kept.length ? { keptFaces: kept.map((f) => ({ x: Math.round(f.box.x), y: Math.round(f.box.y), w: Math.round(f.box.w), h: Math.round(f.box.h) })) } : {}),
      ...(faceRestorer && instruction.facesDiffer ? { faceSemanticTokens: faceRestorer.semanticTokens } : {}),
      ...(gen
        ? {
            generative: {
              steps: gen.steps,
              guidance: gen.guidance,
              seed: gen.seed,
              deterministic: gen.deterministic,
              fidelity: gen.fidelity,
              startLevel: gen.startLevel,
              refiner: gen.model.id,
            },
          }
        : {}),
      ...(restorer.understanding ? { understood: restorer.understanding.values, severity: restorer.understanding.severity } : {}),
      ...(restorer.tone ? { tone: Array.from(restorer.tone, (v) => Math.round(v * 1e4) / 1e4) } : {}),
      ...(restorer.toneDecision ? { toneDecision: { actions: restorer.toneDecision.actions, because: restorer.toneDecision.because } } : {}),
      ...(restorer.restorerTokens ? { restorerTokens: restorer.restorerTokens } : {}),
      ...(damage ? { damage } : {}),
      ...(allNotices.length ? { notices: allNotices } : {}),
    },
    executionProvider: restorer.provider,
    adapter: settings.adapter ?? null,
    timings,
    totalSeconds,
  };
}
