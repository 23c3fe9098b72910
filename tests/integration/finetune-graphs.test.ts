/**
 * The adapter graphs in ONNX Runtime: a zero adapter is exactly the shipped
 * restorer, and the gradient graph's gradient matches finite differences of
 * its own loss (so Adam in the engine follows the real slope).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { shippedModelsDir } from '../../electron/node/app-paths.js';
import { scanModels } from '../../electron/node/model-registry.js';
import { SessionCache } from '../../electron/engine/session-cache.js';
import { loadAdapterGraphs, lossAndGrad, requireAdapterGraphs } from '../../electron/engine/finetune/adapter-graphs.js';
import { Mulberry32 } from '../../electron/engine/degradations/index.js';
import { frozenRanges, train, trainedAdapter } from '../../electron/engine/finetune/trainer.js';
import { adamState } from '../../electron/engine/finetune/adam.js';

const models = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]);
const restorer = models.find((m) => m.manifest?.task === 'restorer')!;
const gm = requireAdapterGraphs(models, restorer);
const cache = new SessionCache();

test('a zero adapter reproduces the shipped restorer', async () => {
  const parity = JSON.parse(fs.readFileSync(path.join(restorer.dir, 'parity.json'), 'utf8'));
  const { forward } = await loadAdapterGraphs(cache, gm);
  const t = (v: { shape: number[]; data: number[] }) => new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
  const out = await forward.session.run({ image: t(parity.inputs.image), queries: t(parity.inputs.queries), adapter: new ort.Tensor('float32', new Float32Array(gm.size), [gm.size]) });
  const got = out.restored!.data as Float32Array;
  let err = 0;
  for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i]! - parity.outputs.restored.data[i]));
  assert.ok(err < 1e-4, `max |diff| ${err}`);
});

test('the gradient agrees with finite differences of the loss along random directions', async () => {
  const { grad } = await loadAdapterGraphs(cache, gm);
  const rng = new Mulberry32(5);
  const n = 3 * gm.crop * gm.crop * gm.batch;
  const batch = {
    image: Float32Array.from({ length: n }, () => rng.next()),
    target: Float32Array.from({ length: n }, () => rng.next()),
    queries: Float32Array.from({ length: gm.batch * 11 * 64 }, () => rng.next() * 2 - 1),
  };
  const theta = Float32Array.from({ length: gm.size }, () => (rng.next() - 0.5) * 0.02);
  const at = await lossAndGrad(grad, gm, 11, 64, theta, batch);
  for (let k = 0; k < 2; k++) {
    const d = Float32Array.from({ length: gm.size }, () => (rng.next() < 0.5 ? -1 : 1));
    const eps = 1e-3;
    const plus = await lossAndGrad(grad, gm, 11, 64, theta.map((v, i) => v + eps * d[i]!), batch);
    const minus = await lossAndGrad(grad, gm, 11, 64, theta.map((v, i) => v - eps * d[i]!), batch);
    const fd = (plus.loss - minus.loss) / (2 * eps);
    const an = at.grad.reduce((s, g, i) => s + g * d[i]!, 0);
    assert.ok(Math.abs(fd - an) <= 0.05 * Math.abs(an) + 1e-5, `finite difference ${fd} vs gradient ${an}`);
  }
});

test('training leaves the frozen slots (the output bias) at the base value and moves the rest', async () => {
  const { forward, grad } = await loadAdapterGraphs(cache, gm);
  const ranges = frozenRanges(gm);
  assert.deepEqual(ranges.map(([a, b]) => b - a), [3], 'the output bias (3 values) is the one frozen slot');
  const rng = new Mulberry32(9);
  const img = (seed: number) => {
    const r = new Mulberry32(seed);
    return { width: 96, height: 96, rgb: Float32Array.from({ length: 96 * 96 * 3 }, () => r.next()) };
  };
  // Targets brighter than the inputs: exactly what a free output bias would learn first.
  const examples = [1, 2].map((s) => {
    const degraded = img(s);
    return { degraded, target: { ...degraded, rgb: degraded.rgb.map((v) => Math.min(1, v + 0.1)) }, queries: Float32Array.from({ length: 11 * 64 }, () => rng.next() * 2 - 1) };
  });
  const iterates: Float32Array[] = [];
  const state = await train(examples, [], { steps: 4, learningRate: 3e-3, l2: 1e-3, preferenceWeight: 0, seed: 1 },
    { step: 0, adapter: new Float32Array(gm.size), adam: adamState(gm.size), losses: [] }, { models: gm, forward, grad, K: 11, dq: 64 },
    { onStep: (_p, s) => void iterates.push(Float32Array.from(s.adapter)) });
  for (const [a, b] of ranges) assert.ok(state.adapter.subarray(a, b).every((v) => v === 0));
  assert.ok(state.adapter.some((v) => v !== 0), 'the other adapter values moved');
  // What the run yields is the mean of the iterates of steps 3 and 4 (the second half).
  const yielded = trainedAdapter(state, 4);
  let err = 0, spread = 0;
  for (let i = 0; i < yielded.length; i++) {
    err = Math.max(err, Math.abs(yielded[i]! - (iterates[2]![i]! + iterates[3]![i]!) / 2));
    spread = Math.max(spread, Math.abs(iterates[3]![i]! - iterates[2]![i]!));
  }
  assert.ok(spread > 1e-4 && err < 1e-7, `average off by ${err} (iterates differ by up to ${spread})`);
});
