/**
 * The 'restore.preview' job: one region of a library photo restored with the
 * given settings, written to the preview cache with the same crop of the
 * original, and served by preview id (never by path). Nothing is kept in the
 * library; a failed or cancelled preview leaves no files behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NonJobMethodName, JobMethodName, Params, Result, ParsedParams } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';
import type { JobRunContext } from './job-manager.js';
import { engineInput } from './restore-photo.js';

export interface RestorePreviewDeps {
  dataDir: string;
  invoke<M extends NonJobMethodName>(m: M, p: Params<M>): Promise<Result<M>>;
  runChild<M extends JobMethodName>(m: M, p: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>>;
  registerPreview(file: string): number;
}

export async function restorePreview(p: ParsedParams<'restore.preview'>, ctx: JobRunContext, deps: RestorePreviewDeps): Promise<Result<'restore.preview'>> {
  // The region is relative to the photo as cropped and turned, when it is.
  const source = await engineInput(deps, p.photoId, p.settings);
  const dir = path.join(deps.dataDir, 'cache', 'previews');
  fs.mkdirSync(dir, { recursive: true });
  const stem = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const before = path.join(dir, `${stem}-before.png`);
  const after = path.join(dir, `${stem}-after.png`);
  try {
    const r = await deps.runChild('engine.restoreFile', { input: source.path, output: after, beforeOutput: before, region: p.region, settings: p.settings }, (pp) =>
      ctx.progress({ stage: pp.stage, fraction: pp.fraction, etaSeconds: pp.etaSeconds, elapsedSeconds: pp.elapsedSeconds, ...(pp.message ? { message: pp.message } : {}) }),
    );
    return { beforeId: deps.registerPreview(before), afterId: deps.registerPreview(after), semanticTokens: r.recipe.semanticTokens, seconds: r.recipe.totalSeconds };
  } catch (err) {
    fs.rmSync(before, { force: true });
    fs.rmSync(after, { force: true });
    throw err;
  }
}
