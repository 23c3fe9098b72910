/**
 * Solution spread (the preference benchmark's "solution entropy"): identical
 * samples spread 0, known differences give the known standard deviation, and
 * the 0..255 figure is the same spread on the scale pixels are read in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pixelSpread, solutionEntropy255 } from '../../../devkit/metrics/index.js';

test('identical samples (a deterministic refiner) spread 0', () => {
  const a = Float32Array.from({ length: 12 }, (_, i) => i / 12);
  assert.equal(pixelSpread([a, Float32Array.from(a), Float32Array.from(a)]), 0);
});

test('the spread is the mean over pixels of the population standard deviation across samples', () => {
  // Pixel 0: 0.2 and 0.6 → std 0.2; pixel 1: 0.5 both → 0; pixel 2: 0 and 1 → 0.5. Mean 0.7 / 3.
  const s = pixelSpread([Float32Array.from([0.2, 0.5, 0]), Float32Array.from([0.6, 0.5, 1])]);
  assert.ok(Math.abs(s - 0.7 / 3) < 1e-6, String(s));
  // Eight seeds alternating ±d about a mean: std d everywhere.
  const d = 0.05, samples = Array.from({ length: 8 }, (_, k) => new Float32Array(30).fill(0.5 + (k % 2 ? d : -d)));
  assert.ok(Math.abs(pixelSpread(samples) - d) < 1e-6);
  assert.ok(Math.abs(solutionEntropy255(samples) - 255 * d) < 1e-4);
});

test('one sample, or samples of different sizes, are refused rather than scored', () => {
  assert.throws(() => pixelSpread([new Float32Array(3)]), /two samples/);
  assert.throws(() => pixelSpread([new Float32Array(3), new Float32Array(6)]), /differ in size/);
});
