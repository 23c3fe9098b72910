/** Recipe sampling is bit-exact with Python: the test vectors the models engineer exported, plus the PRNG itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../../electron/node/app-paths.js';
import {
  Mulberry32, uniformBlock, gaussianBlock, pyRound, sampleRecipe, recipeLabels, withOp, RANGES, SEVERITIES, OP_ORDER,
  type DegradationRecipe, type Severity,
} from '../../../electron/engine/degradations/index.js';

interface Vectors {
  mulberry32: Array<{ seed: number; first: number[] }>;
  vectors: Array<{ seed: number; severity: Severity; recipe: DegradationRecipe; labels: Record<string, number> }>;
}
const vectors: Vectors = JSON.parse(fs.readFileSync(path.join(appRoot(), 'models', 'zoo', 'degradation_vectors.json'), 'utf8'));

test('mulberry32 reproduces Python\'s first outputs for every seed in the vectors', () => {
  assert.ok(vectors.mulberry32.length >= 5);
  for (const { seed, first } of vectors.mulberry32) {
    const g = new Mulberry32(seed);
    assert.deepEqual(first.map(() => g.next()), first, `seed ${seed}`);
    assert.deepEqual([...uniformBlock(seed, first.length)], first, `uniformBlock seed ${seed}`);
  }
});

test('gaussianBlock is Box-Muller on consecutive uniform pairs, roughly standard normal', () => {
  const u = uniformBlock(9, 4);
  const z = gaussianBlock(9, 2);
  assert.equal(z[0], Math.sqrt(-2 * Math.log(1 - u[0]!)) * Math.cos(2 * Math.PI * u[1]!));
  assert.equal(z[1], Math.sqrt(-2 * Math.log(1 - u[2]!)) * Math.cos(2 * Math.PI * u[3]!));
  const big = gaussianBlock(123, 20000);
  const mean = big.reduce((a, b) => a + b, 0) / big.length;
  const std = Math.sqrt(big.reduce((a, b) => a + (b - mean) ** 2, 0) / big.length);
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(std - 1) < 0.03, `mean ${mean} std ${std}`);
});

test('pyRound rounds the exact binary value half-to-even, like Python\'s round()', () => {
  assert.equal(pyRound(0.015625, 5), 0.01562); // exact tie → even (toFixed would give 0.01563)
  assert.equal(pyRound(0.046875, 5), 0.04688); // exact tie → even, upward
  assert.equal(pyRound(2.675, 2), 2.67); // 2.675 is stored just below
  assert.equal(pyRound(0.5, 0), 0);
  assert.equal(pyRound(1.5, 0), 2);
  assert.equal(pyRound(2.5, 0), 2);
  assert.equal(pyRound(9.999996, 5), 10);
  assert.equal(pyRound(-1.234567, 4), -1.2346);
  assert.equal(pyRound(3.14159265, 5), 3.14159);
});

test(`sampleRecipe deep-equals every Python recipe and its labels in degradation_vectors.json (${vectors.vectors.length} vectors)`, () => {
  assert.ok(vectors.vectors.length >= 20);
  assert.deepEqual(new Set(vectors.vectors.map((v) => v.severity)), new Set(SEVERITIES));
  for (const v of vectors.vectors) {
    const r = sampleRecipe(v.seed, v.severity);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(r)), v.recipe, `seed ${v.seed} ${v.severity}`);
    assert.deepStrictEqual(recipeLabels(r), v.labels, `labels of seed ${v.seed} ${v.severity}`);
  }
});

test('sampleRecipe is deterministic, and different seeds give different recipes', () => {
  for (const sev of SEVERITIES) {
    assert.deepStrictEqual(sampleRecipe(77, sev), sampleRecipe(77, sev));
    const distinct = new Set(Array.from({ length: 30 }, (_, s) => JSON.stringify(sampleRecipe(s, sev).ops)));
    assert.ok(distinct.size >= 28, `${sev}: only ${distinct.size} distinct recipes of 30`);
  }
});

test('parameters stay inside the severity\'s ranges, ops in the fixed order, every op reachable', () => {
  for (const sev of SEVERITIES) {
    const R = RANGES[sev];
    const seen = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const r = sampleRecipe(seed * 7919 + 13, sev);
      const order = r.ops.map((o) => OP_ORDER.indexOf(o.op));
      assert.deepEqual(order, [...order].sort((a, b) => a - b));
      for (const op of r.ops) {
        seen.add(op.op);
        const within = (v: number, [lo, hi]: readonly [number, number], what: string) => assert.ok(v >= lo - 1e-5 && v <= hi + 1e-5, `${sev} ${what} ${v} outside [${lo}, ${hi}]`);
        if (op.op === 'blur') (within(op.sigma_x, R.sigma, 'sigma_x'), within(op.sigma_y, R.sigma, 'sigma_y'), within(op.theta, [0, Math.PI], 'theta'));
        if (op.op === 'downsample') within(op.r, R.r, 'r');
        if (op.op === 'noise') within(op.sigma * 255, R.delta, 'delta');
        if (op.op === 'jpeg') (within(op.quality, R.q, 'q'), assert.ok(Number.isInteger(op.quality)));
        if (op.op === 'grain') within(op.amount, R.grain, 'grain');
        if (op.op === 'fade') within(op.amount, R.fade, 'fade');
        if (op.op === 'cast') within(op.strength, R.cast, 'cast');
        if (op.op === 'scratches') within(op.lines.length, R.scratches, 'lines');
        if (op.op === 'dust') within(op.count, R.dust, 'dust');
      }
    }
    assert.deepEqual(seen, new Set(OP_ORDER), `${sev}: ops never drawn: ${OP_ORDER.filter((o) => !seen.has(o))}`);
  }
});

test('withOp adds mono in its place in the order, and leaves a recipe that has it alone', () => {
  const r: DegradationRecipe = { seed: 1, severity: 'light', ops: [{ op: 'blur', sigma_x: 1, sigma_y: 1, theta: 0 }, { op: 'jpeg', quality: 80 }] };
  assert.deepEqual(withOp(r, 'mono').ops.map((o) => o.op), ['blur', 'mono', 'jpeg']);
  const again = withOp(r, 'mono');
  assert.equal(withOp(again, 'mono'), again);
});
