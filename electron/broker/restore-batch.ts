/**
 * Batches: 'restore.batch' (library photos, each becoming a version) and
 * 'restore.folder' (image files into an output folder, by format and naming
 * pattern). One photo at a time; the job can be paused between photos; a
 * photo that fails is reported and the batch goes on; a cancel stops it and
 * marks what was not done. Every photo's state is kept in a BatchRegistry
 * for batch.status, so a panel opened later shows the whole batch.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Result, ParsedParams } from '../shared/contract/index.js';
import type { BatchItem } from '../shared/contract/batch.js';
import type { JobProgress } from '../shared/jobs.js';
import { RestoraError, toWireError } from '../shared/errors.js';
import { RestoreSettings, settingsFromRecipe, type ResolvedRestoreSettings } from '../shared/recipe.js';
import { settingsForPhoto, type PhotoRef } from '../shared/recipe-fit.js';
import { isIdentity } from '../shared/geometry.js';
import type { JobRunContext } from './job-manager.js';
import { restorePhoto, type RestorePhotoDeps } from './restore-photo.js';
import { collectImages, FORMAT_EXT, freeName, nameFromPattern } from './output-names.js';

/** Batches whose photo lists are kept for batch.status (finished ones until the jobs are cleared). */
const MAX_KEPT = 50;

interface BatchState {
  items: BatchItem[];
  etaSeconds: number | null;
}

export class BatchRegistry {
  private readonly batches = new Map<string, BatchState>();

  create(jobId: string, items: BatchItem[]): BatchState {
    const state = { items, etaSeconds: null };
    this.batches.set(jobId, state);
    for (const id of this.batches.keys()) {
      if (this.batches.size <= MAX_KEPT) break;
      this.batches.delete(id);
    }
    return state;
  }

  has(jobId: string): boolean {
    return this.batches.has(jobId);
  }

  status(jobId: string): { jobId: string; items: BatchItem[]; etaSeconds: number | null } {
    const b = this.batches.get(jobId);
    if (!b) throw new RestoraError('NotFound', `No batch ${jobId}`);
    return { jobId, items: b.items, etaSeconds: b.etaSeconds };
  }

  forget(jobIds: readonly string[]): void {
    for (const id of jobIds) this.batches.delete(id);
  }
}

export interface BatchDeps extends RestorePhotoDeps {
  batches: BatchRegistry;
  registerPreview(file: string): number;
}

type Ctx = JobRunContext;

/** Runs `work` for each item in turn with batch progress, pauses, cancellation and the batch's ETA. */
async function runItems(ctx: Ctx, state: BatchState, work: (item: BatchItem, i: number, report: (p: JobProgress) => void) => Promise<void>): Promise<void> {
  const { items } = state;
  const started = Date.now();
  const durations: number[] = [];
  const counts = () => ({ done: items.filter((x) => x.state === 'done').length, failed: items.filter((x) => x.state === 'failed').length });
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    try {
      await ctx.checkpoint();
    } catch (err) {
      for (const rest of items.slice(i)) rest.state = 'cancelled';
      throw err;
    }
    item.state = 'running';
    const t0 = Date.now();
    const report = (p: JobProgress) => {
      item.fraction = Math.max(item.fraction, Math.min(1, p.fraction));
      const elapsed = (Date.now() - t0) / 1000;
      // Seconds a photo takes: the finished ones' mean, or this one's own estimate until one has finished.
      const perPhoto = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : p.etaSeconds !== null ? elapsed + p.etaSeconds : null;
      const thisLeft = p.etaSeconds ?? (perPhoto !== null ? Math.max(0, perPhoto - elapsed) : null);
      state.etaSeconds = perPhoto === null || thisLeft === null ? null : thisLeft + perPhoto * (items.length - i - 1);
      ctx.progress({
        stage: p.stage,
        fraction: (i + item.fraction) / items.length,
        etaSeconds: state.etaSeconds,
        elapsedSeconds: (Date.now() - started) / 1000,
        message: `Photo ${i + 1} of ${items.length}: ${item.name}${p.message ? ` — ${p.message}` : ''}`.slice(0, 500),
        data: { index: i, total: items.length, ...counts() },
      });
    };
    report({ jobId: '', stage: 'prepare', fraction: 0, etaSeconds: null, elapsedSeconds: 0 });
    try {
      await work(item, i, report);
      item.state = 'done';
      item.fraction = 1;
    } catch (err) {
      const wire = toWireError(err);
      if (wire.code === 'Cancelled' || ctx.signal.aborted) {
        item.state = 'cancelled';
        for (const rest of items.slice(i + 1)) rest.state = 'cancelled';
        throw new RestoraError('Cancelled', 'Cancelled');
      }
      item.state = 'failed';
      item.error = wire.message.slice(0, 1000);
    }
    item.seconds = (Date.now() - t0) / 1000;
    durations.push(item.seconds);
  }
  state.etaSeconds = 0;
  ctx.progress({ stage: 'done', fraction: 1, etaSeconds: 0, elapsedSeconds: (Date.now() - started) / 1000, message: `${counts().done} of ${items.length} restored`, data: { index: items.length, total: items.length, ...counts() } });
}

/** The settings a batch runs with, and the photo (and size) they were made on, to fit them to each photo. */
async function batchSettings(p: { settings?: unknown; fromVersion?: number | undefined }, deps: BatchDeps, first: PhotoRef | null): Promise<{ settings: ResolvedRestoreSettings; from: PhotoRef | null }> {
  if (p.fromVersion !== undefined) {
    const v = await deps.invoke('library.getVersion', { versionId: p.fromVersion });
    return { settings: settingsFromRecipe(v.recipe), from: { photoId: v.photoId, width: v.photoWidth, height: v.photoHeight } };
  }
  return { settings: RestoreSettings.parse(p.settings ?? {}), from: first };
}

/** Names and sizes of library photos, in the order given. */
async function photoFacts(deps: BatchDeps, ids: readonly number[]): Promise<Map<number, { fileName: string; width: number; height: number }>> {
  const out = new Map<number, { fileName: string; width: number; height: number }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    const page = await deps.invoke('library.listPhotos', { filter: { ids: part }, limit: 1000, sort: 'imported' });
    for (const p of page.items) out.set(p.id, { fileName: p.fileName, width: p.width, height: p.height });
  }
  return out;
}

export async function restoreBatch(p: ParsedParams<'restore.batch'>, ctx: Ctx, deps: BatchDeps): Promise<Result<'restore.batch'>> {
  const ids = [...new Set(p.photoIds)];
  const facts = await photoFacts(deps, ids);
  const missing = ids.filter((id) => !facts.has(id));
  const items: BatchItem[] = ids.map((id) => ({ photoId: id, name: facts.get(id)?.fileName ?? `photo ${id}`, state: 'queued', fraction: 0 }));
  for (const item of items) if (missing.includes(item.photoId!)) Object.assign(item, { state: 'failed', error: `Photo ${item.photoId} is not in the library` });
  const state = deps.batches.create(ctx.jobId, items);
  const firstFacts = facts.get(ids[0]!);
  const { settings, from } = await batchSettings(p, deps, firstFacts ? { photoId: ids[0]!, width: firstFacts.width, height: firstFacts.height } : null);
  if (ids.length === 1 && firstFacts) ctx.relabel(`Restore ${firstFacts.fileName}`);
  await runItems(ctx, state, async (item, _i, report) => {
    if (item.error) throw new RestoraError('NotFound', item.error);
    const f = facts.get(item.photoId!)!;
    const fitted = settingsForPhoto(settings, from, { photoId: item.photoId!, width: f.width, height: f.height });
    if (fitted.notes.length) item.notes = fitted.notes;
    const subCtx = { signal: ctx.signal, relabel: () => undefined, progress: (pp: Omit<JobProgress, 'jobId'>) => report({ ...pp, jobId: ctx.jobId }) };
    const r = await restorePhoto({ photoId: item.photoId!, settings: fitted.settings, ...(p.label ? { label: p.label } : {}) }, subCtx, deps);
    item.versionId = r.versionId;
  });
  return { items: state.items };
}

export async function restoreFolder(p: ParsedParams<'restore.folder'>, ctx: Ctx, deps: BatchDeps): Promise<Result<'restore.folder'>> {
  const files = collectImages(p.inputs.map((i) => path.resolve(i)), p.recursive);
  if (files.length === 0) throw new RestoraError('NotFound', `No images found in ${p.inputs.join(', ')}`);
  const output = path.resolve(p.output);
  try {
    fs.mkdirSync(output, { recursive: true });
  } catch (err) {
    throw new RestoraError('BadRequest', `The output folder ${output} cannot be created: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const items: BatchItem[] = files.map((f) => ({ name: path.basename(f), state: 'queued', fraction: 0 }));
  const state = deps.batches.create(ctx.jobId, items);
  const { settings } = await batchSettings(p, deps, null);
  const taken = new Set<string>();
  await runItems(ctx, state, async (item, i, report) => {
    const input = files[i]!;
    if (!fs.existsSync(output)) throw new RestoraError('NotFound', `The output folder ${output} is gone; nothing more is written`);
    const target = freeName(output, nameFromPattern(p.naming, input, i + 1, files.length), FORMAT_EXT[p.format], taken);
    taken.add(target);
    let source = input;
    if (settings.geometry && !isIdentity(settings.geometry)) source = (await deps.invoke('library.geometrySource', { file: input, geometry: settings.geometry })).path;
    await deps.runChild('engine.restoreFile', { input: source, output: target, settings }, report);
    item.output = target;
    try {
      const [before, after] = await Promise.all([deps.invoke('library.previewFile', { file: source }), deps.invoke('library.previewFile', { file: target })]);
      item.beforeId = deps.registerPreview(before.path);
      item.afterId = deps.registerPreview(after.path);
    } catch {
      // The result is written; only its pictures in the strip are missing.
    }
  });
  return { items: state.items };
}
