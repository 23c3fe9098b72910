/**
 * The engine's 'engine.finetune' job: reference photos (+ picks) → adapter.
 * Prepare the data, train with checkpoints (cancel keeps the last one; resume
 * continues from it), write sample previews, evaluate base vs adapted on
 * held-out references and store the adapter with that verdict.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RestoraError } from '../../shared/errors.js';
import type { ParsedParams, Result } from '../../shared/contract/index.js';
import type { HandlerContext } from '../../node/worker-runtime.js';
import type { RegisteredModel } from '../../node/model-registry.js';
import type { SessionCache } from '../session-cache.js';
import { findModelSet, loadIntegrator } from '../model-restorer.js';
import { RestoreSettings } from '../../shared/recipe.js';
import type { RgbImage } from '../degradations/index.js';
import { adamState } from './adam.js';
import { contradictions } from './objective.js';
import { adaptedForward, loadAdapterGraphs, requireAdapterGraphs } from './adapter-graphs.js';
import type { AdapterStore } from './adapter-store.js';
import { loadTrainingImage, makeExamples, restorerInput, trainVariants, type Example, type PickExample } from './training-set.js';
import { compare, train, trainedAdapter, verdictOf, type Graphs, type TrainState } from './trainer.js';
import { loadState, readConfig, saveState, writeConfig, type RunConfig } from './run-state.js';
import { findFaces } from '../face-stage.js';
import { writeFileAtomic } from '../../node/atomic-write.js';

/** Degraded versions per held-out reference (training references: trainVariants). */
const EVAL_VARIANTS = 2;
const CHECKPOINT_EVERY = 10;

export async function writePng(file: string, img: RgbImage): Promise<void> {
  const buf = Buffer.alloc(img.width * img.height * 3);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.round(Math.min(1, Math.max(0, img.rgb[i]!)) * 255);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, sharp(buf, { raw: { width: img.width, height: img.height, channels: 3 } }).png({ compressionLevel: 3 }));
}

/** Whether a reference shows a face (a failing detector counts as "yes": it must not block training). */
async function hasFace(img: RgbImage): Promise<boolean> {
  const rgb8 = new Uint8Array(img.rgb.length);
  for (let i = 0; i < rgb8.length; i++) rgb8[i] = Math.round(img.rgb[i]! * 255);
  try {
    return (await findFaces(rgb8, img.width, img.height)).length > 0;
  } catch {
    return true;
  }
}

/** Which references are held out for the final comparison: every fourth, at least one. */
export function heldOutIndices(n: number): Set<number> {
  if (n < 2) return new Set();
  const s = new Set<number>();
  for (let i = 3; i < n; i += 4) s.add(i);
  if (!s.size) s.add(n - 1);
  return s;
}

export async function runFinetune(
  params: ParsedParams<'engine.finetune'>,
  ctx: HandlerContext,
  deps: { models: RegisteredModel[]; sessions: SessionCache; store: AdapterStore; finetuneRoot: string },
): Promise<Result<'engine.finetune'>> {
  const t0 = performance.now();
  const runDir = path.resolve(params.runDir);
  if (path.dirname(runDir) !== path.resolve(deps.finetuneRoot)) throw new RestoraError('BadRequest', 'Fine-tuning runs live in the data folder');
  const set = findModelSet(deps.models);
  if (!set) throw new RestoraError('Unsupported', 'Fine-tuning needs the trained models (cue encoder, integrator, restorer), which are not installed.');
  const gm = requireAdapterGraphs(deps.models, set.restorer);

  let cfg: RunConfig;
  if (params.resume) {
    const c = readConfig(runDir);
    if (!c) throw new RestoraError('NotFound', 'This fine-tuning run has no saved configuration to resume from');
    cfg = c;
  } else {
    if (deps.store.exists(params.name)) throw new RestoraError('Conflict', `An adapter named "${params.name}" already exists; choose another name or delete it first.`);
    cfg = { name: params.name, references: params.references, picks: params.picks, options: params.options, createdAt: Date.now() };
    writeConfig(runDir, cfg);
  }
  const opts = cfg.options;
  const bad = contradictions(cfg.picks.map((p) => ({ key: `${p.input}\n${p.instructionA}\n${p.instructionB}`, choice: p.choice })));
  if (bad.length) {
    throw new RestoraError('BadRequest', `Contradictory picks: for ${bad.map((k) => path.basename(k.split('\n')[0]!)).join(', ')} both A and B were picked as better. Remove one of them.`);
  }

  // --- data
  ctx.progress({ stage: 'prepare', fraction: 0.01, message: 'Reading the reference photos' });
  const notices: string[] = [];
  const refs: RgbImage[] = [];
  // The face search (~1 s a photo) is done once per run: a resumed run reads what the first start found.
  const known = cfg.faceless;
  const faceless: string[] = [];
  for (const file of cfg.references) {
    try {
      const img = await loadTrainingImage(file);
      refs.push(img);
      if (known ? known.includes(file) : !(await hasFace(img))) faceless.push(file);
    } catch (err) {
      notices.push(`Skipped ${path.basename(file)}: ${(err as Error).message}`);
    }
    ctx.throwIfCancelled();
  }
  if (!known) {
    cfg = { ...cfg, faceless };
    writeConfig(runDir, cfg);
  }
  if (faceless.length && refs.length) {
    notices.push(faceless.length === refs.length
      ? 'No faces were found in the reference photos: the personalisation learns their general look, not a person.'
      : `No face was found in ${faceless.slice(0, 5).map((f) => path.basename(f)).join(', ')}${faceless.length > 5 ? ` and ${faceless.length - 5} more` : ''}; they still teach the general look.`);
  }
  const usablePicks = cfg.picks.filter((p) => p.choice !== 'neither');
  if (refs.length === 1 || (refs.length === 0 && usablePicks.length === 0)) {
    throw new RestoraError(
      'BadRequest',
      `Too few usable reference photos (${refs.length}): at least 2 are needed, one to learn from and one to check the result on${notices.length ? `. ${notices.join(' ')}` : ''}${usablePicks.length || !cfg.picks.length ? '' : ' (every pick was "neither")'}`,
    );
  }
  const reader = await loadIntegrator(deps.sessions, set, RestoreSettings.parse({}));
  const { integrator } = reader;
  const loaded = await loadAdapterGraphs(deps.sessions, gm);
  const g: Graphs = { models: gm, forward: loaded.forward, grad: loaded.grad, K: integrator.spec.slots.length, dq: integrator.spec.dq };
  const held = heldOutIndices(refs.length);
  const variants = trainVariants(refs.length - held.size);
  const trainEx: Example[] = [], evalEx: Example[] = [];
  for (const [i, ref] of refs.entries()) {
    ctx.progress({ stage: 'prepare', fraction: 0.02 + 0.06 * (i / Math.max(1, refs.length)), message: `Degrading reference ${i + 1} of ${refs.length}` });
    if (held.has(i)) evalEx.push(...(await makeExamples(ref, 900_000 + i * 100, EVAL_VARIANTS, reader)));
    else trainEx.push(...(await makeExamples(ref, opts.seed * 10_000 + i * 100, variants, reader)));
    ctx.throwIfCancelled();
  }
  const zero = new Float32Array(gm.size);
  const pickEx: PickExample[] = [];
  for (const [i, p] of usablePicks.entries()) {
    ctx.progress({ stage: 'prepare', fraction: 0.08 + 0.02 * (i / usablePicks.length), message: `Preparing pick ${i + 1} of ${usablePicks.length}` });
    const input = await loadTrainingImage(p.input);
    const [r0, ra, rb] = [await restorerInput(reader, input, ''), await restorerInput(reader, input, p.instructionA), await restorerInput(reader, input, p.instructionB)];
    const a = await adaptedForward(g.forward, ra.input, ra.queries, g.K, g.dq, zero);
    const b = await adaptedForward(g.forward, rb.input, rb.queries, g.K, g.dq, zero);
    pickEx.push({ input: r0.input, queries: r0.queries, preferred: p.choice === 'a' ? a : b, other: p.choice === 'a' ? b : a });
    ctx.throwIfCancelled();
  }
  // Picks-only: the preference term is then the whole objective; train on the pick inputs kept as they are (no degradation).
  const examples = trainEx.length ? trainEx : pickEx.map((p) => ({ degraded: p.input, target: p.preferred, queries: p.queries }));

  // --- previews: a fixed held-out example (or the first training one)
  const previewEx = evalEx[0] ?? examples[0]!;
  const previewDir = path.join(runDir, 'previews');
  if (opts.previewEvery > 0) {
    await writePng(path.join(previewDir, 'before.png'), previewEx.degraded);
    await writePng(path.join(previewDir, 'base.png'), await adaptedForward(g.forward, previewEx.degraded, previewEx.queries, g.K, g.dq, zero));
  }

  // --- train
  let state: TrainState = (params.resume ? loadState(runDir, gm.size) : null) ?? { step: 0, adapter: new Float32Array(gm.size), adam: adamState(gm.size), losses: [] };
  if (params.resume && state.step === 0) notices.push('No checkpoint was found; the run started again from the beginning.');
  const startStep = state.step;
  const progress = (step: number, extra: Record<string, number | string | null> = {}) => {
    const last = state.losses[state.losses.length - 1];
    ctx.progress({
      stage: 'train',
      fraction: 0.1 + 0.8 * (step / opts.steps),
      message: `Step ${step} of ${opts.steps}`,
      data: { step, steps: opts.steps, loss: last?.loss ?? null, restoration: last?.restoration ?? null, preference: last?.preference ?? null, ...extra },
    });
  };
  saveState(runDir, state);
  state = await train(examples, pickEx, opts, state, g, {
    onStep: async (point, s) => {
      if (s.step % CHECKPOINT_EVERY === 0 || s.step === opts.steps || ctx.signal.aborted) saveState(runDir, s);
      ctx.throwIfCancelled();
      let preview: Record<string, number> = {};
      if (opts.previewEvery > 0 && (s.step % opts.previewEvery === 0 || s.step === opts.steps)) {
        await writePng(path.join(previewDir, `${String(s.step).padStart(6, '0')}-adapted.png`), await adaptedForward(g.forward, previewEx.degraded, previewEx.queries, g.K, g.dq, trainedAdapter(s, opts.steps)));
        preview = { preview: s.step };
      }
      progress(point.step, preview);
      await new Promise((r) => setImmediate(r)); // let a cancel message in
    },
  });

  // --- evaluate and store
  ctx.progress({ stage: 'evaluate', fraction: 0.92, message: 'Comparing base and personalised on held-out photos' });
  const trained = trainedAdapter(state, opts.steps);
  const per = await compare(evalEx, trained, g, () => ctx.throwIfCancelled());
  const evaluation = verdictOf(per);
  const adapter = deps.store.save(
    { name: cfg.name, base: { id: set.restorer.id, sha256: gm.baseSha256 }, createdAt: Date.now(), steps: state.step, references: refs.length, picks: usablePicks.length, evaluation },
    trained,
    { overwrite: params.resume },
  );
  const seconds = (performance.now() - t0) / 1000;
  const result = { runId: path.basename(runDir), adapter, evaluation, recommended: evaluation.verdict === 'helped', seconds, steps: state.step - startStep, notices: notices.slice(0, 20).map((n) => n.slice(0, 500)) };
  await writeFileAtomic(path.join(runDir, 'result.json'), JSON.stringify(result, null, 1));
  ctx.progress({ stage: 'done', fraction: 1, message: evaluation.summary });
  return result;
}
