/**
 * One file in, one restored file out (engine.restoreFile), as a pipeline of
 * small stages (electron/engine/stages/):
 *   decode → repair → understand → refine → steer → restore → faces → encode
 * then buildRecipe. Each stage reports its progress and lets a cancel in at
 * its own points; this file only runs them in order, times them and collects
 * their notices. The photo stays 8-bit in memory and the restore and faces
 * stages change it in place, so the original pixels around each face are
 * saved before the restore stage runs.
 */
import type { HandlerContext } from '../node/worker-runtime.js';
import type { ParsedParams, Result } from '../shared/contract/index.js';
import { RestoreSettings } from '../shared/recipe.js';
import type { Face, PipelineTools } from './types.js';
import { keepOriginalFaces, saveFaceRegions } from './face-stage.js';
import { decode } from './stages/decode.js';
import { repair } from './stages/repair.js';
import { lookForFaces, understand, wantsFaces } from './stages/understand.js';
import { refine } from './stages/refine.js';
import { steer } from './stages/steer.js';
import { restore } from './stages/restore.js';
import { faces } from './stages/faces.js';
import { encode } from './stages/encode.js';
import { buildRecipe } from './stages/build-recipe.js';

export async function restoreFile(params: ParsedParams<'engine.restoreFile'>, ctx: HandlerContext, tools: PipelineTools): Promise<Result<'engine.restoreFile'>> {
  const settings = RestoreSettings.parse(params.settings);
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const notices: string[] = [];
  const timed = async <T>(name: string, stage: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await stage();
    timings[name] = (performance.now() - t) / 1000;
    return out;
  };

  ctx.progress({ stage: 'decode', fraction: 0.01, message: 'Reading the photo' });
  const decoded = await timed('decode', () => decode(params, settings));
  const { image, plan } = decoded;
  ctx.throwIfCancelled();
  const damage = await timed('repair', () => repair(decoded, params, settings, tools, ctx, notices));
  ctx.throwIfCancelled();

  // Faces first: the instruction's face part and scope decide what happens to them.
  let found: { restore: Face[]; keep: Face[] } = { restore: [], keep: [] };
  if (wantsFaces(settings, tools) || settings.keepFaces?.length) {
    ctx.progress({ stage: 'faces', fraction: 0.02, message: 'Looking for faces' });
    found = await timed('faces', () => lookForFaces(decoded, params.input, params.region, settings, tools, notices));
    ctx.throwIfCancelled();
  }
  ctx.progress({ stage: 'understand', fraction: 0.04, message: 'Reading the instruction and the photo' });
  const chosen = steer(await timed('understand', async () => refine(await understand(image, found.restore, settings, tools, notices), plan, settings, tools)), damage);
  ctx.throwIfCancelled();

  // The original pixels around the faces, before the restore stage overwrites the photo in place.
  const originals = saveFaceRegions(image.rgb8, image.width, image.height, chosen.faces);
  const kept = saveFaceRegions(image.rgb8, image.width, image.height, found.keep);
  await timed('restore', () => restore(image, chosen.global, chosen.scope, ctx));
  ctx.throwIfCancelled();
  let drift: Array<number | null> = [];
  if (originals.length > 0) {
    drift = await timed('faces-restore', () => faces(image, originals, chosen, ctx, tools));
    ctx.throwIfCancelled();
  }
  // The faces the user keeps as they were (the identity check's one click): their original pixels, back.
  if (kept.length > 0) keepOriginalFaces(image.rgb8, image.width, kept);

  ctx.progress({ stage: 'encode', fraction: 0.93, message: 'Writing the result' });
  const output = await timed('encode', () => encode(params.output, image, settings.instruction, params.noReplace));
  const totalSeconds = (performance.now() - t0) / 1000;
  ctx.progress({ stage: 'done', fraction: 1 });
  return { output, width: image.width, height: image.height, recipe: buildRecipe({ settings, chosen, notices, timings, totalSeconds, damage, drift, kept: found.keep }) };
}
