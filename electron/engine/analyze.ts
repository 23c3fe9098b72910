/**
 * Photo analysis for the Restore panel: what damage the photo shows (the cue
 * encoder's estimate when models are installed, a classical estimate
 * otherwise), how much of it the damage detector marks by kind, where the
 * faces are, and instructions to suggest.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { Result } from '../shared/contract/index.js';
import type { FaceBox } from '../shared/contract/engine.js';
import { RestoreSettings } from '../shared/recipe.js';
import { MAX_INPUT_PIXELS, readImageHeader } from './pipeline/image-io.js';
import { describeDecodeError, strictly } from '../node/strict-decode.js';
import { estimateDamage } from './analysis/heuristics.js';
import { suggestInstructions } from './analysis/suggest.js';
import type { LoadedModel, SessionCache } from './session-cache.js';
import { loadIntegrator, type ModelSet } from './model-restorer.js';
import { toUnitFloat } from './pipeline/image-buffer.js';
import { detectDamage } from './damage/detector.js';
import { damageSummary } from './damage/mask.js';

const ANALYSIS_SIDE = 1024;
/** Faces are searched on a copy at most this long (small faces in big group photos need the pixels). */
const FACE_SIDE = 2048;

export interface FaceFinder {
  /** `rgb`: HWC RGB 0..1. Boxes and landmarks in that image's pixels. */
  detect(rgb: Float32Array, w: number, h: number): Promise<FaceBox[]>;
}

/** The photo upright, sRGB, at most `side` long, as 8-bit HWC RGB; refused (clearly) when its data is broken. */
async function decodeRgb(input: string, name: string, side: number, seconds: number): Promise<{ rgb8: Uint8Array; width: number; height: number }> {
  const { data, info } = await strictly((failOn) =>
    sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn })
      .timeout({ seconds })
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  ).catch((err) => {
    throw describeDecodeError(name, err);
  });
  const rgb8 = new Uint8Array(info.width * info.height * 3);
  for (let p = 0; p < info.width * info.height; p++) for (let c = 0; c < 3; c++) rgb8[p * 3 + c] = data[p * info.channels + Math.min(c, info.channels - 1)]!;
  return { rgb8, width: info.width, height: info.height };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** A face found in a downscaled copy, in the photo's pixels. */
function scaleFace(f: FaceBox, k: number): FaceBox {
  return {
    x: round1(f.x * k),
    y: round1(f.y * k),
    w: round1(f.w * k),
    h: round1(f.h * k),
    score: Math.round(f.score * 1000) / 1000,
    ...(f.landmarks ? { landmarks: f.landmarks.map(([x, y]) => [round1(x * k), round1(y * k)] as [number, number]) } : {}),
  };
}

export async function analyzeFile(
  input: string,
  deps: { sessions: SessionCache; models: ModelSet | null; faces: FaceFinder | null; damage?: (() => Promise<LoadedModel>) | null },
): Promise<Result<'engine.analyze'>> {
  const t0 = performance.now();
  const name = path.basename(input);
  const { meta, seconds } = await readImageHeader(name, input);
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const { rgb8, width: aw, height: ah } = await decodeRgb(input, name, ANALYSIS_SIDE, seconds);
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
      const view = Math.max(width, height) > ANALYSIS_SIDE ? await decodeRgb(input, name, FACE_SIDE, seconds) : { rgb8, width: info.width, height: info.height };
      const found = await deps.faces.detect(toUnitFloat(view.rgb8), view.width, view.height);
      faces = found.slice(0, 500).map((f) => scaleFace(f, width / view.width));
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
