// Checks ONNX Runtime (onnxruntime-node) against the PyTorch outputs stored in
// zoo/<id>/parity.json, runs the integrator's greedy decode loop exactly as the
// app must, and times the restorer at 512x512 and a full decode.
//   node models/tools/parity.mjs [zooDir]        (from the repo root)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve('package.json'));
const ort = require('onnxruntime-node');
const zoo = process.argv[2] ?? 'models/zoo';
const opts = { intraOpNumThreads: 2, graphOptimizationLevel: 'all' };
const load = (id) => JSON.parse(fs.readFileSync(path.join(zoo, id, 'parity.json'), 'utf8'));
const session = (id) => ort.InferenceSession.create(path.join(zoo, id, 'model.onnx'), opts);
const f32 = (v) => new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
const i64 = (data, shape) => new ort.Tensor('int64', BigInt64Array.from(data.map(BigInt)), shape);
const maxDiff = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
let failed = false;
const check = (name, got, want, atol) => {
  const d = maxDiff(Array.from(got), want);
  const ok = d <= atol;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} max|diff|=${d.toExponential(2)} (atol ${atol})`);
};

const cueP = load('restora-cue-encoder');
const cue = await session('restora-cue-encoder');
const c = await cue.run({ image: f32(cueP.inputs.image) });
check('cue-encoder cues', c.cues.data, cueP.outputs.cues.data, cueP.atol);
check('cue-encoder severity', c.severity.data, cueP.outputs.severity.data, cueP.atol);

const intP = load('restora-integrator');
const integ = await session('restora-integrator');
const man = JSON.parse(fs.readFileSync(path.join(zoo, 'restora-integrator', 'manifest.json'), 'utf8'));
const ii = intP.inputs;
const o = await integ.run({ cues: f32(ii.cues), instruction_ids: i64(ii.instruction_ids.data, ii.instruction_ids.shape),
  semantic_ids: i64(ii.semantic_ids.data, ii.semantic_ids.shape) });
check('integrator logits', o.logits.data, intP.outputs.logits.data, intP.atol);
check('integrator queries', o.queries.data, intP.outputs.queries.data, intP.atol);

// The decode loop: BOS, then K slot-restricted greedy steps, then one more call
// with all K tokens whose queries[1..K] condition the restorer.
async function decode(cues, instructionIds) {
  const sem = man.semantics;
  const ids = [sem.bosId];
  const ins = i64(instructionIds, [1, instructionIds.length]);
  for (const slot of sem.slots) {
    const r = await integ.run({ cues, instruction_ids: ins, semantic_ids: i64(ids, [1, ids.length]) });
    let best = slot.firstId;
    for (let t = slot.firstId; t < slot.firstId + slot.values.length; t++) if (r.logits.data[t] > r.logits.data[best]) best = t;
    ids.push(best);
  }
  const r = await integ.run({ cues, instruction_ids: ins, semantic_ids: i64(ids, [1, ids.length]) });
  const dq = r.queries.dims[2];
  return { ids: ids.slice(1), queries: new ort.Tensor('float32', r.queries.data.slice(dq), [1, ids.length - 1, dq]) };
}
const dv = intP.decode;
let t = performance.now();
const dec = await decode(f32(ii.cues), dv.instruction_ids);
const decodeMs = performance.now() - t;
const same = JSON.stringify(dec.ids) === JSON.stringify(dv.semantic_ids);
failed ||= !same;
console.log(`${same ? 'ok  ' : 'FAIL'} decode ids ${JSON.stringify(dec.ids)} vs ${JSON.stringify(dv.semantic_ids)}`);
check('decode queries', dec.queries.data, dv.queries.data, intP.atol);

const resP = load('restora-restorer');
const rest = await session('restora-restorer');
const r = await rest.run({ image: f32(resP.inputs.image), queries: f32(resP.inputs.queries) });
check('restorer', r.restored.data, resP.outputs.restored.data, resP.atol);

const big = new ort.Tensor('float32', new Float32Array(3 * 512 * 512).fill(0.5), [1, 3, 512, 512]);
await rest.run({ image: big, queries: dec.queries });
t = performance.now();
for (let i = 0; i < 3; i++) await rest.run({ image: big, queries: dec.queries });
const restMs = (performance.now() - t) / 3;
t = performance.now();
for (let i = 0; i < 5; i++) await decode(f32(ii.cues), dv.instruction_ids);
console.log(`timing: restorer 512x512 ${restMs.toFixed(0)} ms, integrator decode (${man.semantics.K + 1} steps) ` +
  `${((performance.now() - t) / 5).toFixed(1)} ms (first ${decodeMs.toFixed(1)} ms), 2 threads`);
// The tone model, when exported: one call (run once per photo, before the restorer).
if (fs.existsSync(path.join(zoo, 'restora-tone', 'parity.json'))) {
  const toneP = load('restora-tone');
  const tone = await session('restora-tone');
  const o = await tone.run({ image: f32(toneP.inputs.image), queries: f32(toneP.inputs.queries) });
  check('tone', o.matrix.data, toneP.outputs.matrix.data, toneP.atol);
  t = performance.now();
  for (let i = 0; i < 5; i++) await tone.run({ image: f32(toneP.inputs.image), queries: dec.queries });
  console.log(`timing: tone ${((performance.now() - t) / 5).toFixed(1)} ms, 2 threads`);
}
// The generative refiner, when exported: one call, and a 512x512 step (cond + uncond as a batch of two).
if (fs.existsSync(path.join(zoo, 'restora-refiner', 'parity.json'))) {
  const refP = load('restora-refiner');
  const ref = await session('restora-refiner');
  const ri = refP.inputs;
  const o = await ref.run({ x_t: f32(ri.x_t), cond: f32(ri.cond), t: f32(ri.t), queries: f32(ri.queries) });
  check('refiner', o.x0.data, refP.outputs.x0.data, refP.atol);
  const b2 = new ort.Tensor('float32', new Float32Array(2 * 3 * 512 * 512).fill(0.5), [2, 3, 512, 512]);
  const feeds = { x_t: b2, cond: b2, t: new ort.Tensor('float32', Float32Array.from([0.3, 0.3]), [2]),
    queries: new ort.Tensor('float32', new Float32Array(2 * dec.queries.data.length), [2, ...dec.queries.dims.slice(1)]) };
  await ref.run(feeds);
  t = performance.now();
  for (let i = 0; i < 3; i++) await ref.run(feeds);
  console.log(`timing: refiner 512x512 guided step (batch 2) ${((performance.now() - t) / 3).toFixed(0)} ms, 2 threads`);
}
process.exit(failed ? 1 : 0);
