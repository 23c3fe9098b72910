/** The generative sampler's pure parts: schedule, position-keyed noise, the update rule, seeds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianAt, noiseTile } from '../../../electron/engine/generative/noise.js';
import { sampleTile, schedule } from '../../../electron/engine/generative/sampler.js';
import { contentSeed, generativePlan } from '../../../electron/engine/generative/seed.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';

test('schedule: t0 = 1 − fidelity, equal steps down to 0, nothing at fidelity 1', () => {
  assert.deepEqual(schedule(1, 4), []);
  assert.deepEqual(schedule(0, 2), [1, 0.5, 0]);
  assert.deepEqual(schedule(0.75, 1), [0.25, 0]);
  assert.equal(schedule(0.3, 8).length, 9);
});

test('noise depends only on (seed, pixel, channel): tiles that overlap agree, seeds differ, stats are standard normal', () => {
  const a = noiseTile(7, 10, 20, 16, 8);
  const b = noiseTile(7, 18, 20, 16, 8);
  // pixel (18..25, 20..27) is in both tiles
  for (let c = 0; c < 3; c++) for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) assert.equal(a[c * 128 + y * 16 + 8 + x], b[c * 128 + y * 16 + x]);
  assert.notEqual(gaussianAt(7, 3, 4, 0), gaussianAt(8, 3, 4, 0));
  assert.notEqual(gaussianAt(7, 3, 4, 0), gaussianAt(7, 3, 4, 1));
  const big = noiseTile(123, 0, 0, 128, 128);
  const mean = big.reduce((s, v) => s + v, 0) / big.length;
  const variance = big.reduce((s, v) => s + (v - mean) ** 2, 0) / big.length;
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(variance - 1) < 0.03, `mean ${mean}, variance ${variance}`);
});

test('sampler: a model that always predicts the same clean image ends exactly there; fidelity 1 is the condition', async () => {
  const cond = Float32Array.from({ length: 12 }, (_, i) => i / 12);
  const clean = Float32Array.from({ length: 12 }, (_, i) => 0.5 + 0.02 * Math.sin(i));
  const eps = noiseTile(1, 0, 0, 2, 2);
  const seen: number[] = [];
  const out = await sampleTile(cond, eps, { fidelity: 0.4, steps: 3, resScale: 0.1 }, async (_x, t) => {
    seen.push(t);
    return clean;
  });
  assert.deepEqual(seen.map((t) => Number(t.toFixed(6))), [0.6, 0.4, 0.2]);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(out[i]! - clean[i]!) < 1e-6);
  const same = await sampleTile(cond, eps, { fidelity: 1, steps: 3, resScale: 0.1 }, async () => {
    throw new Error('must not run the model');
  });
  assert.deepEqual([...same], [...cond]);
});

test('sampler: the first model input is the condition noised to t0 with scale resScale', async () => {
  const cond = new Float32Array(12).fill(0.5);
  const eps = noiseTile(2, 0, 0, 2, 2);
  let first: Float32Array | null = null;
  await sampleTile(cond, eps, { fidelity: 0.7, steps: 2, resScale: 0.1 }, async (x) => {
    first ??= Float32Array.from(x);
    return cond;
  });
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(first![i]! - (0.5 + 0.1 * 0.3 * eps[i]!)) < 1e-6);
});

test('seeds: deterministic seeds follow the pixels and every setting; stochastic ones are the user\'s', () => {
  const px = new Uint8Array(4 * 4 * 3).fill(100);
  const s = RestoreSettings.parse({ mode: 'generative' });
  const base = contentSeed(px, 4, 4, s);
  assert.equal(contentSeed(px, 4, 4, s), base);
  const px2 = Uint8Array.from(px);
  px2[5] = 101;
  assert.notEqual(contentSeed(px2, 4, 4, s), base);
  assert.notEqual(contentSeed(px, 4, 4, { ...s, fidelity: 0.6 }), base);
  assert.notEqual(contentSeed(px, 4, 4, { ...s, steps: 5 }), base);
  assert.notEqual(contentSeed(px, 4, 4, { ...s, instruction: 'remove the dust' }), base);
  assert.equal(generativePlan(px, 4, 4, RestoreSettings.parse({ mode: 'generative', deterministic: false, seed: 99 })).seed, 99);
});

test('settings: steps, guidance and fidelity out of range are refused with a message that says the range', () => {
  const msg = (v: unknown) => {
    const r = RestoreSettings.safeParse(v);
    assert.equal(r.success, false);
    return r.error!.issues.map((i) => i.message).join('; ');
  };
  assert.match(msg({ steps: 0 }), /from 1 to 32/);
  assert.match(msg({ steps: 33 }), /from 1 to 32/);
  assert.match(msg({ guidance: 11 }), /from 0 to 10/);
  assert.match(msg({ fidelity: -0.1 }), /between 0/);
  const d = RestoreSettings.parse({});
  assert.deepEqual([d.steps, d.guidance, d.deterministic], [4, 1.5, true]);
});
