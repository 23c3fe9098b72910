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
import { splitInstruction } from './semantic/instruction-split.js';
import { chosenFaces, keepOriginalFaces, restoreFaces, saveFaceRegions, type Face } from './face-stage.js';
import { readRegion } from './pipeline/image-buffer.js';
import { toneThumbnail } from './semantic/tone.js';
import { restoreInBands } from './pipeline/band-restore.js';
import { planTiles } from './pipeline/tile-plan.js';
import { generativePlan, type GenerativePlan } from './generative/seed.js';
import type { GenerativeInfo } from './generative/refiner.js';
import { APP_NAME, APP_VERSION } from '../node/app-version.js';

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
) => Promise<TileRestorer & { notices?: string[]; understanding?: { severity: Record<string, number>; values: Record<string, string> }; tone?: Float32Array | null; restorerTokens?: string[] | null }>;

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
  const split = splitInstruction(settings.instruction);
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
    await encodeImage(params.beforeOutput, img, { software: `${APP_NAME} ${APP_VERSION}` });
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
  const faceScope = faces.length > 0 ? split.scope : 'all';

  t = performance.now();
  ctx.progress({ stage: 'understand', fraction: 0.04, message: 'Reading the instruction and the photo' });
  // The global part steers the whole photo; with no global words, the image's own cues decide.
  const globalText = faces.length > 0 ? split.global : settings.instruction;
  const view = cueView(img);
  const restorer = await pickRestorer({ ...settings, instruction: globalText }, view, plan);
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
  if (faces.length > 0) {
    t = performance.now();
    if (split.keepFaces || faceScope === 'background') {
      keepOriginalFaces(rgb8, img.width, saved);
    } else {
      const faceText = split.faces || split.global;
      faceRestorer = faceText === globalText ? restorer : await pickRestorer({ ...settings, instruction: faceText }, view, plan);
      const fr = faceRestorer;
      let face = 0;
      const perFace: TileRestorer = {
        ...fr,
        // Generative mode: each face gets its own noise, and a cancel takes effect between sampler steps.
        restoreTile: (rgb, w, h) => fr.restoreTile(rgb, w, h, { salt: 0x51ed27 + face++, onStep: () => ctx.throwIfCancelled() }),
      };
      await restoreFaces(rgb8, img.width, saved, perFace, {
        keepIdentity: split.keepIdentity,
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
    software: `${APP_NAME} ${APP_VERSION}`,
    description: `Restored by ${APP_NAME} ${APP_VERSION}${settings.instruction ? `: ${settings.instruction}` : ''}`,
  });
  lap('encode', t);
  const totalSeconds = (performance.now() - t0) / 1000;
  ctx.progress({ stage: 'done', fraction: 1 });

  const allNotices = [...new Set([...notices, ...(restorer.notices ?? []), ...(faceRestorer?.notices ?? [])])];
  const recipe: Recipe = {
    engineVersion: APP_VERSION,
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
      instructionParts: { global: split.global, faces: split.faces, scope: faceScope, keepFaces: split.keepFaces, keepIdentity: split.keepIdentity },
      faces: faces.map((f) => ({ x: Math.round(f.box.x), y: Math.round(f.box.y), w: Math.round(f.box.w), h: Math.round(f.box.h), score: Math.round(f.score * 1000) / 1000 })),
      ...(faceRestorer && faceRestorer !== restorer ? { faceSemanticTokens: faceRestorer.semanticTokens } : {}),
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
