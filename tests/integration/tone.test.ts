/**
 * The shipped tone model through the engine's own code (thumbnail of the whole
 * photo → ONNX Runtime → matrix) against PyTorch's (parity.json `pipeline`), and
 * what it does to a real faded photo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { shippedModelsDir } from '../../electron/node/app-paths.js';
import { scanModels } from '../../electron/node/model-registry.js';
import { SessionCache } from '../../electron/engine/session-cache.js';
import { ToneEstimator, toneThumbnail } from '../../electron/engine/semantic/tone.js';
import { uniformBlock } from '../../electron/engine/degradations/prng.js';
import { skipUnlessCommitted } from '../committed.js';

const tone = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]).find((m) => m.manifest?.task === 'tone');

test('the engine\'s tone thumbnail and matrix reproduce PyTorch on whole photos', { skip: skipUnlessCommitted('the shipped tone model (models/zoo/restora-tone)', !!tone) }, async () => {
  const parity = JSON.parse(fs.readFileSync(path.join(tone!.dir, 'parity.json'), 'utf8'));
  const cache = new SessionCache();
  const est = new ToneEstimator(await cache.get(tone!, 'cpu'));
  const q = Float32Array.from(parity.inputs.queries.data as number[]);
  const [, K, dq] = parity.inputs.queries.shape as number[];
  assert.ok(parity.pipeline.length >= 2);
  for (const v of parity.pipeline as Array<{ seed: number; height: number; width: number; thumbnail_head: number[]; thumbnail_mean: number; matrix: number[] }>) {
    const img = Float32Array.from(uniformBlock(v.seed, v.height * v.width * 3));
    const th = toneThumbnail(img, v.width, v.height, est.size);
    v.thumbnail_head.forEach((x, i) => assert.ok(Math.abs(th[i]! - x) < 1e-5, `${v.width}×${v.height} thumbnail[${i}] ${th[i]} vs ${x}`));
    const mean = th.reduce((a, b) => a + b, 0) / th.length;
    assert.ok(Math.abs(mean - v.thumbnail_mean) < 1e-5);
    const m = await est.estimate(th, q, K!, dq!);
    v.matrix.forEach((x, i) => assert.ok(Math.abs(m[i]! - x) < 1e-4, `${v.width}×${v.height} matrix[${i}] ${m[i]} vs ${x}`));
  }
  await cache.clear();
});
