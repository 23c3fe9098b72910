/**
 * The 'restore.photo' job: original from the library (cropped, turned and
 * straightened first when the settings say so) → engine → new version in the
 * library, whose recipe records what was asked as well as what ran. The
 * restored file is written inside the data directory and removed again if
 * anything after the engine fails, so a cancelled or failed job leaves
 * nothing behind.
 */
import fs from 'node:fs';
import type nodePath from 'node:path';
import type { NonJobMethodName, JobMethodName, Params, Result, ParsedParams } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';
import type { JobRunContext } from './job-manager.js';
import { RestoraError } from '../shared/errors.js';
import { baseName } from '../shared/rpc.js';
import { Geometry, isIdentity } from '../shared/geometry.js';
import { recipeMaskName, type Recipe, type ResolvedRestoreSettings } from '../shared/recipe.js';
import { editedMaskFile } from './mask-files.js';

export interface RestorePhotoDeps {
  dataDir: string;
  invoke<M extends NonJobMethodName>(m: M, p: Params<M>): Promise<Result<M>>;
  runChild<M extends JobMethodName>(m: M, p: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>>;
  emitChanged(photoId: number): void;
  newFileName(): string;
  path: typeof nodePath;
}

/** The file the engine reads for a photo: the original, or its cropped and turned copy. */
export async function engineInput(deps: Pick<RestorePhotoDeps, 'invoke'>, photoId: number, settings: Pick<ResolvedRestoreSettings, 'geometry'>): Promise<{ path: string; fileName: string }> {
  const source = await deps.invoke('library.photoSource', { photoId });
  const fileName = baseName(source.path);
  if (!settings.geometry || isIdentity(settings.geometry)) return { path: source.path, fileName };
  const shaped = await deps.invoke('library.geometrySource', { photoId, geometry: settings.geometry });
  return { path: shaped.path, fileName };
}

export async function restorePhoto(
  params: ParsedParams<'restore.photo'>,
  ctx: Pick<JobRunContext, 'signal' | 'progress' | 'relabel'>,
  deps: RestorePhotoDeps,
): Promise<Result<'restore.photo'>> {
  const started = Date.now();
  const report = (stage: string, fraction: number, message?: string, eta: number | null = null) =>
    ctx.progress({ stage, fraction, etaSeconds: eta, elapsedSeconds: (Date.now() - started) / 1000, ...(message ? { message } : {}) });

  report('prepare', 0, 'Finding the original');
  const input = await engineInput(deps, params.photoId, params.settings);
  ctx.relabel(`Restore ${input.fileName}`);
  if (ctx.signal.aborted) throw new RestoraError('Cancelled', 'Cancelled');
  const dir = deps.path.join(deps.dataDir, 'versions', String(params.photoId));
  fs.mkdirSync(dir, { recursive: true });
  const name = deps.newFileName();
  const output = deps.path.join(dir, `${name}.png`);
  // The repair mask the engine used, kept beside the version (the recipe names it) so a re-run can repeat it.
  const maskOutput = deps.path.join(dir, `${name}.mask.png`);
  const mask = params.editedMask
    ? editedMaskFile(deps.dataDir, params.photoId)
    : params.repeatMaskOf
      ? await versionMask(deps, params.photoId, params.repeatMaskOf, dir)
      : undefined;
  try {
    const restored = await deps.runChild(
      'engine.restoreFile',
      { input: input.path, output, settings: params.settings, maskOutput, ...(mask ? { mask } : {}) },
      (p) => report(p.stage, Math.min(0.98, p.fraction * 0.98), p.message, p.etaSeconds),
    );
    if (ctx.signal.aborted) throw new RestoraError('Cancelled', 'Cancelled');
    report('save', 0.99, 'Saving the new version');
    const geometry = params.settings.geometry && !isIdentity(params.settings.geometry) ? Geometry.parse(params.settings.geometry) : null;
    // What was asked (to run it again) beside what ran; the crop is part of how the version was made.
    const recipe = { ...restored.recipe, settings: { ...restored.recipe.settings, requested: params.settings, ...(geometry ? { geometry } : {}) } };
    const versionId = await saveVersion(deps, params.photoId, restored.output, recipe, params.label);
    report('done', 1);
    return { photoId: params.photoId, versionId };
  } catch (err) {
    fs.rmSync(output, { force: true });
    fs.rmSync(maskOutput, { force: true });
    throw err;
  }
}

/** The repair mask a version of this photo kept beside it (named in its recipe), for a re-run that repeats it. */
async function versionMask(deps: RestorePhotoDeps, photoId: number, versionId: number, dir: string): Promise<string> {
  const { versions } = await deps.invoke('library.getPhoto', { photoId });
  const v = versions.find((x) => x.id === versionId);
  if (!v) throw new RestoraError('NotFound', `Photo ${photoId} has no version ${versionId}`);
  // Only a plain file name inside this photo's versions folder.
  const name = recipeMaskName(v.recipe.settings);
  if (!name) throw new RestoraError('NotFound', `Version ${versionId} has no repair mask to repeat`);
  const file = deps.path.join(dir, name);
  if (!fs.existsSync(file)) throw new RestoraError('NotFound', `The repair mask of version ${versionId} (${name}) is missing`);
  return file;
}

/**
 * Records a restored file (written inside <dataDir>/versions) as a new version
 * with its recipe. The first restoration of a photo becomes its preferred
 * version (shown and exported by default); later ones wait for the user's choice.
 * Restores that came through the queue are recorded the same way.
 */
export async function saveVersion(deps: Pick<RestorePhotoDeps, 'invoke' | 'emitChanged'>, photoId: number, file: string, recipe: Recipe, label?: string): Promise<number> {
  const existing = await deps.invoke('library.getPhoto', { photoId });
  const { versionId } = await deps.invoke('library.addVersion', {
    photoId,
    file,
    recipe,
    preferred: !existing.versions.some((v) => v.preferred),
    ...(label ? { label } : {}),
  });
  deps.emitChanged(photoId);
  return versionId;
}
