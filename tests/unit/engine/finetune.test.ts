/** Fine-tuning pieces without models: Adam, the Bradley-Terry term, picks, verdicts and adapter file validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adamState, adamStep } from '../../../electron/engine/finetune/adam.js';
import { addL2, bradleyTerry, contradictions, softplusNeg } from '../../../electron/engine/finetune/objective.js';
import { decodeAdapter, encodeAdapter } from '../../../electron/engine/finetune/adapter-file.js';
import { logMseWeight, trainedAdapter, verdictOf } from '../../../electron/engine/finetune/trainer.js';
import { loadState, saveState } from '../../../electron/engine/finetune/run-state.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { heldOutIndices } from '../../../electron/engine/finetune/finetune-job.js';
import { trainVariants } from '../../../electron/engine/finetune/training-set.js';

test('Adam: the first step moves every parameter by lr against the sign of its gradient', () => {
  const p = Float32Array.from([1, -2, 0.5]);
  const st = adamState(3);
  adamStep(p, Float32Array.from([0.3, -4, 1e-3]), st, { lr: 0.1 });
  assert.ok(Math.abs(p[0]! - 0.9) < 1e-5 && Math.abs(p[1]! + 1.9) < 1e-5 && Math.abs(p[2]! - 0.4) < 1e-3);
  assert.equal(st.t, 1);
});

test('Adam minimises a badly scaled quadratic', () => {
  const scale = [1, 100, 0.01];
  const p = Float32Array.from([3, -3, 3]);
  const st = adamState(3);
  for (let i = 0; i < 2000; i++) adamStep(p, Float32Array.from([...p].map((x, k) => 2 * scale[k]! * (x - 1))), st, { lr: 0.02 });
  for (const x of p) assert.ok(Math.abs(x - 1) < 0.05, `converged to ${[...p]}`);
});

test('Bradley-Terry: loss, probability and gradient agree with finite differences', () => {
  // mse(y, c) = (θ - c)² per coordinate, so gradients are 2(θ - c).
  const theta = [0.2, -0.1], a = [0.3, 0], b = [-0.5, 0.4], tau = 0.05;
  const mse = (t: number[], c: number[]) => t.reduce((s, x, i) => s + (x - c[i]!) ** 2, 0);
  const grad = (t: number[], c: number[]) => Float32Array.from(t.map((x, i) => 2 * (x - c[i]!)));
  const loss = (t: number[]) => softplusNeg((mse(t, b) - mse(t, a)) / tau);
  const bt = bradleyTerry(mse(theta, a), grad(theta, a), mse(theta, b), grad(theta, b), tau);
  assert.ok(Math.abs(bt.loss - loss(theta)) < 1e-9);
  assert.ok(bt.prob > 0.5, 'θ is closer to the preferred candidate');
  for (let i = 0; i < 2; i++) {
    const h = 1e-6;
    const up = [...theta], dn = [...theta];
    up[i]! += h;
    dn[i]! -= h;
    assert.ok(Math.abs((loss(up) - loss(dn)) / (2 * h) - bt.grad[i]!) < 1e-3);
  }
  // Following the gradient moves toward the preferred candidate.
  const next = theta.map((x, i) => x - 0.001 * bt.grad[i]!);
  assert.ok(mse(next, a) < mse(theta, a));
});

test('softplusNeg is stable far from zero', () => {
  assert.ok(Number.isFinite(softplusNeg(-1000)) && Math.abs(softplusNeg(-1000) - 1000) < 1e-9);
  assert.ok(softplusNeg(1000) >= 0 && softplusNeg(1000) < 1e-300 + 1e-12);
});

test('L2 penalty adds 2wθ to the gradient', () => {
  const g = new Float32Array(2);
  const v = addL2(Float32Array.from([1, -2]), g, 0.5);
  assert.equal(v, 2.5);
  assert.deepEqual([...g], [1, -2]);
});

test('contradictory picks are found, "neither" never contradicts', () => {
  assert.deepEqual(contradictions([{ key: 'x', choice: 'a' }, { key: 'x', choice: 'b' }, { key: 'y', choice: 'a' }, { key: 'y', choice: 'neither' }, { key: 'y', choice: 'a' }]), ['x']);
});

test('held-out references: none below two, one of two, every fourth after that', () => {
  assert.deepEqual([...heldOutIndices(1)], []);
  assert.deepEqual([...heldOutIndices(2)], [1]);
  assert.deepEqual([...heldOutIndices(8)], [3, 7]);
});

test('training variants: about 24 examples from few references, 4 per reference from six on', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 6, 7, 16, 200].map(trainVariants), [24, 24, 12, 8, 6, 4, 4, 4, 4]);
});

test('verdict: helped, hurt, no change, not evaluated', () => {
  assert.equal(verdictOf([{ psnrBase: 20, psnrAdapted: 21 }, { psnrBase: 22, psnrAdapted: 22.5 }]).verdict, 'helped');
  assert.equal(verdictOf([{ psnrBase: 20, psnrAdapted: 19 }]).verdict, 'hurt');
  assert.equal(verdictOf([{ psnrBase: 20, psnrAdapted: 20.02 }]).verdict, 'no-change');
  // A mean gain carried by one photo while most got worse is not "helped".
  assert.notEqual(verdictOf([{ psnrBase: 20, psnrAdapted: 25 }, { psnrBase: 20, psnrAdapted: 19.5 }, { psnrBase: 20, psnrAdapted: 19.5 }]).verdict, 'helped');
  const none = verdictOf([]);
  assert.equal(none.verdict, 'not-evaluated');
  assert.match(none.summary, /Not evaluated/);
});

const header = { name: 'Grandma', base: { id: 'restora-restorer', sha256: 'a'.repeat(64) }, createdAt: 1, steps: 10, references: 3, picks: 0, evaluation: null };

test('adapter file round trip', () => {
  const values = Float32Array.from([0, 1.5, -0.25, 3e-5]);
  const f = decodeAdapter(encodeAdapter(header, values));
  assert.deepEqual([...f.values], [...values]);
  assert.equal(f.header.name, 'Grandma');
  assert.equal(f.header.size, 4);
});

test('adapter files that are foreign, truncated, tampered or out of range are refused with the reason', () => {
  const good = encodeAdapter(header, Float32Array.from([0.1, 0.2, 0.3]));
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  assert.throws(() => decodeAdapter(png, 'photo.png'), /photo\.png is not a usable Restora adapter: .*wrong kind of file/);
  assert.throws(() => decodeAdapter(good.subarray(0, good.length - 2)), /truncated/);
  const tampered = Buffer.from(good);
  tampered[tampered.length - 1]! ^= 0x40;
  assert.throws(() => decodeAdapter(tampered), /checksum/);
  const badHeader = Buffer.from(good);
  badHeader[14] = 0x7b; // break the JSON
  assert.throws(() => decodeAdapter(badHeader), /header/);
  assert.throws(() => decodeAdapter(encodeAdapter(header, Float32Array.from([NaN]))), /out of range/);
  assert.throws(() => encodeAdapter({ ...header, name: '../etc/passwd' }, Float32Array.from([0])));
});

test('log-MSE weighting: a step with twice the recent loss counts half, at the scale of plain MSE', () => {
  const pts = (xs: number[]) => xs.map((restoration, i) => ({ step: i + 1, loss: restoration, restoration, preference: null }));
  assert.equal(logMseWeight(0.004, []), 1);
  assert.ok(Math.abs(logMseWeight(0.004, pts([0.002, 0.002])) - 0.5) < 1e-12);
  assert.ok(Math.abs(logMseWeight(0.001, pts([0.002, 0.002])) - 2) < 1e-12);
  // only the last 20 steps set the scale
  assert.ok(Math.abs(logMseWeight(0.002, pts([...Array(30).fill(1), ...Array(20).fill(0.002)])) - 1) < 1e-12);
});

test('a run yields the iterate average once past half its steps, and checkpoints keep it (older checkpoints still load)', () => {
  const st = { step: 3, adapter: Float32Array.from([1, 2]), adam: { t: 3, m: Float32Array.from([0.1, 0.2]), v: Float32Array.from([0.3, 0.4]) }, losses: [], average: Float32Array.from([5, 6]) };
  assert.equal(trainedAdapter(st, 10), st.adapter, 'step 3 of 10: averaging has not started');
  assert.equal(trainedAdapter({ ...st, step: 6 }, 10), st.average);
  assert.equal(trainedAdapter({ ...st, step: 6, average: undefined }, 10), st.adapter);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-runstate-'));
  try {
    saveState(dir, st);
    const back = loadState(dir, 2)!;
    assert.deepEqual([...back.adapter, ...back.adam.m, ...back.average!].map((x) => Math.round(x * 10) / 10), [1, 2, 0.1, 0.2, 5, 6]);
    assert.equal(loadState(dir, 3), null, 'another adapter size is refused');
    // A checkpoint written before averaging (adapter, m, v only) loads without an average.
    fs.writeFileSync(path.join(dir, 'state.bin'), fs.readFileSync(path.join(dir, 'state.bin')).subarray(0, 2 * 12));
    const old = loadState(dir, 2)!;
    assert.equal(old.average, undefined);
    assert.deepEqual([...old.adapter], [1, 2]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
