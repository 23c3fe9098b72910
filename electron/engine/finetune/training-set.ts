/**
 * What a fine-tuning run learns from, prepared once per run: reference photos
 * downscaled to the training side, degraded with the training recipes
 * (makeTrainingPair), each paired with the latent queries the engine would use
 * to restore it (empty instruction); and the user's A/B picks with their two
 * candidate restorations. Then random crops of these in the gradient graph's
 * fixed batch shape.
 */
import path from 'node:path';
import sharp from 'sharp';
import { RestoraError } from '../../shared/errors.js';
import { applyRecipe, makeTrainingPair, Mulberry32, type RgbImage, type Severity } from '../degradations/index.js';
import { readPhoto, type PhotoReader } from '../model-restorer.js';
import { applyTone } from '../semantic/tone.js';
import { MAX_INPUT_PIXELS, readImageHeader } from '../pipeline/image-io.js';
import { describeDecodeError, strictly } from '../../node/strict-decode.js';

/** Long side of the images training works on (faces in a portrait stay large enough to matter). */
export const TRAIN_SIDE = 256;
/** Reference photos smaller than this (short side, pixels) are unusable. */
export const MIN_SIDE = 96;

export interface Example {
  degraded: RgbImage;
  target: RgbImage;
  /** [K*dq] queries for the degraded image, empty instruction. */
  queries: Float32Array;
}

export interface PickExample {
  input: RgbImage;
  queries: Float32Array;
  preferred: RgbImage;
  other: RgbImage;
}

/** Decodes a photo at training size (EXIF-rotated, sRGB), or says plainly why it cannot be used. */
export async function loadTrainingImage(file: string, side = TRAIN_SIDE): Promise<RgbImage> {
  const name = path.basename(file);
  const { meta, seconds } = await readImageHeader(name, file);
  const w0 = meta.autoOrient?.width ?? meta.width ?? 0, h0 = meta.autoOrient?.height ?? meta.height ?? 0;
  if (Math.min(w0, h0) < MIN_SIDE) throw new RestoraError('BadRequest', `${name} is too small (${w0}×${h0}; at least ${MIN_SIDE} pixels on the short side)`);
  try {
    const { data, info } = await strictly((failOn) =>
      sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn })
        .timeout({ seconds })
        .rotate()
        .toColourspace('srgb')
        .removeAlpha()
        .resize(side, side, { fit: 'inside', withoutEnlargement: true })
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    const rgb = new Float32Array(info.width * info.height * 3);
    for (let p = 0; p < info.width * info.height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = data[p * info.channels + Math.min(c, info.channels - 1)]! / 255;
    return { width: info.width, height: info.height, rgb };
  } catch (err) {
    throw describeDecodeError(name, err);
  }
}

const SEVERITY_CYCLE: Severity[] = ['light', 'medium', 'severe', 'medium'];

/**
 * What the restorer (and so the adapter graphs) gets for a photo and an instruction, as in a real restore
 * (model-restorer's readPhoto): the photo after the tone model's colour matrix when the restorer has one,
 * and the queries that steer it.
 */
export async function restorerInput(reader: PhotoReader, img: RgbImage, instruction: string): Promise<{ input: RgbImage; queries: Float32Array }> {
  const { matrix, steering } = await readPhoto(reader, img, instruction);
  const rgb = matrix ? applyTone(Float32Array.from(img.rgb), matrix) : img.rgb;
  return { input: { width: img.width, height: img.height, rgb }, queries: steering.queries };
}

/**
 * Degraded versions to make of each training reference: 4, and more when there are few
 * references, so that one photo still gives about 24 examples. Measured with
 * `bench:finetune` (one photo per person): on models 1.4, 200 steps, 4 variants gained
 * +0.27 dB on the same person and +0.40 on others, 12 variants +0.34 and +0.48; on 1.7
 * with the spatial adapter, 400 steps at lr 1e-3 (people 001-003), 12 variants +0.39 and
 * +0.29, 24 variants +0.53 and +0.35, 48 variants +0.41 and +0.22.
 */
export function trainVariants(references: number): number {
  return Math.max(4, Math.ceil(24 / Math.max(1, references)));
}

/** The recipe's global steps: a photo's look (fading, monochrome, a cast), which restoring keeps unless asked. */
const LOOK_OPS = new Set(['fade', 'mono', 'cast']);

/**
 * `count` degraded versions of one clean reference, as the restorer would see them, with their queries. The
 * target is the reference with the same look as its degraded version (the recipe's fading, monochrome and cast
 * applied to it too): restoring keeps a photo's tone unless the words ask (tone-policy.ts), so an adapter
 * learns the local repair for this person, not to take a tone away.
 */
export async function makeExamples(clean: RgbImage, seedBase: number, count: number, reader: PhotoReader): Promise<Example[]> {
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    const pair = await makeTrainingPair(clean, seedBase + i, SEVERITY_CYCLE[i % SEVERITY_CYCLE.length]!);
    const look = pair.recipe.ops.filter((o) => LOOK_OPS.has(o.op));
    const target = look.length ? await applyRecipe(clean, { ...pair.recipe, ops: look }) : clean;
    const { input, queries } = await restorerInput(reader, pair.degraded, '');
    out.push({ degraded: input, target, queries });
  }
  return out;
}

/** Copies a S×S window at (x, y) of an HWC image into NCHW `dst` at batch row `row`. */
function cropInto(dst: Float32Array, row: number, img: RgbImage, x: number, y: number, s: number): void {
  const plane = s * s;
  const base = row * 3 * plane;
  for (let yy = 0; yy < s; yy++) {
    const sy = Math.min(img.height - 1, y + yy);
    for (let xx = 0; xx < s; xx++) {
      const src = (sy * img.width + Math.min(img.width - 1, x + xx)) * 3;
      for (let c = 0; c < 3; c++) dst[base + c * plane + yy * s + xx] = img.rgb[src + c]!;
    }
  }
}

export interface Batch {
  image: Float32Array;
  target: Float32Array;
  queries: Float32Array;
}

/** A batch of random crops; every crop its own example (with replacement), position and queries. */
export function sampleBatch(examples: Example[], rng: Mulberry32, batch: number, crop: number): Batch {
  const plane = 3 * crop * crop;
  const qn = examples[0]!.queries.length;
  const b: Batch = { image: new Float32Array(batch * plane), target: new Float32Array(batch * plane), queries: new Float32Array(batch * qn) };
  for (let i = 0; i < batch; i++) {
    const ex = examples[rng.randint(0, examples.length - 1)]!;
    const x = rng.randint(0, Math.max(0, ex.degraded.width - crop)), y = rng.randint(0, Math.max(0, ex.degraded.height - crop));
    cropInto(b.image, i, ex.degraded, x, y, crop);
    cropInto(b.target, i, ex.target, x, y, crop);
    b.queries.set(ex.queries, i * qn);
  }
  return b;
}

/** Crops of one pick at the same positions: input, preferred and other candidate. */
export function samplePickBatch(pick: PickExample, rng: Mulberry32, batch: number, crop: number): { a: Batch; otherTarget: Float32Array } {
  const plane = 3 * crop * crop;
  const qn = pick.queries.length;
  const a: Batch = { image: new Float32Array(batch * plane), target: new Float32Array(batch * plane), queries: new Float32Array(batch * qn) };
  const otherTarget = new Float32Array(batch * plane);
  for (let i = 0; i < batch; i++) {
    const x = rng.randint(0, Math.max(0, pick.input.width - crop)), y = rng.randint(0, Math.max(0, pick.input.height - crop));
    cropInto(a.image, i, pick.input, x, y, crop);
    cropInto(a.target, i, pick.preferred, x, y, crop);
    cropInto(otherTarget, i, pick.other, x, y, crop);
    a.queries.set(pick.queries, i * qn);
  }
  return { a, otherTarget };
}

