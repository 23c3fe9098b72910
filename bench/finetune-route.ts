/**
 * Why the fine-tuning engine uses exact gradients (models/README.md, "Fine-tuning"):
 *   node --import tsx bench/finetune-route.ts [--seconds 40] [--data ../shared/data]
 * Same problem, same wall-time budget, two optimisers over the same adapter:
 *   gradient  Adam on d loss / d adapter from restora-restorer-adapter-grad;
 *   spsa      Adam on a two-point SPSA/MeZO estimate (random ±1 direction z,
 *             (L(θ+εz) − L(θ−εz)) / 2ε · z) with the loss from the forward graph
 *             on the same crops — forward passes only.
 * Problem: two degraded versions of held-out person 001's neutral photo,
 * evaluated on the smiling photo of the same person (loss on fixed crops).
 * Prints time per step and the evaluation loss reached; last line one JSON object.
 */
import path from 'node:path';
import { scanModels } from '../electron/node/model-registry.js';
import { shippedModelsDir } from '../electron/node/app-paths.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import { findModelSet, loadIntegrator } from '../electron/engine/model-restorer.js';
import { RestoreSettings } from '../electron/shared/recipe.js';
import { Mulberry32 } from '../electron/engine/degradations/index.js';
import { requireAdapterGraphs, loadAdapterGraphs, lossAndGrad, adaptedForward } from '../electron/engine/finetune/adapter-graphs.js';
import { loadTrainingImage, makeExamples, sampleBatch, type Batch } from '../electron/engine/finetune/training-set.js';
import { adamState, adamStep } from '../electron/engine/finetune/adam.js';
import { addL2 } from '../electron/engine/finetune/objective.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const seconds = Number(arg('seconds', '40'));
const data = arg('data', path.resolve('..', 'shared', 'data'));

const models = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]);
const set = findModelSet(models)!;
const gm = requireAdapterGraphs(models, set.restorer);
const sessions = new SessionCache();
const reader = await loadIntegrator(sessions, set, RestoreSettings.parse({}));
const { integrator } = reader;
const { forward, grad } = await loadAdapterGraphs(sessions, gm);
const K = integrator.spec.slots.length, dq = integrator.spec.dq;
const trainImg = await loadTrainingImage(path.join(data, 'faces-flr/neutral_front/001_03.jpg'));
const evalImg = await loadTrainingImage(path.join(data, 'faces-flr/smiling_front/001_08.jpg'));
const trainEx = await makeExamples(trainImg, 7, 2, reader);
const evalEx = await makeExamples(evalImg, 900, 2, reader);
const evalBatches = [0, 1, 2].map((i) => sampleBatch(evalEx, new Mulberry32(4242 + i), gm.batch, gm.crop));

/** Loss of a batch from the forward graph only: one call per crop. */
async function forwardLoss(adapter: Float32Array, b: Batch): Promise<number> {
  const S = gm.crop, plane = 3 * S * S, qn = K * dq;
  let sum = 0;
  for (let i = 0; i < gm.batch; i++) {
    const chw = b.image.subarray(i * plane, (i + 1) * plane);
    const hwc = new Float32Array(plane);
    for (let p = 0; p < S * S; p++) for (let c = 0; c < 3; c++) hwc[p * 3 + c] = chw[c * S * S + p]!;
    const out = await adaptedForward(forward, { width: S, height: S, rgb: hwc }, b.queries.subarray(i * qn, (i + 1) * qn), K, dq, adapter);
    for (let p = 0; p < S * S; p++) for (let c = 0; c < 3; c++) sum += (out.rgb[p * 3 + c]! - b.target[i * plane + c * S * S + p]!) ** 2;
  }
  return sum / (gm.batch * plane);
}
async function evalLoss(adapter: Float32Array): Promise<number> {
  let s = 0;
  for (const b of evalBatches) s += (await lossAndGrad(grad, gm, K, dq, adapter, b)).loss;
  return s / evalBatches.length;
}

async function run(route: 'gradient' | 'spsa', lr: number) {
  const a = new Float32Array(gm.size), st = adamState(gm.size);
  const t0 = performance.now();
  let steps = 0;
  const eps = 1e-3;
  while ((performance.now() - t0) / 1000 < seconds) {
    const rng = new Mulberry32(1000 + steps);
    const b = sampleBatch(trainEx, rng, gm.batch, gm.crop);
    let g: Float32Array;
    if (route === 'gradient') g = (await lossAndGrad(grad, gm, K, dq, a, b)).grad;
    else {
      const z = new Float32Array(gm.size);
      for (let i = 0; i < z.length; i++) z[i] = rng.next() < 0.5 ? -1 : 1;
      const plus = a.map((v, i) => v + eps * z[i]!), minus = a.map((v, i) => v - eps * z[i]!);
      const d = ((await forwardLoss(plus, b)) - (await forwardLoss(minus, b))) / (2 * eps);
      g = z.map((v) => v * d);
    }
    addL2(a, g, 1e-3);
    adamStep(a, g, st, { lr });
    steps++;
  }
  const secPerStep = (performance.now() - t0) / 1000 / steps;
  return { route, lr, steps, secPerStep: Math.round(secPerStep * 1000) / 1000, evalLoss: await evalLoss(a) };
}

const base = await evalLoss(new Float32Array(gm.size));
console.log(`base eval loss ${base.toExponential(3)}`);
const results = [];
for (const [route, lr] of [['gradient', 3e-3], ['spsa', 3e-3], ['spsa', 3e-4]] as const) {
  const r = await run(route, lr);
  results.push(r);
  console.log(`${route} lr ${lr}: ${r.steps} steps, ${r.secPerStep} s/step, eval loss ${r.evalLoss.toExponential(3)} (${(((base - r.evalLoss) / base) * 100).toFixed(1)}% lower than base)`);
}
console.log(JSON.stringify({ seconds, baseEvalLoss: base, results }));
