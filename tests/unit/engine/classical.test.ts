import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median3, classicalRestore } from '../../../electron/engine/pipeline/classical.js';

test('median removes isolated dust specks and keeps flat areas', () => {
  const w = 9, h = 9;
  const img = new Float32Array(w * h).fill(0.4);
  img[4 * w + 4] = 1; // a white speck
  const out = median3(img, w, h, 1);
  assert.ok(Math.abs(out[4 * w + 4]! - 0.4) < 1e-6);
  assert.ok(out.every((v) => Math.abs(v - 0.4) < 1e-6));
});

test('classical restore keeps values in range and sharpens an edge', () => {
  const w = 16, h = 4;
  const img = new Float32Array(w * h).map((_, i) => ((i % w) < 8 ? 0.3 : 0.7));
  const out = classicalRestore(img, w, h, 1, 1);
  assert.ok(out.every((v) => v >= 0 && v <= 1));
  // Just left of the edge gets darker, just right gets brighter (unsharp overshoot).
  assert.ok(out[w + 7]! < 0.3 && out[w + 8]! > 0.7);
});
