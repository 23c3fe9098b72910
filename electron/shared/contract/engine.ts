/** Methods of the restoration engine (its own process; killing it cancels a job). */
import { z } from 'zod';
import { method, job, baseName } from '../rpc.js';
import { Recipe, RestoreSettings } from '../recipe.js';

const FilePath = z.string().min(1).max(4096);

/** Values in a face's identity descriptor. */
export const DESCRIPTOR_LENGTH = 128;
/** Faces of one photo given with descriptors at most (a 128-number descriptor is ~1 KB of JSON; messages stay under 1 MiB). */
export const MAX_DESCRIBED_FACES = 200;

export const ModelInfo = z.object({
  id: z.string(),
  version: z.string(),
  task: z.string(),
  source: z.enum(['shipped', 'user']),
  sha256: z.string(),
  ok: z.boolean(),
  problem: z.string().optional(),
});

/** A repair mask the detector found: its size, the kinds it covers, what was marked by kind and in all, and the detector. */
export const DamageMaskInfo = z.object({
  width: z.number().int(),
  height: z.number().int(),
  kinds: z.array(z.enum(['scratch', 'dust', 'blotch', 'tear'])),
  /** What the detector marked, by kind (share of the photo); null when no detector is installed (the mask is then empty). */
  found: z.record(z.string(), z.number()).nullable(),
  /** Share of the photo the mask repairs. */
  share: z.number(),
  model: z.object({ id: z.string(), version: z.string() }).nullable(),
});

/** A region of the image in relative coordinates (0..1), e.g. for previews. */
export const Region = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  w: z.number().gt(0).max(1),
  h: z.number().gt(0).max(1),
}).strict().refine((r) => r.x + r.w <= 1.0001 && r.y + r.h <= 1.0001, 'the region must lie inside the image');
export type Region = z.infer<typeof Region>;

/** A face in a photo: its box (x, y, w, h in the photo's pixels, after EXIF orientation) and the detector's confidence. */
export const FaceBox = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number(),
  h: z.number(),
  score: z.number(),
  /** Left eye, right eye, nose tip, left and right mouth corner (image left/right), in the photo's pixels. */
  landmarks: z.array(z.tuple([z.number(), z.number()])).length(5).optional(),
  /** The 128-d identity descriptor (face-api's recognition net; euclidean distance under 0.6: likely the same person), when asked for. */
  descriptor: z.array(z.number().finite()).length(DESCRIPTOR_LENGTH).optional(),
});
export type FaceBox = z.infer<typeof FaceBox>;

/** The faces of a photo file with their identity descriptors (engine.faces). */
export const PhotoFacesFound = z.object({
  /** The photo's size after EXIF orientation; the boxes are in these pixels. */
  width: z.number().int(),
  height: z.number().int(),
  faces: z.array(FaceBox).max(MAX_DESCRIBED_FACES),
  seconds: z.number(),
});

export const Analysis = z.object({
  width: z.number().int(),
  height: z.number().int(),
  /** Estimated damage per type, 0..1. */
  severity: z.record(z.string(), z.number().min(0).max(1)),
  /** 'model' when the cue encoder estimated it, 'heuristic' for the classical estimate. */
  source: z.enum(['model', 'heuristic']),
  suggestions: z.array(z.string().max(200)).max(10),
  /** Faces in image pixel coordinates (after EXIF orientation). */
  faces: z.array(FaceBox).max(500),
  /** False when no face detector could run; then `faces` is empty for that reason. */
  facesDetected: z.boolean(),
  notes: z.array(z.string().max(500)).max(10),
  seconds: z.number(),
  /** Share of the photo the damage detector marks, by kind (scratch, dust, blotch, tear) and in all ('any'); absent without a detector. */
  damageArea: z.record(z.string(), z.number().min(0).max(1)).optional(),
});
export type Analysis = z.infer<typeof Analysis>;

export const engineMethods = {
  'engine.analyze': method('engine', {
    doc: 'What a photo suffers from (per damage type), its faces, and instructions to suggest.',
    exposure: 'internal',
    params: z.object({
      input: FilePath,
      /** Also give each face's identity descriptor (the first MAX_DESCRIBED_FACES faces), for the library's people. */
      descriptors: z.boolean().default(false),
    }).strict(),
    result: Analysis,
  }),
  'engine.faces': job('engine', {
    doc: "The faces of a photo file (the same multi-scale search as the analysis), each with its identity descriptor: the find-people job's step.",
    label: (p) => `Find faces in ${baseName(p.input)}`,
    exposure: 'internal',
    params: z.object({ input: FilePath }).strict(),
    result: PhotoFacesFound,
  }),
  'engine.info': method('engine', {
    doc: 'Engine process facts: ONNX Runtime version, execution providers, models found.',
    params: z.object({}).strict(),
    result: z.object({
      pid: z.number().int(),
      onnxruntime: z.string(),
      providers: z.array(z.string()),
      threads: z.number().int(),
      models: z.array(ModelInfo),
    }),
  }),
  'engine.calibrate': job('engine', {
    doc: 'Measures the CPU matrix-multiply peak (GFLOP/s) for a given time; used by benchmarks.',
    label: () => 'Measure CPU speed',
    params: z.object({ seconds: z.number().min(0.05).max(120).default(1), size: z.number().int().min(16).max(2048).default(256) }).strict(),
    result: z.object({ gflops: z.number(), iterations: z.number().int(), seconds: z.number() }),
  }),
  'engine.restoreFile': job('engine', {
    doc: 'Restores one image file into another. Trusted callers only: paths are not accepted from the renderer.',
    label: (p) => `Restore ${baseName(p.input)}`,
    exposure: 'internal',
    params: z.object({
      input: FilePath,
      output: FilePath,
      settings: RestoreSettings,
      /** Restore only this part (for previews); the output is the cropped region. */
      region: Region.optional(),
      /** With `region`: also write the same crop of the original here, for a before/after preview. */
      beforeOutput: FilePath.optional(),
      /** The damage to repair, drawn or edited by the user: an image the size of the photo, white = repair (replaces the detector's). */
      mask: FilePath.optional(),
      /** Where to write the repair mask that was used (8-bit greyscale PNG, white = repaired), for the version's data. */
      maskOutput: FilePath.optional(),
      /**
       * Never replace a file: the result takes the first free name among `output`, "name (2).ext", "name (3).ext"...,
       * claimed atomically (two runs into one folder keep both results). The result's `output` is the name taken.
       */
      noReplace: z.boolean().optional(),
    }).strict(),
    result: z.object({ output: FilePath, width: z.number().int(), height: z.number().int(), recipe: Recipe }),
  }),
  'engine.damageMask': job('engine', {
    doc: 'Writes the repair mask the damage detector finds in a photo (full size, greyscale PNG, white = repair), for the user to edit. The kinds are the ones the instruction names, else scratches and dust (stains and tears only when named).',
    label: (p) => `Find damage in ${baseName(p.input)}`,
    exposure: 'internal',
    params: z.object({ input: FilePath, output: FilePath, instruction: z.string().max(10_000).default('') }).strict(),
    result: DamageMaskInfo,
  }),
} as const;
