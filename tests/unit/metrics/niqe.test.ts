/**
 * NIQE: the committed natural-scene model is well-formed, its numerics hold,
 * and on real photographs a clean photo scores better (lower) than its noisy,
 * blurred and JPEG-damaged versions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sharedDataDir } from '../../../devkit/shared-data.js';
import { niqe, niqeFeatures, grey255 } from '../../../devkit/metrics/index.js';
import { aggdFit, selectSharpRows } from '../../../devkit/metrics/niqe.js';
import { gamma, pinvSymmetric, covariance } from '../../../devkit/metrics/linalg.js';
import { applyRecipe, gaussianBlock } from '../../../electron/engine/degradations/index.js';
import model from '../../../devkit/metrics/niqe-model.json' with { type: 'json' };

const valDir = path.join(sharedDataDir(), 'bsds500', 'val');

test('the committed NIQE model: 36 means, a symmetric 36×36 covariance with positive variances, fitted on bsds500/train', () => {
  assert.equal(model.patch, 96);
  assert.equal(model.mu.length, 36);
  assert.equal(model.cov.length, 36);
  for (let i = 0; i < 36; i++) {
    assert.equal(model.cov[i]!.length, 36);
    assert.ok(model.cov[i]![i]! > 0);
    for (let j = 0; j < 36; j++) assert.ok(Math.abs(model.cov[i]![j]! - model.cov[j]![i]!) < 1e-12);
  }
  assert.match(model.source, /bsds500\/train/);
  assert.ok(model.patches > 200);
});

test('gamma, pseudo-inverse and the AGGD fit are right on known cases', () => {
  assert.ok(Math.abs(gamma(5) - 24) < 1e-9);
  assert.ok(Math.abs(gamma(0.5) - Math.sqrt(Math.PI)) < 1e-12);
  assert.ok(Math.abs(gamma(0.2) - 4.590843711998803) < 1e-9);
  // A singular PSD matrix: A · pinv(A) · A = A.
  const rows = Array.from({ length: 6 }, (_, i) => [i, 2 * i, Math.sin(i)]);
  const A = covariance(rows, 3);
  const P = pinvSymmetric(A);
  const mul = (X: number[][], Y: number[][]) => X.map((r) => Y[0]!.map((_, j) => r.reduce((s, v, k) => s + v * Y[k]![j]!, 0)));
  const back = mul(mul(A, P), A);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(back[i]![j]! - A[i]![j]!) < 1e-9);
  // Gaussian samples: shape α ≈ 2, equal left/right scales ≈ σ·√(Γ(1/α)/Γ(3/α)) = √2.
  const [alpha, bl, br] = aggdFit(gaussianBlock(5, 50000));
  assert.ok(Math.abs(alpha - 2) < 0.1, `alpha ${alpha}`);
  assert.ok(Math.abs(bl - Math.SQRT2) < 0.05 && Math.abs(br - Math.SQRT2) < 0.05, `${bl} ${br}`);
});

test('features: 36 per 96×96 patch; model fitting keeps only the sharp patches', () => {
  const w = 200, h = 100;
  const rgb = new Float32Array(w * h * 3);
  const z = gaussianBlock(1, w * h);
  for (let p = 0; p < w * h; p++) rgb.fill(Math.min(1, Math.max(0, 0.5 + 0.1 * z[p]! * (p % w < 96 ? 1 : 0.1))), p * 3, p * 3 + 3);
  const { rows, sharpness } = niqeFeatures(grey255(rgb), w, h, 96);
  assert.equal(rows.length, 2);
  for (const r of rows) assert.equal(r.length, 36);
  assert.ok(sharpness[0]! > sharpness[1]!);
  assert.deepEqual(selectSharpRows(rows, sharpness), [rows[0]]);
});

test('NIQE is NaN below one 32×32 patch and finite on small images', () => {
  assert.ok(Number.isNaN(niqe(new Float32Array(20 * 20 * 3).fill(0.5), 20, 20)));
  const rgb = Float32Array.from(gaussianBlock(2, 64 * 64 * 3), (v) => Math.min(1, Math.max(0, 0.5 + 0.1 * v)));
  assert.ok(Number.isFinite(niqe(rgb, 64, 64)));
});

const photos = fs.existsSync(valDir) ? fs.readdirSync(valDir).filter((f) => f.endsWith('.jpg')).sort().slice(0, 3) : [];
test('a clean photo scores a lower NIQE than its noisy, blurred and JPEG-damaged versions', { skip: photos.length === 0 && `no bsds500/val photos at ${valDir}` }, async () => {
  for (const f of photos) {
    const { data, info } = await sharp(path.join(valDir, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const img = { width: info.width, height: info.height, rgb: Float32Array.from(data, (v) => v / 255) };
    const clean = niqe(img.rgb, img.width, img.height);
    for (const op of [
      { op: 'noise', sigma: 0.04, gray: false, seed: 3 },
      { op: 'blur', sigma_x: 2, sigma_y: 2, theta: 0 },
      { op: 'jpeg', quality: 15 },
    ] as const) {
      const bad = await applyRecipe(img, { seed: 0, severity: 'severe', ops: [op] });
      const q = niqe(bad.rgb, img.width, img.height);
      assert.ok(clean < q, `${f}: clean ${clean.toFixed(2)} vs ${op.op} ${q.toFixed(2)}`);
    }
  }
});
