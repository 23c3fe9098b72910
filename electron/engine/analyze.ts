/**
 * Photo analysis for the Restore panel: what damage the photo shows (the cue
 * encoder's estimate when models are installed, a classical estimate
 * otherwise), how much of it the damage detector marks by kind, where the
 * faces are, and instructions to suggest.
 */
import path from 'node:path';
import type { Result } from '../shared/contract/index.js';
import { MAX_DESCRIBED_FACES, type FaceBox } from '../shared/contract/engine.js';
import { RestoreSettings } from '../shared/recipe.js';
import { readImageHeader } from './pipeline/image-io.js';
import { uprightView } from './pipeline/upright-view.js';
import type { PhotoFacesResult } from './faces/photo-faces.js';
import type { Face } from './types.js';
import { estimateDamage } from './analysis/heuristics.js';
import { suggestInstructions } from './analysis/suggest.js';
import type { LoadedModel, SessionCache } from './session-cache.js';
import { loadIntegrator, type ModelSet } from './model-restorer.js';
import { toUnitFloat } from './pipeline/image-buffer.js';
import { detectDamage } from './damage/detector.js';
import { damageSummary } from './damage/mask.js';

const ANALYSIS_SIDE = 1024;

export interface FaceFinder {
  /** The faces of a photo file, in its upright pixels (with their identity descriptors when asked). */
  find(file: string, opts?: { descriptors?: boolean }): Promise<PhotoFacesResult>;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** A face as the contract gives it: box, score, the 5 alignment landmarks and the descriptor when there is one. */
export function faceBox(f: Face, descriptor?: number[]): FaceBox {
  return { ...f.box, score: f.score, landmarks: f.landmarks5.map(([x, y]) => [round1(x), round1(y)] as [number, number]), ...(descriptor ? { descriptor } : {}) };
}

/** The faces of a search as the contract gives them, the first MAX_DESCRIBED_FACES with descriptors when the search has them. */
export function faceBoxes(r: PhotoFacesResult, max = 500): FaceBox[] {
  return r.faces.slice(0, max).map((f, i) => faceBox(f, i < MAX_DESCRIBED_FACES ? r.descriptors?.[i] : undefined));
}

export async function analyzeFile(
  input: string,
  deps: { sessions: SessionCache; models: ModelSet | null; faces: FaceFinder | null; damage?: (() => Promise<LoadedModel>) | null; descriptors?: boolean },
): Promise<Result<'engine.analyze'>> {
  const t0 = performance.now();
  const name = path.basename(input);
  const { meta, seconds } = await readImageHeader(name, input);
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const { rgb8, width: aw, height: ah } = await uprightView(input, name, ANALYSIS_SIDE, seconds);
  const info = { width: aw, height: ah };
  const rgb = toUnitFloat(rgb8);

  const notes: string[] = [];
  let severity: Record<string, number> = estimateDamage(rgb, info.width, info.height);
  let source: 'model' | 'heuristic' = 'heuristic';
  if (deps.models) {
    try {
      const { integrator } = await loadIntegrator(deps.sessions, deps.models, RestoreSettings.parse({}));
      const u = await integrator.understand(rgb, info.width, info.height, '');
      severity = { ...severity, ...u.severity };
      source = 'model';
    } catch (err) {
      notes.push(`The damage model could not run (${(err as Error).message}); using the classical estimate.`);
    }
  }
  for (const k of Object.keys(severity)) severity[k] = Math.min(1, Math.max(0, Math.round(severity[k]! * 1000) / 1000));

  let damageArea: Record<string, number> | undefined;
  if (deps.damage) {
    try {
      damageArea = damageSummary(await detectDamage(await deps.damage(), rgb8, info.width, info.height));
    } catch (err) {
      notes.push(`The damage detector could not run: ${(err as Error).message.slice(0, 200)}`);
    }
  }

  let faces: Result<'engine.analyze'>['faces'] = [];
  let facesDetected = false;
  if (deps.faces) {
    try {
      faces = faceBoxes(await deps.faces.find(input, { descriptors: deps.descriptors === true }));
      facesDetected = true;
    } catch (err) {
      notes.push(`Face detection failed: ${(err as Error).message}`);
    }
  } else notes.push('Face detection is not available in this build.');

  return {
    width,
    height,
    severity,
    source,
    suggestions: suggestInstructions(severity, faces.length),
    faces,
    facesDetected,
    notes,
    seconds: (performance.now() - t0) / 1000,
    ...(damageArea ? { damageArea } : {}),
  };
}
