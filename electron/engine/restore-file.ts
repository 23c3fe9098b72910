/**
 * One file in, one restored file out: decode → plan tiles → restore each tile
 * → blend → encode. The per-tile restorer is a strategy so the ONNX models
 * and the classical baseline share the pipeline, its progress and its
 * cancellation points.
 */
import type { HandlerContext } from '../node/worker-runtime.js';
import type { ParsedParams, Result } from '../shared/contract/index.js';
import { RestoreSettings, type Recipe, type ResolvedRestoreSettings } from '../shared/recipe.js';
import { decodeImage, encodeImage, type DecodedImage } from './pipeline/image-io.js';
import { classicalRestore } from './pipeline/classical.js';
import type { Region } from '../shared/contract/engine.js';
import { planInstruction } from '../shared/instructions/plan.js';
import { fullReadings, passSteering, steeringRecord, type PassSteering } from './steering/readings.js';
import { describePlan, measureNoise, steerPlan } from './steering/steer.js';
import { steeredRestorer } from './steering/steered-restorer.js';
import type { SlotSettings } from '../shared/instructions/slots.js';
import { chosenFaces, keepOriginalFaces, restoreFaces, saveFaceRegions, type Face } from './face-stage.js';
import { readRegion } from './pipeline/image-buffer.js';
import { toneThumbnail } from './semantic/tone.js';
import { restoreInBands } from './pipeline/band-restore.js';
import { planTiles } from './pipeline/tile-plan.js';
import { generativePlan, type GenerativePlan } from './generative/seed.js';
import type { GenerativeInfo } from './generative/refiner.js';

/** The part of a decoded image inside a relative region (at least 1×1 pixel). */
export function cropImage(img: DecodedImage, r: Region): DecodedImage {
  const x0 = Math.min(img.width - 1, Math.floor(r.x * img.width));
  const y0 = Math.min(img.height - 1, Math.floor(r.y * img.height));
  const w = Math.max(1, Math.min(img.width - x0, Math.round(r.w * img.width)));
  const h = Math.max(1, Math.min(img.height - y0, Math.round(r.h * img.height)));
  const rgb8 = new Uint8Array(w * h * 3);
  const alpha = img.alpha ? new Uint8Array(w * h) : null;
  for (let y = 0; y < h; y++) {
    rgb8.set(img.rgb8.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + w) * 3), y * w * 3);
    if (alpha && img.alpha) alpha.set(img.alpha.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  }
  return { ...img, width: w, height: h, rgb8, alpha };
}

/** What the models read of the photo before restoring it: a float copy of its middle, enough for the
 * cue encoder's central crop, and a small copy of all of it for the tone model (made on first use). */
function cueView(img: DecodedImage): PhotoView {
  const w = Math.min(img.width, 1024), h = Math.min(img.height, 1024);
  const x = Math.floor((img.width - w) / 2), y = Math.floor((img.height - h) / 2);
  const thumbs = new Map<number, Float32Array>();
  const thumb = (size: number) => thumbs.get(size) ?? thumbs.set(size, toneThumbnail(img.rgb8, img.width, img.height, size)).get(size)!;
  return { rgb: readRegion(img.rgb8, img.width, { x, y, w, h }), width: w, height: h, thumb };
}

export interface PhotoView {
  rgb: Float32Array;
  width: number;
  height: number;
  /** The whole photo as size×size HWC floats (the tone model's view). */
  thumb?: (size: number) => Float32Array;
}

export const ENGINE_VERSION = '0.1.0';

/** Where a tile sits and how to report on it (generative mode: position-dependent noise, a hook per step). */
export interface TileCall {
  x?: number;
  y?: number;
  /** Mixed into the seed so separate crops (faces) get different noise. */
  salt?: number;
  /** After each sampler step: progress, and where a cancel takes effect. */
  onStep?(done: number, total: number): Promise<void> | void;
}

export interface TileRestorer {
  models: Recipe['models'];
  semanticTokens: string[];
  provider: string;
  tileSize: number;
  overlap: number;
  /** Sampler steps each tile takes (generative mode), for progress. */
  stepsPerTile?: number;
  /** Set when tiles are refined by the generative model. */
  generative?: GenerativeInfo;
  restoreTile(rgb: Float32Array, w: number, h: number, call?: TileCall): Promise<Float32Array>;
}

export function classicalRestorer(): TileRestorer {
  return {
    models: [{ id: 'classical-median-unsharp', version: '1', sha256: '' }],
    semanticTokens: [],
    provider: 'cpu',
    tileSize: 256,
    overlap: 8,
    restoreTile: async (rgb, w, h) => classicalRestore(rgb, w, h, 3),
  };
}

export type PickRestorer = (
  settings: ResolvedRestoreSettings,
  image: PhotoView,
  /** Generative mode's seed and settings; null in fast mode. */
  plan: GenerativePlan | null,
  /** What this pass is told: the instruction as the parser read it, with the user's edits. */
  steering?: PassSteering,
) => Promise<TileRestorer & { notices?: string[]; understanding?: { severity: Record<string, number>; values: Record<string, string> }; tone?: Float32Array | null; toneDecision?: { actions: string[]; because: string[] }; restorerTokens?: string[] | null }>;

export interface FaceTools {
  find(rgb8: Uint8Array, width: number, height: number): Promise<Face[]>;
}

export async function restoreFile(
  params: ParsedParams<'engine.restoreFile'>,
  ctx: HandlerContext,
  pickRestorer: PickRestorer,
  faceTools: FaceTools | null = null,
): Promise<Result<'engine.restoreFile'>> {
  const settings = RestoreSettings.parse(params.settings);
  // One reading of the words (and the user's edits) for every stage: parser → settings per pass.
  const steer = planInstruction(settings.instruction, settings.set ?? {});
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const notices: string[] = [];
  const lap = (name: string, since: number) => (timings[name] = (performance.now() - since) / 1000);

  ctx.progress({ stage: 'decode', fraction: 0.01, message: 'Reading the photo' });
  let t = performance.now();
  const full = await decodeImage(params.input);
  const img = params.region ? cropImage(full, params.region) : full;
  lap('decode', t);
  // The seed comes from the photo as decoded, before any pass changes its pixels.
  const plan = settings.mode === 'generative' ? generativePlan(img.rgb8, img.width, img.height, settings, params.region ?? null) : null;
  if (params.region && params.beforeOutput) {
    await encodeImage(params.beforeOutput, img, { software: `Restora ${ENGINE_VERSION}` });
  }
  ctx.throwIfCancelled();

  // Faces first: the instruction's face part and scope decide what happens to them.
  let faces: Face[] = [];
  const wantFaces = faceTools && (settings.faces === undefined || settings.faces.length > 0);
  if (wantFaces) {
    t = performance.now();
    ctx.progress({ stage: 'faces', fraction: 0.02, message: 'Looking for faces' });
    try {
      faces = chosenFaces(await faceTools.find(img.rgb8, img.width, img.height), settings);
    } catch (err) {
      notices.push(`Face detection failed (${(err as Error).message}); the whole photo was restored as one.`);
    }
    lap('faces', t);
    ctx.throwIfCancelled();
  }
  const askedScope = (steer.stated.global.scope?.value ?? 'all') as 'all' | 'faces' | 'background';
  const faceScope = faces.length > 0 ? askedScope : 'all';
  if (askedScope !== 'all' && faces.length === 0 && wantFaces) notices.push(`No faces were found, so “${askedScope === 'faces' ? 'only the faces' : 'only the background'}” could not apply: the whole photo was restored.`);

  t = performance.now();
  ctx.progress({ stage: 'understand', fraction: 0.04, message: 'Reading the instruction and the photo' });
  const view = cueView(img);
  // The photo's noise, measured once: the explicit operations' thresholds scale with it on every tile.
  const levels = measureNoise(view.rgb, view.width, view.height);
  const globalPass = passSteering(steer, 'global');
  const picked = await pickRestorer(settings, view, plan, globalPass);
  const decoded = picked.understanding?.values ?? {};
  const readings: { all: SlotSettings; faces?: SlotSettings } = { all: fullReadings(globalPass.stated, decoded, picked.toneDecision) };
  const globalSteer = steerPlan(readings.all, decoded, levels);
  const restorer = steeredRestorer(picked, globalSteer, picked.tone, 'photo');
  lap('understand', t);
  ctx.throwIfCancelled();

  // Originals around the faces, before the global pass overwrites the photo in place.
  const saved = saveFaceRegions(img.rgb8, img.width, img.height, faces);
  const rgb8 = img.rgb8;
  t = performance.now();
  if (faceScope !== 'faces') {
    const tiles = planTiles(img.width, img.height, restorer.tileSize, restorer.overlap).length;
    const steps = restorer.stepsPerTile ?? 0;
    let tilesDone = 0;
    const report = async (stepsDone: number) => {
      ctx.throwIfCancelled();
      const fraction = (tilesDone + (steps ? stepsDone / (steps + 1) : 0)) / tiles;
      const message = steps && stepsDone ? `Tile ${tilesDone + 1} of ${tiles}, step ${stepsDone} of ${steps}` : `Tile ${tilesDone} of ${tiles}`;
      ctx.progress({ stage: 'restore', fraction: 0.05 + 0.75 * fraction, message, data: { tile: tilesDone, tiles, ...(steps ? { step: stepsDone, steps } : {}) } });
      // Let cancel messages in between tiles and sampler steps.
      await new Promise((r) => setImmediate(r));
    };
    await restoreInBands(rgb8, img.width, img.height, {
      tileSize: restorer.tileSize,
      overlap: restorer.overlap,
      restoreTile: (tile, w, h, at) => restorer.restoreTile(tile, w, h, { x: at.x, y: at.y, onStep: (done) => report(done) }),
      onTile: async (done) => {
        tilesDone = done;
        await report(0);
      },
    });
  }
  lap('restore', t);
  ctx.throwIfCancelled();

  let faceRestorer: (TileRestorer & { notices?: string[] }) | null = null;
  let faceSteer: ReturnType<typeof steerPlan> | null = null;
  const keepIdentity = steer.stated.global.identity?.value === 'keep';
  if (faces.length > 0) {
    t = performance.now();
    if (faceScope === 'background') {
      keepOriginalFaces(rgb8, img.width, saved);
    } else {
      // The faces' own settings ("sharpen the faces") get their own pass; otherwise the photo's reading is reused.
      const facePass = passSteering(steer, 'faces');
      const fr = steer.facesDiffer ? await pickRestorer(settings, view, plan, facePass) : picked;
      const faceDecoded = fr.understanding?.values ?? decoded;
      if (steer.facesDiffer) readings.faces = fullReadings(facePass.stated, faceDecoded, fr.toneDecision);
      faceSteer = steerPlan(readings.faces ?? readings.all, faceDecoded, levels);
      faceRestorer = steeredRestorer(fr, faceSteer, fr.tone, 'face');
      const steered = faceRestorer;
      let face = 0;
      const perFace: TileRestorer = {
        ...steered,
        // Generative mode: each face gets its own noise, and a cancel takes effect between sampler steps.
        restoreTile: (rgb, w, h) => steered.restoreTile(rgb, w, h, { salt: 0x51ed27 + face++, onStep: () => ctx.throwIfCancelled() }),
      };
      await restoreFaces(rgb8, img.width, saved, perFace, {
        keepIdentity,
        onFace: async (i) => {
          ctx.throwIfCancelled();
          ctx.progress({ stage: 'faces', fraction: 0.8 + 0.12 * ((i + 1) / faces.length), message: `Face ${i + 1} of ${faces.length}` });
          await new Promise((r) => setImmediate(r));
        },
      });
    }
    lap('faces-restore', t);
    ctx.throwIfCancelled();
  }

  ctx.progress({ stage: 'encode', fraction: 0.93, message: 'Writing the result' });
  t = performance.now();
  await encodeImage(params.output, { width: img.width, height: img.height, rgb8, alpha: img.alpha, exif: img.exif }, {
    software: `Restora ${ENGINE_VERSION}`,
    description: `Restored by Restora ${ENGINE_VERSION}${settings.instruction ? `: ${settings.instruction}` : ''}`,
  });
  lap('encode', t);
  const totalSeconds = (performance.now() - t0) / 1000;
  ctx.progress({ stage: 'done', fraction: 1 });

  const allNotices = [...new Set([...notices, ...(restorer.notices ?? []), ...(faceRestorer?.notices ?? [])])];
  const steeringRec = steeringRecord(steer, settings.instruction, readings);
  const recipe: Recipe = {
    engineVersion: ENGINE_VERSION,
    models: restorer.models,
    instruction: settings.instruction,
    semanticTokens: restorer.semanticTokens,
    // What actually ran: generative only when the refiner did.
    mode: restorer.generative ? 'generative' : 'fast',
    fidelity: settings.fidelity,
    seed: restorer.generative ? restorer.generative.seed : (settings.seed ?? null),
    settings: {
      tileSize: restorer.tileSize,
      overlap: restorer.overlap,
      device: settings.device,
      instructionParts: { global: steer.canonical.global, faces: steer.canonical.faces, scope: faceScope, keepFaces: faceScope === 'background', keepIdentity },
      steering: steeringRec,
      steer: { photo: describePlan(globalSteer), ...(faceSteer ? { faces: describePlan(faceSteer) } : {}), noise: { luma: Math.round(levels.luma * 1e5) / 1e5, chroma: Math.round(levels.chroma * 1e5) / 1e5 } },
      faces: faces.map((f) => ({ x: Math.round(f.box.x), y: Math.round(f.box.y), w: Math.round(f.box.w), h: Math.round(f.box.h), score: Math.round(f.score * 1000) / 1000 })),
      ...(faceRestorer && steer.facesDiffer ? { faceSemanticTokens: faceRestorer.semanticTokens } : {}),
      ...(restorer.generative
        ? {
            generative: {
              steps: restorer.generative.steps,
              guidance: restorer.generative.guidance,
              seed: restorer.generative.seed,
              deterministic: restorer.generative.deterministic,
              fidelity: restorer.generative.fidelity,
              startLevel: restorer.generative.startLevel,
              refiner: restorer.generative.model.id,
            },
          }
        : {}),
      ...(restorer.understanding ? { understood: restorer.understanding.values, severity: restorer.understanding.severity } : {}),
      ...(restorer.tone ? { tone: Array.from(restorer.tone, (v) => Math.round(v * 1e4) / 1e4) } : {}),
      ...(restorer.toneDecision ? { toneDecision: { actions: restorer.toneDecision.actions, because: restorer.toneDecision.because } } : {}),
      ...(restorer.restorerTokens ? { restorerTokens: restorer.restorerTokens } : {}),
      ...(allNotices.length ? { notices: allNotices } : {}),
    },
    executionProvider: restorer.provider,
    adapter: settings.adapter ?? null,
    timings,
    totalSeconds,
  };
  return { output: params.output, width: img.width, height: img.height, recipe };
}
