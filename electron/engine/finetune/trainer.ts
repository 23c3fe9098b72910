/**
 * The training loop: Adam over the adapter with exact gradients from the
 * gradient graph (see models/README.md, "Fine-tuning", for why not a
 * forward-only estimate), plus evaluation of base vs adapted on held-out
 * examples. No job, file or UI concerns here: the job (finetune-job.ts) and
 * the benchmark both drive this.
 */
import { Mulberry32 } from '../degradations/index.js';
import { meanSquared, psnr } from '../metrics/psnr.js';
import type { LoadedModel } from '../session-cache.js';
import type { Evaluation, LossPoint } from '../../shared/contract/finetune.js';
import { adamStep, type AdamState } from './adam.js';
import { addL2, addScaled, bradleyTerry } from './objective.js';
import { adaptedForward, lossAndGrad, type AdapterGraphModels } from './adapter-graphs.js';
import { sampleBatch, samplePickBatch, type Example, type PickExample } from './training-set.js';

export interface Graphs {
  models: AdapterGraphModels;
  forward: LoadedModel;
  grad: LoadedModel;
  K: number;
  dq: number;
}

export interface TrainOptions {
  steps: number;
  learningRate: number;
  l2: number;
  preferenceWeight: number;
  seed: number;
}

export interface TrainState {
  step: number;
  /** The optimiser's current iterate. */
  adapter: Float32Array;
  adam: AdamState;
  losses: LossPoint[];
  /** Running mean of the iterates after averageFrom(steps); what the run yields (trainedAdapter). */
  average?: Float32Array;
}

/**
 * The adapter a run yields is the mean of its iterates over the second half of the run, not the
 * last one. With a constant learning rate the last few single-example steps decide a lot: on
 * bench:finetune (1.7 base, 12 held-out people, one run of 600 steps) the iterates at steps
 * 100..600 gained +0.36, +0.43, +0.22, +0.47, +0.39, +0.30 dB on the same person, and how good
 * step 400 (the earlier default) was came from which examples steps near 400 drew. The mean of
 * steps 301-600 gained +0.47 dB on the same person and +0.23 dB on other people, and no
 * person's adapter cost other people more than 0.03 dB (at step 400: 0.41 dB).
 */
export function averageFrom(steps: number): number {
  return Math.floor(steps / 2);
}

/** What training has produced so far: the iterate average once it has started, else the iterate. */
export function trainedAdapter(state: TrainState, steps: number): Float32Array {
  return state.average && state.step > averageFrom(steps) ? state.average : state.adapter;
}

export interface TrainHooks {
  /** After every step; may throw to stop (cancellation). */
  onStep?(point: LossPoint, state: TrainState): void | Promise<void>;
}

/**
 * Adapter entries kept at zero (the base model's value). The restorer's output bias is one:
 * fitted to a single photo it becomes a global colour shift for that photo's fade and cast,
 * and on bench:finetune (1.3 base) zeroing it after training moved the same person from
 * -0.16 to +0.12 dB and other people from -0.53 to -0.20 dB.
 */
const FROZEN_SLOTS = new Set(['ending.bias']);

export function frozenRanges(models: AdapterGraphModels): Array<[number, number]> {
  return models.slots.filter((s) => FROZEN_SLOTS.has(s.name)).map((s) => [s.start, s.end]);
}

/** How many earlier steps' restoration losses set the scale in logMseWeight. */
const LOSS_SCALE_STEPS = 20;

/**
 * The weight of a step's restoration gradient: the mean restoration loss of the last steps over this
 * step's own. Every step's crops come from one example, so the adapter follows the gradient of log MSE,
 * i.e. of each example's PSNR, at the scale that plain MSE had (the L2 term and the learning rate keep
 * their meaning). With plain MSE the severely damaged examples, whose errors are the largest, decided
 * the adapter, and on the lightly damaged ones it gained little: bench:finetune --people 3 --no-twenty
 * (1.7 base) gained +0.28 dB on the same person with MSE and +0.35 dB with this (other people +0.20).
 */
export function logMseWeight(loss: number, earlier: LossPoint[]): number {
  const recent = earlier.slice(-LOSS_SCALE_STEPS);
  const mean = recent.length ? recent.reduce((s, p) => s + p.restoration, 0) / recent.length : loss;
  return mean / Math.max(loss, 1e-8);
}

function scale(v: Float32Array, w: number): void {
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * w;
}

/** Runs steps state.step+1 .. opts.steps. The crop sampler is seeded per step, so a resumed run draws what the uninterrupted run would have. */
export async function train(examples: Example[], picks: PickExample[], opts: TrainOptions, state: TrainState, g: Graphs, hooks: TrainHooks = {}): Promise<TrainState> {
  const { batch, crop } = g.models;
  if (!examples.length) throw new Error('no training examples');
  const frozen = frozenRanges(g.models);
  while (state.step < opts.steps) {
    const step = state.step + 1;
    const rng = new Mulberry32((opts.seed * 1_000_003 + step * 7919) >>> 0);
    const one = examples[rng.randint(0, examples.length - 1)]!;
    const r = await lossAndGrad(g.grad, g.models, g.K, g.dq, state.adapter, sampleBatch([one], rng, batch, crop));
    const grad = r.grad;
    scale(grad, logMseWeight(r.loss, state.losses));
    let preference: number | null = null;
    // Every other step, one pick: the Bradley-Terry term from two passes (preferred and other as the target).
    if (picks.length && opts.preferenceWeight > 0 && step % 2 === 0) {
      const pick = picks[rng.randint(0, picks.length - 1)]!;
      const { a, otherTarget } = samplePickBatch(pick, rng, batch, crop);
      const tau = Math.max(1e-4, meanSquared(a.target, otherTarget));
      const pa = await lossAndGrad(g.grad, g.models, g.K, g.dq, state.adapter, a);
      const pb = await lossAndGrad(g.grad, g.models, g.K, g.dq, state.adapter, { ...a, target: otherTarget });
      const bt = bradleyTerry(pa.loss, pa.grad, pb.loss, pb.grad, tau);
      addScaled(grad, bt.grad, opts.preferenceWeight);
      preference = bt.loss;
    }
    const penalty = addL2(state.adapter, grad, opts.l2);
    for (const [a, b] of frozen) grad.fill(0, a, b);
    adamStep(state.adapter, grad, state.adam, { lr: opts.learningRate });
    const start = averageFrom(opts.steps);
    if (step > start) {
      // A state saved before averaging existed starts its mean from the current iterate.
      if (!state.average || step === start + 1) state.average = Float32Array.from(state.adapter);
      else {
        const avg = state.average, x = state.adapter, n = step - start;
        for (let i = 0; i < avg.length; i++) avg[i] = avg[i]! + (x[i]! - avg[i]!) / n;
      }
    }
    state.step = step;
    const point: LossPoint = { step, loss: r.loss + penalty + (preference ?? 0) * opts.preferenceWeight, restoration: r.loss, preference };
    state.losses.push(point);
    await hooks.onStep?.(point, state);
  }
  return state;
}

export interface PerImage {
  psnrBase: number;
  psnrAdapted: number;
}

/** PSNR of base and adapted restorations of each held-out example against its clean target. */
export async function compare(examples: Example[], adapter: Float32Array, g: Graphs, onImage?: (i: number) => void): Promise<PerImage[]> {
  const zero = new Float32Array(adapter.length);
  const out: PerImage[] = [];
  for (const [i, ex] of examples.entries()) {
    const base = await adaptedForward(g.forward, ex.degraded, ex.queries, g.K, g.dq, zero);
    const adapted = await adaptedForward(g.forward, ex.degraded, ex.queries, g.K, g.dq, adapter);
    out.push({ psnrBase: psnr(base.rgb, ex.target.rgb), psnrAdapted: psnr(adapted.rgb, ex.target.rgb) });
    onImage?.(i);
  }
  return out;
}

/** Gains below this (dB) are noise on a handful of photos. */
const MIN_GAIN_DB = 0.1;

export function verdictOf(per: PerImage[]): Evaluation {
  if (!per.length) {
    return { n: 0, psnrBase: 0, psnrAdapted: 0, gainDb: 0, worse: 0, verdict: 'not-evaluated', summary: 'Not evaluated: there were no held-out photos to compare on.' };
  }
  const mean = (f: (p: PerImage) => number) => per.reduce((s, p) => s + f(p), 0) / per.length;
  const psnrBase = mean((p) => p.psnrBase), psnrAdapted = mean((p) => p.psnrAdapted);
  const gainDb = psnrAdapted - psnrBase;
  const worse = per.filter((p) => p.psnrAdapted < p.psnrBase - MIN_GAIN_DB).length;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const verdict = gainDb >= MIN_GAIN_DB && worse <= per.length / 2 ? 'helped' : gainDb <= -MIN_GAIN_DB ? 'hurt' : 'no-change';
  const g = `${gainDb >= 0 ? '+' : ''}${gainDb.toFixed(2)} dB`;
  const summary =
    verdict === 'helped'
      ? `It helped: on ${per.length} held-out photo(s) the personalised restorer was closer to the originals (${g} PSNR).`
      : verdict === 'hurt'
        ? `It did not help: on ${per.length} held-out photo(s) the personalised restorer was worse (${g} PSNR). It is kept but not recommended.`
        : `No clear difference on ${per.length} held-out photo(s) (${g} PSNR). It is kept but not recommended.`;
  return { n: per.length, psnrBase: round(psnrBase), psnrAdapted: round(psnrAdapted), gainDb: round(gainDb), worse, verdict, summary };
}
