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
import { RestoreSettings, type ResolvedRestoreSettings } from '../shared/recipe.js';
import type { Face, PipelineTools } from './types.js';
import type { LoadedModel } from './session-cache.js';
import { keepOriginalFaces, saveFaceRegions } from './face-stage.js';
import { decode, regionRect, type DecodedPhoto } from './stages/decode.js';
import { repair } from './stages/repair.js';
import { lookForFaces, understand, wantsFaces } from './stages/understand.js';
import { refine } from './stages/refine.js';
import { repairedSettings, steer } from './stages/steer.js';
import { statedValue } from './steering/steer.js';
import { keepFaceAreas, restore } from './stages/restore.js';
import { faces } from './stages/faces.js';
import { encode } from './stages/encode.js';
import { buildRecipe } from './stages/build-recipe.js';
import type { Understood } from './stages/understand.js';

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
  let found: { restore: Face[]; keep: Face[]; small: Face[] } = { restore: [], keep: [], small: [] };
  if (wantsFaces(settings, tools) || settings.keepFaces?.length) {
    ctx.progress({ stage: 'faces', fraction: 0.02, message: 'Looking for faces' });
    found = await timed('faces', () => lookForFaces(decoded, params.input, params.region, settings, tools, notices));
    ctx.throwIfCancelled();
  }
  ctx.progress({ stage: 'understand', fraction: 0.04, message: 'Reading the instruction and the photo' });
  const understood = await timed('understand', async () => refine(await understand(image, settings, tools, { faces: found.restore, small: found.small, repaired: repairedSettings(damage), notices }), plan, settings, tools));
  const chosen = steer(understood, damage, await jpegRemoverFor(understood, decoded, params, settings, tools, notices), await detailRestorerFor(understood, settings, tools, notices));
  ctx.throwIfCancelled();

  // The original pixels around the faces, before the restore stage overwrites the photo in place.
  const originals = saveFaceRegions(image.rgb8, image.width, image.height, chosen.faces);
  const kept = saveFaceRegions(image.rgb8, image.width, image.height, found.keep);
  const putBackAreas = keepFaceAreas(image, chosen.keptAreas);
  await timed('restore', () => restore(image, chosen.global, chosen.scope, ctx, chosen.faceAreas));
  ctx.throwIfCancelled();
  let drift: Array<number | null> = [];
  if (originals.length > 0) {
    drift = await timed('faces-restore', () => faces(image, originals, chosen, ctx, tools));
    ctx.throwIfCancelled();
  }
  // The faces the user keeps as they were (the identity check's one click): their original pixels, back.
  if (kept.length > 0) keepOriginalFaces(image.rgb8, image.width, kept);
  putBackAreas();

  ctx.progress({ stage: 'encode', fraction: 0.93, message: 'Writing the result' });
  const output = await timed('encode', () => encode(params.output, image, settings.instruction, params.noReplace));
  const totalSeconds = (performance.now() - t0) / 1000;
  ctx.progress({ stage: 'done', fraction: 1 });
  return { output, width: image.width, height: image.height, recipe: buildRecipe({ settings, chosen, notices, timings, totalSeconds, damage, drift, kept: found.keep }) };
}

/**
 * The learned JPEG artefact remover, with where the restored image starts on the photo's grid, when one is
 * installed and JPEG artefacts are to go: the words (or an edit) ask for it, or they say nothing of JPEG and
 * the integrator reads the photo's JPEG damage as high (restoring what the photo needs, as the restorer does
 * from the same reading). "Leave the jpeg artifacts" keeps it off. Without it (none installed, or it fails to
 * load: a notice) the explicit deblocking filter does what the words asked.
 */
async function jpegRemoverFor(
  understood: Understood,
  decoded: DecodedPhoto,
  params: ParsedParams<'engine.restoreFile'>,
  settings: ResolvedRestoreSettings,
  tools: PipelineTools,
  notices: string[],
): Promise<{ model: LoadedModel; origin: { x: number; y: number } } | null> {
  const stated = statedValue(understood.steering.readings.all, 'jpeg');
  const wanted = understood.steering.photo.jpeg === 'fix' || (stated === undefined && understood.global.understanding?.values.jpeg === 'high');
  if (!wanted || stated === 'leave' || understood.scope === 'faces' || !tools.jpegRemover) return null;
  const model = await tools.jpegRemover(settings).catch((err: Error) => {
    notices.push(`The JPEG artefact remover could not be used (${err.message.slice(0, 200)}); the deblocking filter was used instead.`);
    return null;
  });
  if (!model) return null;
  const r = params.region ? regionRect(decoded.fullSize.width, decoded.fullSize.height, params.region) : { x: 0, y: 0 };
  return { model, origin: { x: r.x, y: r.y } };
}

/**
 * The learned detail restorer, when one is installed and the photo's lost detail is to come back: the words
 * (or an edit) ask to fix the blur or for crisp detail, or they say nothing of blur or sharpness and the
 * integrator reads blur in the photo. "Leave the blur", "keep it soft" and "only the faces" keep it off. It
 * fails to load: a notice, and the restore goes on without it.
 */
async function detailRestorerFor(understood: Understood, settings: ResolvedRestoreSettings, tools: PipelineTools, notices: string[]): Promise<LoadedModel | null> {
  const { all } = understood.steering.readings;
  const blur = statedValue(all, 'blur'), sharpness = statedValue(all, 'sharpness');
  if (blur === 'leave' || sharpness === 'soft' || understood.scope === 'faces' || !tools.detailRestorer) return null;
  const read = understood.global.understanding?.values.blur;
  // The plan's blur is 'fix' when the words state it, or with strength strong when the photo reads blurred.
  const wanted = understood.steering.photo.blur === 'fix' || sharpness === 'crisp' || (blur === undefined && sharpness === undefined && (read === 'low' || read === 'high'));
  if (!wanted) return null;
  return tools.detailRestorer(settings).catch((err: Error) => {
    notices.push(`The detail restorer could not be used (${err.message.slice(0, 200)}); the photo was restored without it.`);
    return null;
  });
}
