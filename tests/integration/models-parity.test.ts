/**
 * The shipped ONNX models in ONNX Runtime against PyTorch (parity.json written
 * at export), and the engine's own TypeScript decoding loop against PyTorch's
 * greedy decode: same semantic tokens, same latent queries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { shippedModelsDir } from '../../electron/node/app-paths.js';
import { scanModels } from '../../electron/node/model-registry.js';
import { SessionCache } from '../../electron/engine/session-cache.js';
import { SemanticIntegrator } from '../../electron/engine/semantic/integrator.js';
import { skipUnlessCommitted } from '../committed.js';

const models = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]);

function tensorFrom(spec: { shape: number[]; data: number[] }, dtype: string): ort.Tensor {
  return dtype === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(spec.data.map((v) => BigInt(v))), spec.shape) : new ort.Tensor('float32', Float32Array.from(spec.data), spec.shape);
}

test('every shipped model has a valid manifest', { skip: skipUnlessCommitted('the shipped models (models/zoo)', models.length > 0) }, () => {
  for (const m of models) assert.ok(m.ok, `${m.id}: ${m.problem}`);
});

for (const m of models.filter((x) => fs.existsSync(path.join(x.dir, 'parity.json')))) {
  test(`${m.id}: ONNX Runtime matches PyTorch`, async () => {
    const parity = JSON.parse(fs.readFileSync(path.join(m.dir, 'parity.json'), 'utf8'));
    const session = await ort.InferenceSession.create(m.file);
    const feeds: Record<string, ort.Tensor> = {};
    for (const inp of m.manifest!.inputs) feeds[inp.name] = tensorFrom(parity.inputs[inp.name], inp.dtype);
    const out = await session.run(feeds);
    for (const [name, expected] of Object.entries(parity.outputs as Record<string, { shape: number[]; data: number[] }>)) {
      const got = out[name]!;
      assert.deepEqual([...got.dims], expected.shape, `${name} shape`);
      const data = got.data as Float32Array;
      let maxErr = 0;
      for (let i = 0; i < data.length; i++) maxErr = Math.max(maxErr, Math.abs(data[i]! - expected.data[i]!));
      assert.ok(maxErr <= (parity.atol ?? 1e-4), `${name}: max abs error ${maxErr}`);
    }
    await session.release();
  });
}

const integ = models.find((m) => m.manifest?.task === 'integrator');
const cue = models.find((m) => m.manifest?.task === 'cue-encoder');
test('the engine\'s decoding loop reproduces PyTorch\'s greedy decode', { skip: skipUnlessCommitted('the shipped integrator and cue encoder (models/zoo)', !!(integ && cue)) }, async () => {
  const parity = JSON.parse(fs.readFileSync(path.join(integ!.dir, 'parity.json'), 'utf8'));
  const cueParity = JSON.parse(fs.readFileSync(path.join(cue!.dir, 'parity.json'), 'utf8'));
  const cache = new SessionCache();
  const si = new SemanticIntegrator(await cache.get(cue!, 'cpu'), await cache.get(integ!, 'cpu'));
  assert.deepEqual(si.tokenize(parity.decode.text), parity.decode.instruction_ids);
  // Feed the cue image of the cue encoder's parity vector (NCHW → HWC) so the whole chain is checked.
  const img = cueParity.inputs.image as { shape: number[]; data: number[] };
  const [, , h, w] = img.shape as [number, number, number, number];
  const hwc = new Float32Array(h * w * 3);
  for (let c = 0; c < 3; c++) for (let p = 0; p < h * w; p++) hwc[p * 3 + c] = img.data[c * h * w + p]!;
  const u = await si.understand(hwc, w, h, parity.decode.text);
  assert.deepEqual(u.values, parity.decode.values);
  const expected = parity.decode.queries.data as number[];
  assert.equal(u.queries.length, expected.length);
  let maxErr = 0;
  for (let i = 0; i < expected.length; i++) maxErr = Math.max(maxErr, Math.abs(u.queries[i]! - expected[i]!));
  assert.ok(maxErr < 1e-3, `queries max abs error ${maxErr}`);
  assert.ok(u.timings.decode < 5);
  await cache.clear();
});
