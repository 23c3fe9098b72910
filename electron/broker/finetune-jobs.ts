/**
 * The host side of fine-tuning: library photos (selection, album, tag) and
 * picks → file paths for the engine's 'engine.finetune' job; its sample
 * previews become preview ids the UI can load (never paths); the runs in
 * <data>/finetune are listed with their loss history so a stopped run can be
 * shown and resumed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NonJobMethodName, JobMethodName, Params, Result, ParsedParams } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';
import type { JobRunContext } from './job-manager.js';
import { RestoraError } from '../shared/errors.js';
import { LossPoint, RunId } from '../shared/contract/finetune.js';
import type { LossPoint as LossPointType } from '../shared/contract/finetune.js';

export interface FinetuneDeps {
  dataDir: string;
  invoke<M extends NonJobMethodName>(m: M, p: Params<M>): Promise<Result<M>>;
  runChild<M extends JobMethodName>(m: M, p: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>>;
  registerPreview(file: string): number;
  /** Run ids with a job going on now. */
  active: Set<string>;
}

const root = (dataDir: string) => path.join(dataDir, 'finetune');

async function photoIdsFor(p: ParsedParams<'finetune.start'>, deps: FinetuneDeps): Promise<number[]> {
  const ids = new Set(p.photoIds);
  for (const filter of [p.albumId ? { albumId: p.albumId } : null, p.tag ? { tag: p.tag } : null]) {
    if (!filter) continue;
    const page = await deps.invoke('library.listPhotos', { filter, limit: 500 });
    for (const it of page.items) ids.add(it.id);
  }
  return [...ids];
}

/** Forwards the engine's progress, turning "a preview was written at step N" into preview ids. */
function progressMapper(ctx: JobRunContext, runDir: string, deps: FinetuneDeps) {
  const ids: Record<string, number> = {};
  return (p: JobProgress) => {
    const data: Record<string, number | string | boolean | null> = { ...(p.data ?? {}), runId: path.basename(runDir) };
    if (typeof p.data?.preview === 'number') {
      const dir = path.join(runDir, 'previews');
      for (const [key, file] of [['previewBefore', 'before.png'], ['previewBase', 'base.png']] as const) {
        if (ids[key] === undefined && fs.existsSync(path.join(dir, file))) ids[key] = deps.registerPreview(path.join(dir, file));
      }
      const adapted = path.join(dir, `${String(p.data.preview).padStart(6, '0')}-adapted.png`);
      if (fs.existsSync(adapted)) ids.previewAdapted = deps.registerPreview(adapted);
    }
    Object.assign(data, ids);
    ctx.progress({ stage: p.stage, fraction: p.fraction, etaSeconds: p.etaSeconds, elapsedSeconds: p.elapsedSeconds, ...(p.message ? { message: p.message } : {}), data });
  };
}

async function runEngine(runId: string, params: Params<'engine.finetune'>, ctx: JobRunContext, deps: FinetuneDeps): Promise<Result<'finetune.start'>> {
  if (deps.active.has(runId)) throw new RestoraError('Conflict', 'This fine-tuning run is already going');
  deps.active.add(runId);
  try {
    return await deps.runChild('engine.finetune', params, progressMapper(ctx, params.runDir, deps));
  } finally {
    deps.active.delete(runId);
  }
}

export async function startFinetune(p: ParsedParams<'finetune.start'>, ctx: JobRunContext, deps: FinetuneDeps): Promise<Result<'finetune.start'>> {
  ctx.progress({ stage: 'prepare', fraction: 0, etaSeconds: null, elapsedSeconds: 0, message: 'Finding the reference photos' });
  const ids = await photoIdsFor(p, deps);
  const references: string[] = [];
  for (const photoId of ids) references.push((await deps.invoke('library.photoSource', { photoId })).path);
  const picks = [];
  for (const pick of p.picks) {
    const src = await deps.invoke('library.photoSource', { photoId: pick.photoId });
    picks.push({ input: src.path, choice: pick.choice, instructionA: pick.instructionA, instructionB: pick.instructionB });
  }
  if (!references.length && !picks.some((x) => x.choice !== 'neither')) {
    throw new RestoraError('BadRequest', 'Choose reference photos (a selection, an album or a tag) or make some A/B picks first');
  }
  const runId = `ft-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const runDir = path.join(root(deps.dataDir), runId);
  fs.mkdirSync(runDir, { recursive: true });
  return runEngine(runId, { runDir, name: p.name, references, picks, options: p.options, resume: false }, ctx, deps);
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function resumeFinetune(p: ParsedParams<'finetune.resume'>, ctx: JobRunContext, deps: FinetuneDeps): Promise<Result<'finetune.resume'>> {
  const runDir = path.join(root(deps.dataDir), p.runId);
  const cfg = readJson(path.join(runDir, 'config.json')) as Params<'engine.finetune'> | null;
  if (!cfg) throw new RestoraError('NotFound', `There is no fine-tuning run ${p.runId}`);
  if (fs.existsSync(path.join(runDir, 'result.json'))) throw new RestoraError('Conflict', 'This run has already finished');
  return runEngine(p.runId, { runDir, name: cfg.name, references: cfg.references, picks: cfg.picks, options: cfg.options, resume: true }, ctx, deps);
}

const MAX_RUNS = 30;
const sig = (x: number) => Number(x.toPrecision(4));

/** At most `n` points, evenly spaced, always keeping the last; values to 4 significant digits. */
export function thin(points: LossPointType[], n: number): LossPointType[] {
  const every = Math.max(1, Math.ceil(points.length / n));
  return points
    .filter((_, i) => i % every === 0 || i === points.length - 1)
    .map((p) => ({ step: p.step, loss: sig(p.loss), restoration: sig(p.restoration), preference: p.preference === null ? null : sig(p.preference) }));
}

export function listRuns(deps: FinetuneDeps): Result<'finetune.runs'> {
  const dir = root(deps.dataDir);
  const runs: Result<'finetune.runs'>['runs'] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { runs };
  }
  for (const runId of names) {
    if (!RunId.safeParse(runId).success) continue;
    const runDir = path.join(dir, runId);
    const cfg = readJson(path.join(runDir, 'config.json'));
    if (!cfg || typeof cfg.name !== 'string') continue;
    const st = readJson(path.join(runDir, 'state.json'));
    const losses = LossPoint.array().safeParse(st?.losses);
    const steps = Number((cfg.options as { steps?: number } | undefined)?.steps ?? 0);
    const state = fs.existsSync(path.join(runDir, 'result.json')) ? 'done' : deps.active.has(runId) ? 'running' : 'stopped';
    let updatedAt = 0;
    try {
      updatedAt = fs.statSync(path.join(runDir, st ? 'state.json' : 'config.json')).mtimeMs;
    } catch {
      /* ignore */
    }
    runs.push({ runId, name: cfg.name, state, step: Number(st?.step ?? 0), steps, losses: losses.success ? losses.data : [], updatedAt });
  }
  // Messages are capped at 1 MB: full-ish histories for the newest runs, a sketch for older ones.
  return { runs: runs.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, MAX_RUNS).map((r, i) => ({ ...r, losses: thin(r.losses, i < 5 ? 1500 : 50) })) };
}

export async function makePair(p: ParsedParams<'finetune.pair'>, ctx: JobRunContext, deps: FinetuneDeps): Promise<Result<'finetune.pair'>> {
  const src = await deps.invoke('library.photoSource', { photoId: p.photoId });
  const dir = path.join(deps.dataDir, 'cache', 'previews');
  fs.mkdirSync(dir, { recursive: true });
  const stem = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const outputA = path.join(dir, `${stem}-a.png`), outputB = path.join(dir, `${stem}-b.png`);
  try {
    await deps.runChild('engine.finetunePair', { input: src.path, outputA, outputB, instructionA: p.instructionA, instructionB: p.instructionB }, (pp) =>
      ctx.progress({ stage: pp.stage, fraction: pp.fraction, etaSeconds: pp.etaSeconds, elapsedSeconds: pp.elapsedSeconds, ...(pp.message ? { message: pp.message } : {}) }),
    );
    return { aId: deps.registerPreview(outputA), bId: deps.registerPreview(outputB) };
  } catch (err) {
    fs.rmSync(outputA, { force: true });
    fs.rmSync(outputB, { force: true });
    throw err;
  }
}
