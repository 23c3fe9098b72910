/**
 * The engine's shared vocabulary: image and geometry types, and what the
 * restore pipeline's stages and tile strategies hand each other. A leaf
 * module (it imports only types, and nothing from the engine), so any engine
 * module may use it without making an import cycle.
 */
import type { Recipe, ResolvedRestoreSettings } from '../shared/recipe.js';
import type { HandlerContext } from '../node/worker-runtime.js';
import type { Pass } from '../shared/instructions/plan.js';
import type { SlotSettings } from '../shared/instructions/slots.js';
import type { LoadedModel } from './session-cache.js';

/** A point in image pixels, [x, y]. */
export type Point = [number, number];

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An HWC RGB float image in 0..1. */
export interface RgbImage {
  rgb: Float32Array;
  width: number;
  height: number;
}

/** A detected face, in the pixel coordinates of the image it was found in. */
export interface Face {
  /** Detector box in image pixels (may extend past the edges for faces cut by the border). */
  box: Rect;
  /** Detector confidence, 0..1. */
  score: number;
  /** iBUG 68-point landmarks in image pixels. */
  landmarks68: Point[];
  /** Left eye centre, right eye centre, nose tip, left and right mouth corner (image left/right). */
  landmarks5: Point[];
  /** 128-d identity embedding (face-api recognition net) when asked for. */
  descriptor?: Float32Array;
}

/** What the models read of the photo before restoring it. */
export interface PhotoView {
  rgb: Float32Array;
  width: number;
  height: number;
  /** The whole photo as size×size HWC floats (the tone model's view). */
  thumb?: (size: number) => Float32Array;
}

/** Generative mode's noise and sampler settings for one photo. */
export interface GenerativePlan {
  seed: number;
  deterministic: boolean;
  steps: number;
  guidance: number;
  fidelity: number;
}

/** What the refiner ran with, for the recipe. */
export interface GenerativeInfo extends GenerativePlan {
  model: { id: string; version: string; sha256: string };
  startLevel: number;
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

/** The [K, dq] latent queries that steer a learned restorer, and the refiner behind it. */
export interface Queries {
  data: Float32Array;
  K: number;
  dq: number;
}

/**
 * How each tile (and each aligned face crop) is restored: the ONNX models, the
 * classical baseline, or either of those behind the generative refiner. The
 * pipeline's progress and cancellation points are the same for all of them.
 */
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

/** The restorer chosen for one instruction, with what it understood and what the user should be told. */
export interface PickedRestorer extends TileRestorer {
  notices?: string[];
  understanding?: { severity: Record<string, number>; values: Record<string, string> };
  tone?: Float32Array | null;
  /** What the tone stage did with the photo's colour and why (semantic/tone-policy.ts). */
  toneDecision?: { actions: string[]; because: string[] };
  restorerTokens?: string[] | null;
  /** A learned restorer's queries (the refiner is steered by them); absent on the classical one. */
  queries?: Queries;
  /** The faces' restorer for the same reading of the photo, when a face restorer is installed. */
  forFaces?: () => Promise<PickedRestorer>;
}

/** What one pass of the pipeline (the whole photo, or the faces) is told: the instruction as the parser read it. */
export interface PassSteering {
  pass: Pass;
  stated: SlotSettings;
  /** The sentence the integrator reads instead of the raw words. */
  canonical: string;
  /** Integrator slot values fixed from what was stated. */
  force: Record<string, string>;
  /**
   * What the restorer's queries are decoded from instead, when the repair stage or the explicit "leave"
   * operation owns the physical damage stated (shared/instructions/plan.ts restorerSteering).
   */
  restorer?: { stated: SlotSettings; canonical: string; force: Record<string, string> };
}

/** What the pipeline needs from the engine worker: how to choose a restorer, the refiner, the face detector. */
export interface PipelineTools {
  /**
   * The restorer for one pass (the whole photo, or the faces'): `steering` is the instruction as the
   * parser read it for that pass, with the user's edits; without it the models read the raw words.
   * `role` 'faces': the restorer for the aligned face crops (the face restorer, when one is installed).
   */
  pickRestorer(settings: ResolvedRestoreSettings, image: PhotoView, steering?: PassSteering, role?: 'photo' | 'faces'): Promise<PickedRestorer>;
  /** Puts the generative refiner behind a learned restorer; absent when none is installed. */
  addRefiner?(restorer: PickedRestorer & { queries: Queries }, plan: GenerativePlan, settings: ResolvedRestoreSettings): Promise<PickedRestorer>;
  /**
   * The faces of a photo file (the restore's input) in its upright pixels, as the analysis finds them
   * (faces/photo-faces.ts); absent where face detection is unavailable.
   */
  findFaces?(file: string): Promise<{ width: number; height: number; faces: Face[] }>;
  /**
   * The 128-d identity descriptor of an aligned face crop (size² HWC RGB 0..1, the FFHQ template's
   * layout), to measure how far a restored face drifted from the person; absent where unavailable.
   */
  describeFace?(crop: Float32Array, size: number): Promise<Float32Array>;
  /** The damage detector's session; absent (or null) when no detector is installed. */
  damageDetector?(settings: ResolvedRestoreSettings): Promise<LoadedModel | null>;
  /** The learned JPEG artefact remover's session (jpeg/remover.ts); absent (or null) when none is installed. */
  jpegRemover?(settings: ResolvedRestoreSettings): Promise<LoadedModel | null>;
  /** The learned detail restorer (restora-detail), loaded on first use; absent or null where none is installed. */
  detailRestorer?(settings: ResolvedRestoreSettings): Promise<LoadedModel | null>;
}

/** A job's progress reports and cancellation points, as the stages see them. */
export type StageContext = Pick<HandlerContext, 'progress' | 'throwIfCancelled'>;
